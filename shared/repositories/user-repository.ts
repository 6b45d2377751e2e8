/** Port: user profiles. */
import type { UserSummary } from "../domain/market.ts";
import type { UserProfile } from "../domain/user.ts";

export interface UserRepository {
  /** A user's public profile (id and display name, never the email); undefined when there is none. */
  getSummary(id: string): Promise<UserSummary | undefined>;
  /** Display names for many users in one batch read; unknown ids are absent. */
  getSummaries(ids: readonly string[]): Promise<Map<string, UserSummary>>;
  /** Create the profile if it does not exist yet, keeping an existing one untouched. */
  ensure(id: string, defaults: { displayName: string; email: string | null }, now: string): Promise<void>;
  /** Create or update the display name. */
  upsert(
    id: string,
    changes: { displayName: string; email: string | null },
    now: string,
  ): Promise<UserProfile>;
}
