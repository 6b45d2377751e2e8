/**
 * `If-Match` parsed into what a conditional write needs. Only strong ETags (`"3"`) and `*` match; a
 * weak tag (`W/"3"`) never does, as RFC 9110 requires for conditional writes.
 */
export interface IfMatch {
  /** Whether the header accepts the representation at `version`. */
  matches(version: number): boolean;
  /**
   * `*`: any current representation will do. The write must then not be pinned to the version read,
   * or a position landing between the read and the write would fail it with a spurious 412.
   */
  readonly wildcard: boolean;
}

export function parseIfMatch(header: string | undefined): IfMatch | undefined {
  if (header === undefined) return undefined;
  const tags = header.split(",").map((tag) => tag.trim());
  if (tags.includes("*")) return { matches: () => true, wildcard: true };
  const versions = new Set(
    tags.flatMap((tag) => {
      const match = /^"(\d{1,15})"$/.exec(tag);
      // Stryker disable next-line ArrayDeclaration: a non-numeric entry in the else branch can never equal a version (a number), so filling it is equivalent
      return match ? [Number(match[1])] : [];
    }),
  );
  return { matches: (version) => versions.has(version), wildcard: false };
}

/** Whether `If-None-Match` names the current representation (so the answer is 304). */
export function ifNoneMatchHits(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed === `"${version}"` || trimmed === `W/"${version}"`;
  });
}
