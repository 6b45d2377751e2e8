/**
 * One case table per rule that is enforced twice: by a pure function in shared/domain/market-rules.ts
 * and atomically by a repository's condition expression. The unit tests run each table against the
 * pure rule, the integration tests against DynamoDB Local, so the two cannot drift apart.
 */
import type { MarketStatus } from "../../shared/domain/market.ts";

const HOUR = 60 * 60 * 1000;

export interface OpenForPositionsCase {
  readonly name: string;
  readonly status: MarketStatus;
  /** closesAt relative to the moment the position is opened. */
  readonly closesInMs: number;
  readonly open: boolean;
}

export const OPEN_FOR_POSITIONS_CASES: readonly OpenForPositionsCase[] = [
  { name: "active, closing in an hour", status: "active", closesInMs: HOUR, open: true },
  { name: "active, closing in a second", status: "active", closesInMs: 1000, open: true },
  { name: "active, closing right now", status: "active", closesInMs: 0, open: false },
  { name: "active, closed an hour ago", status: "active", closesInMs: -HOUR, open: false },
  { name: "draft", status: "draft", closesInMs: HOUR, open: false },
  { name: "closed", status: "closed", closesInMs: HOUR, open: false },
  { name: "resolved", status: "resolved", closesInMs: HOUR, open: false },
];

export interface TransitionCase {
  readonly from: MarketStatus;
  readonly to: MarketStatus;
  readonly allowed: boolean;
}

const STEPS = new Set(["draft>active", "active>closed", "closed>resolved"]);
const STATUSES: readonly MarketStatus[] = ["draft", "active", "closed", "resolved"];

/** Every pair of statuses: one step forward, or staying, is allowed; nothing else. */
export const TRANSITION_CASES: readonly TransitionCase[] = STATUSES.flatMap((from) =>
  STATUSES.map((to) => ({ from, to, allowed: from === to || STEPS.has(`${from}>${to}`) })),
);
