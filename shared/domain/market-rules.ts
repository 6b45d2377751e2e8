/**
 * The rules about markets, as pure functions that throw the domain's errors. The service applies
 * them to what it read; the repositories enforce the ones that race (open for positions, status
 * moves) again atomically, with condition expressions, and test/support/market-rule-cases.ts runs
 * one case table against both so the two cannot drift.
 */
import { type Caller, canModify, isPrivileged } from "../auth/permissions.ts";
import { ForbiddenError, InvalidTransitionError, MarketNotActiveError, NotFoundError } from "../errors.ts";
import { canTransition, type Market, type MarketChanges, type MarketStatus } from "./market.ts";

/** Statuses anyone may list and search; drafts are their creator's (and moderators', admins'). */
export const PUBLIC_STATUSES: readonly MarketStatus[] = ["active", "closed", "resolved"];

/** Whether the caller may see this market: everyone sees published ones, drafts only their owners. */
export function canView(caller: Caller | undefined, market: Pick<Market, "status" | "creatorId">): boolean {
  return market.status !== "draft" || (caller !== undefined && canModify(caller, market.creatorId));
}

/** A draft the caller may not see is answered as missing, not as forbidden: it does not exist for them. */
export function assertVisible(caller: Caller | undefined, market: Market | undefined): Market {
  if (!market || !canView(caller, market)) throw new NotFoundError("Market");
  return market;
}

/** Whose drafts a caller may list: anyone's for moderators and admins, else only its own. */
export const mayListDraftsOf = (caller: Caller, creatorId: string): boolean =>
  isPrivileged(caller) || caller.id === creatorId;

/** Ownership: the creator, a moderator or an admin may change a market; only the last two resolve it. */
export function assertMayChange(
  caller: Caller,
  current: Pick<Market, "creatorId" | "status">,
  changes: MarketChanges,
): void {
  if (!canModify(caller, current.creatorId)) {
    throw new ForbiddenError("Only the creator, a moderator or an admin may change this market");
  }
  if (changes.status === "resolved" && current.status !== "resolved" && !isPrivileged(caller)) {
    throw new ForbiddenError("Only moderators and admins may resolve a market");
  }
}

/**
 * Status moves forward one step at a time, resolving needs an outcome, and a resolved market keeps
 * its outcome. (PATCH's schema already demands an outcome with "resolved"; a PUT, which takes none,
 * is refused here as a state rule, a 409.)
 */
export function assertTransition(current: Pick<Market, "status" | "outcome">, changes: MarketChanges): void {
  if (changes.status === "resolved" && current.status !== "resolved" && changes.outcome === undefined) {
    throw new InvalidTransitionError(current.status, "resolved by PUT: resolve with PATCH and an outcome");
  }
  if (changes.status && !canTransition(current.status, changes.status)) {
    throw new InvalidTransitionError(current.status, changes.status);
  }
  if (current.status === "resolved" && changes.outcome !== undefined && changes.outcome !== current.outcome) {
    throw new InvalidTransitionError("resolved", "resolved with another outcome");
  }
}

/** A market takes positions while it is active and before it closes. */
export function assertOpenForPositions(market: Pick<Market, "id" | "status" | "closesAt">, now: Date): void {
  if (market.status !== "active" || Date.parse(market.closesAt) <= now.getTime()) {
    throw new MarketNotActiveError(market.id);
  }
}

/** Whether a change touches what search indexes (text, category, or whether it is searchable). */
export const changesSearchableText = (changes: MarketChanges): boolean =>
  changes.name !== undefined ||
  changes.description !== undefined ||
  changes.category !== undefined ||
  Boolean(changes.status);
