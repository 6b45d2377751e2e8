/**
 * What each route answers, by handler: the success status and schema, and the behaviour that decides
 * which headers and error statuses it can give. The request side (path, query, body) is not here:
 * it comes from the route table's `request`. test/unit/openapi/route-schemas.test.ts checks
 * `rateLimited` and `idempotent` against what each handler declares to httpHandler.
 */
import { type ErrorCode, type Json, ref } from "./components.ts";

export interface OperationDoc {
  readonly success: {
    readonly status: 200 | 201 | 202 | 204;
    readonly description: string;
    /** The response body; none for 204. */
    readonly schema?: Json;
    /** `Location` on 201s, `ETag` on market representations. */
    readonly headers?: readonly ("ETag" | "Location")[];
  };
  /** Health and the document itself are not rate limited; every other route is. */
  readonly rateLimited?: false;
  /** Honours `Idempotency-Key`. */
  readonly idempotent?: true;
  /** `If-Match` (412 when stale) or `If-None-Match` (304 when current). */
  readonly conditional?: "If-Match" | "If-None-Match";
  /** 403 beyond the role check (ownership, resolving). */
  readonly forbidden?: string;
  /** 404 for a route without path parameters, or a more precise description. */
  readonly notFound?: string;
  /** 401 without a token on a public route. */
  readonly unauthorized?: string;
  /** The 409 codes the route's state rules give. */
  readonly conflicts?: readonly ErrorCode[];
}

const schema = (name: string) => ref("schemas", name);

/** The success envelope around `data` (and `meta`). */
const envelope = (data: Json, meta?: Json): Json => ({
  allOf: [
    schema("SuccessEnvelope"),
    {
      type: "object",
      required: meta ? ["data", "meta"] : ["data"],
      properties: meta ? { data, meta } : { data },
    },
  ],
});
const list = (item: string, meta = "ListMeta") =>
  envelope({ type: "array", items: schema(item) }, schema(meta));

const OWNER_ONLY =
  "The caller neither created the market nor is a moderator or admin, or a user tries to resolve it.";

/** PUT and PATCH answer alike: the changed market, or why it could not change. */
const CHANGE_MARKET: OperationDoc = {
  success: {
    status: 200,
    description: "The changed market.",
    schema: envelope(schema("Market")),
    headers: ["ETag"],
  },
  conditional: "If-Match",
  forbidden: OWNER_ONLY,
  conflicts: ["INVALID_TRANSITION", "CONFLICT"],
};

export const OPERATIONS: Record<string, OperationDoc> = {
  "system/health": {
    success: { status: 200, description: "The service is up.", schema: envelope(schema("Health")) },
    rateLimited: false,
  },
  "system/openapi": {
    success: {
      status: 200,
      description: "This document, without the success envelope.",
      schema: { type: "object", required: ["openapi", "info", "paths"] },
    },
    rateLimited: false,
  },
  "markets/list": {
    success: { status: 200, description: "A page of markets.", schema: list("MarketSelection") },
    unauthorized: "`status=draft` without a token, or an invalid token.",
  },
  "markets/search": {
    success: {
      status: 200,
      description: "Markets best first, each with its score.",
      schema: list("SearchResult", "SearchMeta"),
    },
  },
  "markets/get": {
    success: {
      status: 200,
      description: "The market with its creator.",
      schema: envelope(schema("Market")),
      headers: ["ETag"],
    },
    conditional: "If-None-Match",
    notFound: "No such market, or a draft the caller may not see.",
  },
  "markets/create": {
    success: {
      status: 201,
      description: "The new market (and the creator's position when one was taken).",
      schema: envelope(schema("MarketCreated")),
      headers: ["Location", "ETag"],
    },
    idempotent: true,
  },
  "markets/replace": CHANGE_MARKET,
  "markets/update": CHANGE_MARKET,
  "markets/delete": {
    success: { status: 204, description: "Deleted." },
    conditional: "If-Match",
    // CONFLICT: a position arrived between the check for positions and the delete.
    conflicts: ["MARKET_HAS_POSITIONS", "CONFLICT"],
  },
  "markets/reindex": {
    success: { status: 202, description: "Re-indexing is queued.", schema: schema("JobAccepted") },
  },
  "positions/open": {
    success: {
      status: 201,
      description: "The caller's position after the change, with the market's new totals.",
      schema: envelope(schema("PositionReceipt")),
      headers: ["Location"],
    },
    idempotent: true,
    conflicts: ["MARKET_NOT_ACTIVE", "CONFLICT"],
  },
  "positions/list-for-market": {
    success: {
      status: 200,
      description: "A page of positions on the market.",
      schema: list("PositionWithUser"),
    },
  },
  "me/positions": {
    success: {
      status: 200,
      description: "A page of the caller's positions.",
      schema: list("PositionWithMarket"),
    },
  },
  "me/update-profile": {
    success: { status: 200, description: "The caller's profile.", schema: envelope(schema("Profile")) },
  },
};
