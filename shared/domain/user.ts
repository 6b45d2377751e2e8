export interface UserProfile {
  id: string;
  displayName: string;
  email: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The display name a profile starts with: the part of the email before `@`, else the subject. */
export function defaultDisplayName(sub: string, email?: string): string {
  // Stryker disable next-line OptionalChaining: split() always returns at least one element; the `?.` is for the type checker only
  const local = email?.split("@")[0]?.trim();
  return (local || sub).slice(0, 50);
}
