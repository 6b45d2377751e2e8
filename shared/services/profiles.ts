/**
 * User profiles: created on a user's first write (display name from the email, else the subject)
 * and renamed with PUT /api/me.
 */
import type { Caller } from "../auth/permissions.ts";
import type { UserSummary } from "../domain/market.ts";
import { defaultDisplayName, type UserProfile } from "../domain/user.ts";
import type { UserRepository } from "../repositories/user-repository.ts";

export class Profiles {
  /** Users this execution environment already made sure exist; saves a conditional write per request. */
  private readonly known = new Set<string>();

  constructor(private readonly opts: { users: UserRepository; now?: () => Date }) {}

  /** Make sure the caller has a profile and return its summary. */
  async ensure(caller: Caller, now: string): Promise<UserSummary> {
    const fallback = defaultDisplayName(caller.id, caller.email);
    if (!this.known.has(caller.id)) {
      await this.opts.users.ensure(caller.id, { displayName: fallback, email: caller.email ?? null }, now);
      this.known.add(caller.id);
    }
    // The name is read every time: a rename (PUT /api/me, another Lambda) must show at once.
    const profile = await this.opts.users.get(caller.id);
    return { id: caller.id, displayName: profile?.displayName ?? fallback };
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
