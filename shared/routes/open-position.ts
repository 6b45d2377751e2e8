import { MarketIdParams, OpenPositionBody } from "../domain/schemas.ts";
import { route } from "./route.ts";

export const openPosition = route({
  method: "POST",
  path: "/api/markets/{id}/positions",
  handler: "positions/open",
  summary: "Take a position",
  description:
    "Adds `amount` to the caller's position on `side` and to the market's volumes, in one transaction. Honours `Idempotency-Key`.",
  tags: ["positions"],
  permission: "write",
  params: MarketIdParams,
  body: OpenPositionBody,
  example: "OpenPosition",
  response: {
    status: 201,
    description: "The caller's position after the change, with the market's new totals.",
    data: "PositionReceipt",
    headers: ["Location"],
  },
  errors: {
    NOT_FOUND: "No such market, or a draft the caller may not see.",
    MARKET_NOT_ACTIVE: "The market is not active, or past its closing time.",
    CONFLICT: "The market changed too often at the same moment; retry.",
  },
  rateLimit: "write",
  idempotent: true,
  access: {
    // The market, then the receipt: the market's new totals and the position in one batch.
    reads: [{ keys: ["MARKET#"], actions: ["GetItem", "BatchGetItem"] }],
    // The market's totals, the position and the profile (ensured) in one transaction.
    writes: [{ keys: ["MARKET#", "USER#"], actions: ["UpdateItem"] }],
  },
});
