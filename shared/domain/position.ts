import type { MarketStatus, Side } from "./market.ts";

export interface Position {
  marketId: string;
  userId: string;
  yesAmount: number;
  noAmount: number;
  updatedAt: string;
}

export interface OpenPositionInput {
  side: Side;
  amount: number;
}

/** What POST /positions answers: the caller's position plus the market's new totals. */
export interface PositionReceipt extends Position {
  market: { id: string; volume: number; yesVolume: number; noVolume: number; version: number };
}

export type PositionWithUser = Position & { user: { id: string; displayName: string } };
export type PositionWithMarket = Position & {
  market: { id: string; name: string; status: MarketStatus; closesAt: string } | null;
};
