/**
 * Request schemas (zod/mini: ~15 KB bundled instead of ~450 KB for full zod). They are the source
 * of the request types and of the OpenAPI document. Objects are strict: unknown fields are a 400.
 *
 * Every schema is a pure `z.lazy`: building all of them at import cost ~5 ms of every cold start,
 * so each is built on its first parse, and esbuild drops the ones a bundle never references.
 */
import * as z from "zod/mini";
import { isKeySafeText, isUserId, MAX_USER_ID_CHARACTERS } from "./identifiers.ts";
import { MARKET_FIELDS, MARKET_STATUSES } from "./market.ts";

/** A string trimmed before its length is checked (and the JSON Schema still shows the bounds). */
const trimmed = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

const KEY_SAFE_MESSAGE = "must be well-formed Unicode without control characters";

/** Like `trimmed`, for text that becomes part of a key (a category): key-safe, see identifiers.ts. */
const keyPart = (min: number, max: number) =>
  z.string().check(z.trim(), z.minLength(min), z.maxLength(max), z.refine(isKeySafeText, KEY_SAFE_MESSAGE));

export const Id = /* @__PURE__ */ z.lazy(() =>
  z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9_-]+$/)),
);

/** A user id as a token's `sub` carries it (query `creatorId`): the verifier's rule. */
export const UserId = /* @__PURE__ */ z.lazy(() =>
  z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(2 * MAX_USER_ID_CHARACTERS),
      z.refine(isUserId, `must be 1-${MAX_USER_ID_CHARACTERS} characters, ${KEY_SAFE_MESSAGE}`),
    ),
);

/** Money-like amount: 0.01–1,000,000 with at most two decimals. */
export const Amount = /* @__PURE__ */ z.lazy(() =>
  z.number().check(
    z.gte(0.01),
    z.lte(1_000_000),
    // Exact, not within a tolerance: 0.30000000000000004 is not 0.3, and storing it would put
    // more than two decimals into every volume it is added to.
    z.refine((value) => Number(value.toFixed(2)) === value, "must have at most 2 decimals"),
  ),
);

/** An ISO-8601 date-time, normalised to UTC `toISOString()` form. */
export const IsoDateTime = /* @__PURE__ */ z.lazy(() =>
  z.pipe(
    z.iso.datetime({ offset: true }),
    z.transform((value: string) => new Date(value).toISOString()),
  ),
);

export const FutureDateTime = /* @__PURE__ */ z.lazy(() =>
  z.pipe(
    IsoDateTime,
    z.string().check(z.refine((value: string) => Date.parse(value) > Date.now(), "must be in the future")),
  ),
);

export const Status = /* @__PURE__ */ z.lazy(() => z.enum(MARKET_STATUSES));
export const Side = /* @__PURE__ */ z.lazy(() => z.enum(["yes", "no"]));
export const Outcome = /* @__PURE__ */ z.lazy(() => z.enum(["yes", "no"]));

export const MarketIdParams = /* @__PURE__ */ z.lazy(() => z.strictObject({ id: Id }));

export const OpenPositionBody = /* @__PURE__ */ z.lazy(() => z.strictObject({ side: Side, amount: Amount }));

export const CreateMarketBody = /* @__PURE__ */ z.lazy(() =>
  z
    .strictObject({
      name: trimmed(3, 200),
      description: z._default(z.string().check(z.maxLength(5000)), ""),
      category: z.optional(keyPart(1, 50)),
      closesAt: FutureDateTime,
      status: z._default(z.enum(["draft", "active"]), "active"),
      initialPosition: z.optional(OpenPositionBody),
    })
    .check(
      z.refine((body) => !(body.initialPosition && body.status === "draft"), {
        message: "initialPosition is not allowed on a draft market",
        path: ["initialPosition"],
      }),
    ),
);
export type CreateMarketBody = z.infer<typeof CreateMarketBody>;

export const ReplaceMarketBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    name: trimmed(3, 200),
    description: z.string().check(z.maxLength(5000)),
    category: z.optional(keyPart(1, 50)),
    closesAt: IsoDateTime,
    status: Status,
  }),
);
export type ReplaceMarketBody = z.infer<typeof ReplaceMarketBody>;

export const UpdateMarketBody = /* @__PURE__ */ z.lazy(() =>
  z
    .strictObject({
      name: z.optional(trimmed(3, 200)),
      description: z.optional(z.string().check(z.maxLength(5000))),
      category: z.optional(z.nullable(keyPart(1, 50))),
      closesAt: z.optional(IsoDateTime),
      status: z.optional(Status),
      outcome: z.optional(Outcome),
    })
    .check(
      z.refine((body) => Object.keys(body).length > 0, "at least one field is required"),
      z.refine((body) => body.outcome === undefined || body.status === "resolved", {
        message: 'outcome is only accepted with status "resolved"',
        path: ["outcome"],
      }),
      z.refine((body) => body.status !== "resolved" || body.outcome !== undefined, {
        message: 'status "resolved" needs an outcome of "yes" or "no"',
        path: ["outcome"],
      }),
    )
    // The first refine above, in words JSON Schema (and so the OpenAPI document) understands.
    .register(z.globalRegistry, { minProperties: 1 }),
);
export type UpdateMarketBody = z.infer<typeof UpdateMarketBody>;

export const UpdateProfileBody = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({ displayName: trimmed(1, 50) }),
);
export type UpdateProfileBody = z.infer<typeof UpdateProfileBody>;

/**
 * A whole number in a query string. The parsed side is an integer so that the OpenAPI document,
 * which describes query parameters by the value they parse to, says `integer` with its range.
 */
const intInRange = (min: number, max: number) =>
  z.pipe(
    z.string().check(z.regex(/^\d{1,7}$/, "must be a whole number")),
    z.pipe(z.transform(Number), z.int().check(z.gte(min), z.lte(max))),
  );

const FieldList = /* @__PURE__ */ z.lazy(() =>
  z.pipe(
    z.string().check(z.minLength(1)),
    z.pipe(
      z.transform((value: string) => value.split(",").map((field) => field.trim())),
      z.array(z.enum(MARKET_FIELDS)),
    ),
  ),
);

export const ListMarketsQuery = /* @__PURE__ */ z.lazy(() =>
  z
    .strictObject({
      status: z.optional(Status),
      creatorId: z.optional(UserId),
      category: z.optional(keyPart(1, 50)),
      sort: z._default(z.enum(["volume", "createdAt", "closesAt"]), "createdAt"),
      order: z.optional(z.enum(["asc", "desc"])),
      limit: z._default(intInRange(1, 100), 20),
      cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
      offset: z.optional(intInRange(0, 1000)),
      fields: z.optional(FieldList),
    })
    .check(
      z.refine((query) => query.cursor === undefined || query.offset === undefined, {
        message: "use either cursor or offset, not both",
        path: ["offset"],
      }),
    ),
);
export type ListMarketsQuery = z.infer<typeof ListMarketsQuery>;

export const PageQuery = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    limit: z._default(intInRange(1, 100), 20),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  }),
);
export type PageQuery = z.infer<typeof PageQuery>;

export const SearchQuery = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    q: trimmed(1, 200),
    limit: z._default(intInRange(1, 50), 10),
    status: z.optional(Status),
  }),
);
export type SearchQuery = z.infer<typeof SearchQuery>;

export const EmptyQuery = /* @__PURE__ */ z.lazy(() => z.strictObject({}));
