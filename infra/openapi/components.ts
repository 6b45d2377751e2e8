/**
 * The reusable parts of the OpenAPI document: response schemas (JSON Schema, named by the route
 * declarations' `response`), header and parameter components, and the bearer scheme. Read at build
 * time only, through infra/openapi-document.ts.
 */
import { MARKET_STATUSES } from "../../shared/domain/market.ts";
import type { ErrorCode } from "../../shared/errors.ts";
import { ERROR_STATUS } from "../../shared/http/error-status.ts";

export type Json = Record<string, unknown>;

export type { ErrorCode };
/** Every error code of API.md; the http layer's table gives each its status. */
export { ERROR_STATUS };

export const ref = (kind: "schemas" | "headers" | "parameters" | "examples", name: string): Json => ({
  $ref: `#/components/${kind}/${name}`,
});
const schema = (name: string) => ref("schemas", name);

const id: Json = { type: "string", minLength: 1, maxLength: 128 };
const timestamp: Json = { type: "string", format: "date-time" };
const amount: Json = { type: "number", minimum: 0 };
const side: Json = { type: "string", enum: ["yes", "no"] };
const name: Json = { type: "string", minLength: 3, maxLength: 200 };
const status: Json = { type: "string", enum: [...MARKET_STATUSES] };
const version: Json = {
  type: "integer",
  minimum: 1,
  description: "Grows by one on every change; the market's ETag is it, quoted.",
};
const object = (properties: Record<string, Json>, required = Object.keys(properties)): Json => ({
  type: "object",
  required,
  properties,
});

const MARKET_PROPERTIES: Record<string, Json> = {
  id,
  name,
  description: { type: "string", maxLength: 5000 },
  category: { type: ["string", "null"], maxLength: 50 },
  status,
  outcome: { oneOf: [side, { type: "null" }], description: "`yes` or `no` once resolved" },
  closesAt: timestamp,
  volume: amount,
  yesVolume: amount,
  noVolume: amount,
  creatorId: id,
  creator: schema("UserSummary"),
  createdAt: timestamp,
  updatedAt: timestamp,
  version,
};

const POSITION_PROPERTIES: Record<string, Json> = {
  marketId: id,
  userId: id,
  yesAmount: amount,
  noAmount: amount,
  updatedAt: timestamp,
};

const withPosition = (extra: Record<string, Json>): Json => object({ ...POSITION_PROPERTIES, ...extra });

/** Examples: shown by viewers, and checked against their schemas by Redocly and Spectral. */
const EXAMPLE_ID = "01JD8Z6Q3V4W5X6Y7Z8A9B0C1D";
const EXAMPLE_CREATOR = { id: "u-123", displayName: "alice" };
const EXAMPLE_MARKET = {
  id: EXAMPLE_ID,
  name: "Will it rain in Paris on 2027-01-01?",
  description: "Resolves yes if Météo-France reports rain in Paris on that day.",
  category: "weather",
  status: "active",
  outcome: null,
  closesAt: "2027-01-01T00:00:00.000Z",
  volume: 150.5,
  yesVolume: 100,
  noVolume: 50.5,
  creatorId: EXAMPLE_CREATOR.id,
  creator: EXAMPLE_CREATOR,
  createdAt: "2026-11-02T09:30:00.000Z",
  updatedAt: "2026-11-02T10:15:00.000Z",
  version: 3,
};
const EXAMPLE_POSITION = {
  marketId: EXAMPLE_ID,
  userId: EXAMPLE_CREATOR.id,
  yesAmount: 100,
  noAmount: 0,
  updatedAt: "2026-11-02T10:15:00.000Z",
};

const schemas: Record<string, Json> = {
  UserSummary: object({ id, displayName: { type: "string", minLength: 1, maxLength: 50 } }),
  Market: { ...object(MARKET_PROPERTIES), examples: [EXAMPLE_MARKET] },
  MarketSelection: {
    ...object(MARKET_PROPERTIES, ["id"]),
    description: "A market in a list: every field, or only `id` and those named by `fields`.",
  },
  MarketCreated: {
    allOf: [schema("Market"), object({ position: schema("Position") }, [])],
    description: "The new market, plus the creator's position when `initialPosition` was given.",
  },
  SearchResult: {
    allOf: [schema("Market"), object({ score: { type: "number", exclusiveMinimum: 0, maximum: 1 } })],
  },
  Position: { ...object(POSITION_PROPERTIES), examples: [EXAMPLE_POSITION] },
  PositionReceipt: {
    ...withPosition({
      market: object({ id, volume: amount, yesVolume: amount, noVolume: amount, version }),
    }),
    examples: [
      {
        ...EXAMPLE_POSITION,
        market: { id: EXAMPLE_ID, volume: 150.5, yesVolume: 100, noVolume: 50.5, version: 3 },
      },
    ],
  },
  PositionWithUser: withPosition({ user: schema("UserSummary") }),
  PositionWithMarket: withPosition({
    market: {
      oneOf: [object({ id, name, status, closesAt: timestamp }), { type: "null" }],
      description: "null when the market no longer exists",
    },
  }),
  Profile: object({
    id,
    displayName: { type: "string", minLength: 1, maxLength: 50 },
    email: { type: ["string", "null"] },
    createdAt: timestamp,
    updatedAt: timestamp,
    version: { type: "integer", minimum: 1 },
  }),
  Health: object({ status: { const: "ok" } }),
  ListMeta: object({
    limit: { type: "integer", minimum: 1 },
    count: { type: "integer", minimum: 0 },
    nextCursor: {
      type: ["string", "null"],
      description: "Pass as `cursor` for the next page; null on the last.",
    },
  }),
  SearchMeta: object({ limit: { type: "integer", minimum: 1 }, count: { type: "integer", minimum: 0 } }),
  SuccessEnvelope: object({ success: { const: true }, data: {}, meta: { type: "object" } }, [
    "success",
    "data",
  ]),
  OpenApiDocument: {
    type: "object",
    description: "An OpenAPI 3.1 document.",
    required: ["openapi", "info", "paths"],
    properties: { openapi: { type: "string" }, info: { type: "object" }, paths: { type: "object" } },
  },
  JobAccepted: object({
    success: { const: true },
    message: { type: "string", examples: ["Job queued"] },
    data: object({ jobId: { type: "string", minLength: 1 } }),
  }),
  ErrorDetail: object({ path: { type: "string" }, message: { type: "string" } }),
  Error: {
    ...object(
      {
        success: { const: false },
        error: { type: "string", description: "Human-readable; never internal details." },
        code: { type: "string", enum: Object.keys(ERROR_STATUS) },
        details: {
          type: "array",
          items: schema("ErrorDetail"),
          description: "With `VALIDATION_FAILED`: one entry per failing field.",
        },
        requestId: { type: "string", description: "The response's `x-request-id`, for support requests." },
      },
      ["success", "error", "code", "requestId"],
    ),
    description: "The error envelope of every 4xx and 5xx answer; `code` is stable, `error` may change.",
    examples: [
      {
        success: false,
        error: "Validation failed",
        code: "VALIDATION_FAILED",
        details: [{ path: "name", message: "Too small: expected string to have >=3 characters" }],
        requestId: "Vx3kP9aQ2mT7bL1c",
      },
    ],
  },
};

const integerHeader = (description: string): Json => ({
  description,
  schema: { type: "integer", minimum: 0 },
});

const headers: Record<string, Json> = {
  XRequestId: {
    description: "The request's id: the caller's `x-request-id` if it is a safe token, else the gateway's.",
    required: true,
    schema: { type: "string" },
  },
  ETag: {
    description: 'Strong ETag of the market: its version, quoted (`"3"`).',
    schema: { type: "string" },
  },
  Location: { description: "URL of the created resource.", schema: { type: "string" } },
  RateLimitLimit: integerHeader("Requests allowed per window for this caller."),
  RateLimitRemaining: integerHeader("Requests left in the current window."),
  RateLimitReset: integerHeader("Seconds until the window resets."),
  RetryAfter: integerHeader("Seconds to wait before retrying."),
  WWWAuthenticate: { description: "The `Bearer` challenge.", schema: { type: "string" } },
};

const header = (name: string, description: string, value: Json): Json => ({
  name,
  in: "header",
  required: false,
  description,
  schema: value,
});

const parameters: Record<string, Json> = {
  XRequestId: header("X-Request-Id", "Echoed back when a safe token of at most 128 characters.", {
    type: "string",
    maxLength: 128,
  }),
  IfMatch: header(
    "If-Match",
    'Change only if the market\'s ETag is this strong tag (`"3"`) or `*`; else 412.',
    {
      type: "string",
    },
  ),
  IfNoneMatch: header("If-None-Match", "The ETag the caller holds; a match answers 304 without a body.", {
    type: "string",
  }),
  IdempotencyKey: header(
    "Idempotency-Key",
    "A repeat with the same key, caller and body within 24 hours returns the first response again.",
    { type: "string", minLength: 1, maxLength: 128 },
  ),
};

/** Request body examples, named by the route declarations' `example`. */
const examples: Record<string, Json> = {
  CreateMarket: {
    summary: "A market with the creator's first position",
    value: {
      name: EXAMPLE_MARKET.name,
      description: EXAMPLE_MARKET.description,
      category: EXAMPLE_MARKET.category,
      closesAt: EXAMPLE_MARKET.closesAt,
      initialPosition: { side: "yes", amount: 25 },
    },
  },
  ReplaceMarket: {
    summary: "Every mutable field",
    value: {
      name: EXAMPLE_MARKET.name,
      description: EXAMPLE_MARKET.description,
      category: EXAMPLE_MARKET.category,
      closesAt: EXAMPLE_MARKET.closesAt,
      status: "active",
    },
  },
  ResolveMarket: {
    summary: "Resolve a market (moderators and admins)",
    value: { status: "resolved", outcome: "yes" },
  },
  OpenPosition: { summary: "10.50 on yes", value: { side: "yes", amount: 10.5 } },
  UpdateProfile: { summary: "A new display name", value: { displayName: "alice" } },
};

export const components = {
  schemas,
  headers,
  parameters,
  examples,
  securitySchemes: {
    bearerAuth: {
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
      description:
        "`Authorization: Bearer <JWT>` with claims `sub`, `role` (`user`, `moderator` or `admin`) and `exp`. " +
        "Locally, `npm run token -- --sub u-1 --role admin` prints one.",
    },
  },
};
