/**
 * `If-Match` as a predicate over versions. Only strong ETags (`"3"`) and `*` match; a weak tag
 * (`W/"3"`) never does, as RFC 9110 requires for conditional writes.
 */
export type VersionCondition = (version: number) => boolean;

export function parseIfMatch(header: string | undefined): VersionCondition | undefined {
  if (header === undefined) return undefined;
  const tags = header.split(",").map((tag) => tag.trim());
  if (tags.includes("*")) return () => true;
  const versions = new Set(
    tags.flatMap((tag) => {
      const match = /^"(\d{1,15})"$/.exec(tag);
      return match ? [Number(match[1])] : [];
    }),
  );
  return (version) => versions.has(version);
}

/** Whether `If-None-Match` names the current representation (so the answer is 304). */
export function ifNoneMatchHits(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed === `"${version}"` || trimmed === `W/"${version}"`;
  });
}
