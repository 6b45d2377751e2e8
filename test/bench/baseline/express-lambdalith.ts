/**
 * The lambdalith baseline: the API's routes as one Express app behind `serverless-http`, the way a
 * team moving an Express service to Lambda would deploy it, over the same services, repositories,
 * token verifier, rate limiter and request schemas as the per-route bundles. Built only by the
 * benchmarks (test/bench/lambdalith.ts), never deployed: it is what the per-route bundles are
 * compared with, for cold start and warm overhead.
 */
import express, { type NextFunction, type Request, type Response } from "express";
import serverless from "serverless-http";
import { type Caller, hasPermission } from "../../../shared/auth/permissions.ts";
import { bearerToken } from "../../../shared/auth/token-verifier.ts";
import { documentClient, table } from "../../../shared/composition/clients.ts";
import { config } from "../../../shared/composition/environment.ts";
import { tokenVerifier } from "../../../shared/composition/http.ts";
import { searchService } from "../../../shared/composition/search.ts";
import { marketService, positionService, profiles } from "../../../shared/composition/services.ts";
import { parseIfMatch } from "../../../shared/domain/if-match.ts";
import { EmptyQuery } from "../../../shared/domain/schemas.ts";
import { ForbiddenError, RateLimitedError, UnauthorizedError } from "../../../shared/errors.ts";
import { httpErrorOf } from "../../../shared/http/error-status.ts";
import { parseOrThrow } from "../../../shared/http/validate.ts";
import { logger } from "../../../shared/logger.ts";
import { DynamoRateLimitStore } from "../../../shared/repositories/dynamo-rate-limit-store.ts";
import { replaceMarket, updateMarket } from "../../../shared/routes/change-market.ts";
import { createMarket } from "../../../shared/routes/create-market.ts";
import { deleteMarket } from "../../../shared/routes/delete-market.ts";
import { getMarket } from "../../../shared/routes/get-market.ts";
import { listMarketPositions } from "../../../shared/routes/list-market-positions.ts";
import { listMarkets } from "../../../shared/routes/list-markets.ts";
import { myPositions } from "../../../shared/routes/my-positions.ts";
import { openPosition } from "../../../shared/routes/open-position.ts";
import { reindexMarket } from "../../../shared/routes/reindex-market.ts";
import type { AnyRoute } from "../../../shared/routes/route.ts";
import { searchMarkets } from "../../../shared/routes/search-markets.ts";
import { updateProfile } from "../../../shared/routes/update-profile.ts";
import { RateLimiter } from "../../../shared/services/rate-limiter.ts";
import { once } from "../../../shared/util/once.ts";

const rateLimiter = once(() => {
  const { RATE_LIMIT_READS_PER_MINUTE, RATE_LIMIT_WRITES_PER_MINUTE, RATE_LIMIT_ENABLED } = config();
  return new RateLimiter({
    store: RATE_LIMIT_ENABLED
      ? new DynamoRateLimitStore({ table: table(), db: documentClient() })
      : { hit: async () => 0 },
    limits: { read: RATE_LIMIT_READS_PER_MINUTE, write: RATE_LIMIT_WRITES_PER_MINUTE },
  });
});

interface Admitted {
  caller?: Caller;
  params: unknown;
  query: unknown;
  body: unknown;
}

type Action = (input: Admitted, req: Request) => Promise<{ status: number; data?: unknown; meta?: object }>;

/** The checks every route's bundle makes, as Express middleware would make them. */
function handle(route: AnyRoute, action: Action) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const token = bearerToken(req.headers.authorization);
      const caller = token ? await tokenVerifier()(token) : undefined;
      if (route.rateLimit !== "none") {
        const subject = caller ? `user:${caller.id}` : `ip:${req.ip}`;
        const decision = await rateLimiter().consume(subject, route.rateLimit);
        res.set({
          "RateLimit-Limit": String(decision.limit),
          "RateLimit-Remaining": String(decision.remaining),
        });
        if (!decision.allowed) throw new RateLimitedError(decision.resetSeconds);
      }
      if (route.permission) {
        if (!caller) throw new UnauthorizedError();
        if (!hasPermission(caller.role, route.permission)) throw new ForbiddenError("Not permitted");
      }
      const input: Admitted = {
        caller,
        params: route.params ? parseOrThrow(route.params, req.params, "path parameters") : undefined,
        query: parseOrThrow(route.query ?? EmptyQuery, req.query, "query"),
        body: route.body ? parseOrThrow(route.body, req.body ?? {}, "body") : undefined,
      };
      const { status, data, meta } = await action(input, req);
      if (status === 204) res.status(204).end();
      else res.status(status).json(meta ? { success: true, data, meta } : { success: true, data });
      logger.info("request completed", { route: `${route.method} ${route.path}`, status });
    } catch (error) {
      next(error);
    }
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the admitted input is typed by each route's schemas.
const the = (value: unknown) => value as any;

const app = express();
app.disable("x-powered-by");
app.use(express.json({ limit: "64kb" }));
app.get(
  "/api/health",
  handle({ rateLimit: "none" } as AnyRoute, async () => ({ status: 200, data: { status: "ok" } })),
);
app.get(
  "/api/markets",
  handle(listMarkets, async ({ caller, query }) => {
    const page = await marketService().list(caller, the(query));
    return { status: 200, data: page.items, meta: { count: page.items.length, nextCursor: page.nextCursor } };
  }),
);
app.get(
  "/api/markets/search",
  handle(searchMarkets, async ({ caller, query }) => ({
    status: 200,
    data: await searchService().search(caller, the(query)),
  })),
);
app.post(
  "/api/markets",
  handle(createMarket, async ({ caller, body }) => ({
    status: 201,
    data: await marketService().create(the(caller), the(body)),
  })),
);
app.get(
  "/api/markets/:id",
  handle(getMarket, async ({ caller, params }) => ({
    status: 200,
    data: await marketService().get(caller, the(params).id),
  })),
);
app.patch(
  "/api/markets/:id",
  handle(updateMarket, async ({ caller, params, body }, req) => ({
    status: 200,
    data: await marketService().update(
      the(caller),
      the(params).id,
      the(body),
      parseIfMatch(req.headers["if-match"]),
    ),
  })),
);
app.put(
  "/api/markets/:id",
  handle(replaceMarket, async ({ caller, params, body }, req) => ({
    status: 200,
    data: await marketService().replace(
      the(caller),
      the(params).id,
      the(body),
      parseIfMatch(req.headers["if-match"]),
    ),
  })),
);
app.delete(
  "/api/markets/:id",
  handle(deleteMarket, async ({ caller, params }, req) => {
    await marketService().delete(the(caller), the(params).id, parseIfMatch(req.headers["if-match"]));
    return { status: 204 };
  }),
);
app.post(
  "/api/markets/:id/index",
  handle(reindexMarket, async ({ caller, params }) => ({
    status: 202,
    data: await marketService().reindex(the(caller), the(params).id),
  })),
);
app.get(
  "/api/markets/:id/positions",
  handle(listMarketPositions, async ({ caller, params, query }) => {
    const page = await positionService().listForMarket(caller, the(params).id, the(query));
    return { status: 200, data: page.items, meta: { count: page.items.length, nextCursor: page.nextCursor } };
  }),
);
app.post(
  "/api/markets/:id/positions",
  handle(openPosition, async ({ caller, params, body }) => ({
    status: 201,
    data: await positionService().open(the(caller), the(params).id, the(body)),
  })),
);
app.get(
  "/api/me/positions",
  handle(myPositions, async ({ caller, query }) => {
    const page = await positionService().listMine(the(caller), the(query));
    return { status: 200, data: page.items, meta: { count: page.items.length, nextCursor: page.nextCursor } };
  }),
);
app.put(
  "/api/me",
  handle(updateProfile, async ({ caller, body }) => ({
    status: 200,
    data: await profiles().rename(the(caller), the(body).displayName),
  })),
);
app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
  const answer = httpErrorOf(error);
  res
    .status(answer.status)
    .set(answer.headers)
    .json({ success: false, error: answer.message, code: answer.code });
});

export const handler = serverless(app);
