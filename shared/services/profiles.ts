/**
 * User profiles: created on a user's first write (display name from the email, else the subject)
 * and renamed with PUT /api/me.
 */
import type { Caller } from "../auth/permissions.ts";
import type { UserSummary } from "../domain/market.ts";
import { defaultDisplayName, type UserProfile } from "../domain/user.ts";
import type { UserRepository } from "../repositories/user-repository.ts";

export class Profiles {
  /** Users this execution environment already made sure of; saves a write per request. */
  private readonly known = new Map<string, UserSummary>();

  constructor(private readonly opts: { users: UserRepository; now?: () => Date }) {}

  /** Make sure the caller has a profile and return its summary. */
  async ensure(caller: Caller, now: string): Promise<UserSummary> {
    const known = this.known.get(caller.id);
    if (known) return known;
    await this.opts.users.ensure(
      caller.id,
      { displayName: defaultDisplayName(caller.id, caller.email), email: caller.email ?? null },
      now,
    );
    const profile = await this.opts.users.get(caller.id);
    const summary = {
      id: caller.id,
      displayName: profile?.displayName ?? defaultDisplayName(caller.id, caller.email),
    };
    // Only remember that the profile exists, not its name: a rename elsewhere must show at once.
    this.known.set(caller.id, summary);
    return summary;
  }

  async rename(caller: Caller, displayName: string): Promise<UserProfile> {
    const now = (this.opts.now?.() ?? new Date()).toISOString();
    const profile = await this.opts.users.upsert(
      caller.id,
      { displayName, email: caller.email ?? null },
      now,
    );
    this.known.delete(caller.id);
    return profile;
  }
}
