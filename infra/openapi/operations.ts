/**
 * What each route answers, by handler: the success status and schema, and the behaviour that decides
 * which headers and error statuses it can give. The request side (path, query, body) is not here:
 * it comes from the route table's `request`. test/unit/openapi/route-schemas.test.ts checks
 * `rateLimited` and `idempotent` against what each handler declares to httpHandler.
 */
import { type ErrorCode, type Json, ref } from "./components.ts";

/** The document's tags, in the order a reader meets them; every operation has exactly one. */
export const TAGS = [
  { name: "Markets", description: "Create, read, change, list and search prediction markets." },
  { name: "Positions", description: "Take positions on markets and page through them." },
  { name: "Me", description: "The caller's own profile and positions." },
  { name: "System", description: "Liveness and this description of the API." },
] as const;
export type Tag = (typeof TAGS)[number]["name"];

/** What each query parameter means, wherever it appears (the schema gives its type and range). */
export const QUERY_PARAMETERS: Readonly<Record<string, string>> = {
  q: "The text to search for.",
  status: "Only markets in this status. Default: every status but `draft`.",
  creatorId: "Only markets created by this user.",
  category: "Only markets in this category.",
  sort: "What the list is ordered by; `order` gives the direction.",
  order: "Default `desc`, but `asc` for `sort=closesAt`.",
  limit: "Items per page.",
  cursor: "`meta.nextCursor` of the previous page, to get the next one.",
  offset: "Items to skip, for compatibility: prefer `cursor`, and never send both.",
  fields: "Comma-separated market fields to return (`id` always comes); only those are read.",
};

export interface OperationDoc {
  readonly tag: Tag;
  /** What a caller needs to know beyond the summary: defaults, ordering, the rules that answer 4xx. */
  readonly description: string;
  /** A typical request body, shown by viewers and validated against the body schema by the linters. */
  readonly requestExample?: Json;
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

const CHANGE_RULES =
  "Status moves forward only (`draft` → `active` → `closed` → `resolved`): a backward or skipping change " +
  "is a 409 `INVALID_TRANSITION`. Only moderators and admins resolve. With `If-Match` the change is " +
  "conditional: a stale ETag is a 412 and nothing is written.";

/** PUT and PATCH answer alike: the changed market, or why it could not change. */
const CHANGE_MARKET = {
  tag: "Markets",
  success: {
    status: 200,
    description: "The changed market.",
    schema: envelope(schema("Market")),
    headers: ["ETag"],
  },
  conditional: "If-Match",
  forbidden: OWNER_ONLY,
  conflicts: ["INVALID_TRANSITION", "CONFLICT"],
} as const;

export const OPERATIONS: Record<string, OperationDoc> = {
  "system/health": {
    tag: "System",
    description:
      'Answers `{ status: "ok" }` while the function runs; touches no dependency and is not rate limited.',
    success: { status: 200, description: "The service is up.", schema: envelope(schema("Health")) },
    rateLimited: false,
  },
  "system/openapi": {
    tag: "System",
    description:
      "This OpenAPI 3.1 document, as generated at build time (`docs/openapi.json`), without the success " +
      "envelope so that tools can load it directly. Not rate limited.",
    success: {
      status: 200,
      description: "This document, without the success envelope.",
      schema: schema("OpenApiDocument"),
    },
    rateLimited: false,
  },
  "markets/list": {
    tag: "Markets",
    description:
      "Markets newest first by default (`sort=createdAt`, `order=desc`; `closesAt` sorts ascending by " +
      "default). Page with `cursor` from `meta.nextCursor` until it is null: every matching market comes " +
      "exactly once, even while others are written. `offset` is kept for compatibility and excludes " +
      "`cursor`. Without `status`, every status but `draft`; `status=draft` needs a token and lists the " +
      "caller's drafts (every draft for moderators and admins). `fields` narrows each market to `id` and " +
      "the named fields.",
    success: { status: 200, description: "A page of markets.", schema: list("MarketSelection") },
    unauthorized: "`status=draft` without a token, or an invalid token.",
  },
  "markets/search": {
    tag: "Markets",
    description:
      "Semantic search over names, descriptions and categories: markets best first, each with its `score` " +
      "in (0, 1]. Drafts are never searchable. Indexing is asynchronous: a new or changed market is found " +
      "within seconds of its write, not at once.",
    success: {
      status: 200,
      description: "Markets best first, each with its score.",
      schema: list("SearchResult", "SearchMeta"),
    },
  },
  "markets/get": {
    tag: "Markets",
    description:
      "One market with its `creator`. The `ETag` is its version, quoted; send it back in `If-None-Match` " +
      "for a 304, or in `If-Match` to change it conditionally. Drafts are visible to their creator, " +
      "moderators and admins only; to anyone else they do not exist (404).",
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
    tag: "Markets",
    description:
      "Creates a market (default status `active`). With `initialPosition`, the market and the creator's " +
      "position are written in one transaction: both or neither (not allowed on a draft). The market is " +
      "queued for search indexing; the write never waits for the index. Honours `Idempotency-Key`.",
    requestExample: {
      name: "Will it rain in Paris on 2027-01-01?",
      description: "Resolves yes if Météo-France reports rain in Paris on that day.",
      category: "weather",
      closesAt: "2027-01-01T00:00:00.000Z",
      initialPosition: { side: "yes", amount: 25 },
    },
    success: {
      status: 201,
      description: "The new market (and the creator's position when one was taken).",
      schema: envelope(schema("MarketCreated")),
      headers: ["Location", "ETag"],
    },
    idempotent: true,
  },
  "markets/replace": {
    ...CHANGE_MARKET,
    description: `Replaces the mutable fields; all but \`category\` are required, and leaving \`category\` out clears it. ${CHANGE_RULES}`,
    requestExample: {
      name: "Will it rain in Paris on 2027-01-01?",
      description: "Resolves yes if Météo-France reports rain in Paris on that day.",
      category: "weather",
      closesAt: "2027-01-01T00:00:00.000Z",
      status: "active",
    },
  },
  "markets/update": {
    ...CHANGE_MARKET,
    description: `Changes the given fields (at least one); \`outcome\` only with \`status: "resolved"\`, which needs it. ${CHANGE_RULES}`,
    requestExample: { status: "resolved", outcome: "yes" },
  },
  "markets/delete": {
    tag: "Markets",
    description:
      "Deletes a market that has no positions (409 `MARKET_HAS_POSITIONS` otherwise). With `If-Match`, " +
      "only if the ETag is current.",
    success: { status: 204, description: "Deleted." },
    conditional: "If-Match",
    // CONFLICT: a position arrived between the check for positions and the delete.
    conflicts: ["MARKET_HAS_POSITIONS", "CONFLICT"],
  },
  "markets/reindex": {
    tag: "Markets",
    description:
      "Queues the market for re-indexing by the search worker and answers at once with the job's id.",
    success: { status: 202, description: "Re-indexing is queued.", schema: schema("JobAccepted") },
  },
  "positions/open": {
    tag: "Positions",
    description:
      "Adds `amount` to the caller's position on one side, and to the market's volumes, in one " +
      "transaction: concurrent positions never lose an update. The market must be `active` and not past " +
      "`closesAt` (else 409 `MARKET_NOT_ACTIVE`). Honours `Idempotency-Key`.",
    requestExample: { side: "yes", amount: 10.5 },
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
    tag: "Positions",
    description:
      "The positions on one market, each with its holder's `id` and `displayName`; pages like the market list.",
    success: {
      status: 200,
      description: "A page of positions on the market.",
      schema: list("PositionWithUser"),
    },
  },
  "me/positions": {
    tag: "Me",
    description:
      "The caller's positions, each with a summary of its market (null once the market is deleted); pages " +
      "like the market list.",
    success: {
      status: 200,
      description: "A page of the caller's positions.",
      schema: list("PositionWithMarket"),
    },
  },
  "me/update-profile": {
    tag: "Me",
    description:
      "Creates or replaces the caller's profile. Until the first write, the display name is the part of " +
      "the token's `email` before `@`, else its `sub`.",
    requestExample: { displayName: "alice" },
    success: { status: 200, description: "The caller's profile.", schema: envelope(schema("Profile")) },
  },
};
