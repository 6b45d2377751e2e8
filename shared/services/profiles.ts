/**
 * User profiles: created on a user's first write (display name from the email, else the subject)
 * and renamed with PUT /api/me.
 */
import type { Caller } from "../auth/permissions.ts";
import type { UserSummary } from "../domain/market.ts";
import { defaultDisplayName, type UserProfile } from "../domain/user.ts";
import type { ProfileToEnsure } from "../repositories/profile-item.ts";
import type { UserRepository } from "../repositories/user-repository.ts";

/** Bound on the users remembered per execution environment; forgetting one costs one idempotent write. */
const MAX_KNOWN_USERS = 10_000;

export class Profiles {
  /** Users this execution environment already made sure exist; saves a conditional write per request. */
  private readonly known = new Set<string>();

  constructor(private readonly opts: { users: UserRepository; now?: () => Date }) {}

  /**
   * Make sure the caller has a profile: one conditional write, the first time this execution
   * environment sees the user, and no read. Writes that do not show the name need nothing more.
   */
  async ensureExists(caller: Caller, now: string): Promise<void> {
    if (this.known.has(caller.id)) return;
    const defaults = {
      displayName: defaultDisplayName(caller.id, caller.email),
      email: caller.email ?? null,
    };
    await this.opts.users.ensure(caller.id, defaults, now);
    this.remember(caller.id);
  }

  /**
   * The profile a write should ensure inside its own transaction, or undefined when this execution
   * environment already knows the user has one. Call `written` once that write succeeded.
   */
  toEnsure(caller: Caller): ProfileToEnsure | undefined {
    if (this.known.has(caller.id)) return undefined;
    return {
      id: caller.id,
      displayName: defaultDisplayName(caller.id, caller.email),
      email: caller.email ?? null,
    };
  }

  /** A write that carried `toEnsure`'s profile succeeded: the profile exists. */
  written(profile: ProfileToEnsure | undefined): void {
    if (profile) this.remember(profile.id);
  }

  /** The caller's name as shown to others; read every time, so a rename in another Lambda shows at once. */
  async summaryOf(caller: Caller): Promise<UserSummary> {
    const profile = await this.opts.users.getSummary(caller.id);
    return {
      id: caller.id,
      displayName: profile?.displayName ?? defaultDisplayName(caller.id, caller.email),
    };
  }

  async rename(caller: Caller, displayName: string): Promise<UserProfile> {
    const now = (this.opts.now?.() ?? new Date()).toISOString();
    const profile = await this.opts.users.upsert(
      caller.id,
      { displayName, email: caller.email ?? null },
      now,
    );
    // The upsert created the profile if it was missing.
    this.remember(caller.id);
    return profile;
  }

  private remember(userId: string): void {
    if (this.known.size >= MAX_KNOWN_USERS) this.known.clear();
    this.known.add(userId);
  }
}
