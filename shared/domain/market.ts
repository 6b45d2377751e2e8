/** Market types and the pure rules about them. The zod schemas in schemas.ts are the request shapes. */

export const MARKET_STATUSES = ["draft", "active", "closed", "resolved"] as const;
export type MarketStatus = (typeof MARKET_STATUSES)[number];
export type Outcome = "yes" | "no";
export type Side = "yes" | "no";

export interface Market {
  id: string;
  name: string;
  description: string;
  category: string | null;
  status: MarketStatus;
  outcome: Outcome | null;
  closesAt: string;
  volume: number;
  yesVolume: number;
  noVolume: number;
  creatorId: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface UserSummary {
  id: string;
  displayName: string;
}

export type MarketWithCreator = Market & { creator: UserSummary };

/** The stored attributes of a market, in the order the API shows them. */
export const MARKET_ATTRIBUTES = [
  "id",
  "name",
  "description",
  "category",
  "status",
  "outcome",
  "closesAt",
  "volume",
  "yesVolume",
  "noVolume",
  "creatorId",
  "createdAt",
  "updatedAt",
  "version",
] as const satisfies readonly (keyof Market)[];

/** Fields a client may ask for with `fields=`: the attributes plus the embedded `creator`. */
export const MARKET_FIELDS = [...MARKET_ATTRIBUTES, "creator"] as const;
export type MarketField = (typeof MARKET_FIELDS)[number];

/** The fields a client may change; everything else is computed by the service. */
export interface MarketChanges {
  name?: string;
  description?: string;
  category?: string | null;
  closesAt?: string;
  status?: MarketStatus;
  outcome?: Outcome;
}

const ORDER: Record<MarketStatus, number> = { draft: 0, active: 1, closed: 2, resolved: 3 };

/**
 * Status moves forward one step at a time: draft → active → closed → resolved.
 * Staying in the same status is not a transition and is always allowed.
 */
export function canTransition(from: MarketStatus, to: MarketStatus): boolean {
  return from === to || ORDER[to] === ORDER[from] + 1;
}

/** The strong ETag of a representation: its version in quotes. */
export const etagOf = (version: number): string => `"${version}"`;
