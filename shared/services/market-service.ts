/**
 * Market use cases: visibility of drafts, ownership, If-Match, status transitions, creator
 * embedding with one batch read per page, and queueing search indexing after each write.
 * Knows nothing of HTTP or DynamoDB.
 */
import { type Caller, isPrivileged } from "../auth/permissions.ts";
import type { IfMatch } from "../domain/if-match.ts";
import type { Market, MarketChanges, MarketField, MarketWithCreator } from "../domain/market.ts";
import {
  assertMayChange,
  assertTransition,
  assertVisible,
  changesSearchableText,
  PUBLIC_STATUSES,
} from "../domain/market-rules.ts";
import type { Page } from "../domain/page.ts";
import type { Position } from "../domain/position.ts";
import type {
  CreateMarketBody,
  ListMarketsQuery,
  ReplaceMarketBody,
  UpdateMarketBody,
} from "../domain/schemas.ts";
import {
  ConflictError,
  MarketHasPositionsError,
  PreconditionFailedError,
  UnauthorizedError,
} from "../errors.ts";
import { METRIC, type MetricsRecorder } from "../metrics/metrics-recorder.ts";
import type { IndexJob } from "../queue/index-jobs.ts";
import type { MarketRepository, ReadOptions } from "../repositories/market-repository.ts";
import type { PositionRepository } from "../repositories/position-repository.ts";
import type { CreatorDirectory } from "./creator-directory.ts";
import type { IndexScheduler } from "./index-scheduler.ts";
import type { Profiles } from "./profiles.ts";

export interface MarketServiceOptions {
  markets: MarketRepository;
  positions: PositionRepository;
  creators: CreatorDirectory;
  profiles: Profiles;
  indexing: IndexScheduler;
  /** Markets created and initial positions; none recorded when omitted. */
  metrics?: MetricsRecorder;
  newId: () => string;
  now?: () => Date;
}

export class MarketService {
  constructor(private readonly opts: MarketServiceOptions) {}

  async list(caller: Caller | undefined, query: ListMarketsQuery): Promise<Page<Partial<MarketWithCreator>>> {
    let creatorId = query.creatorId;
    if (query.status === "draft") {
      if (!caller) throw new UnauthorizedError("Listing drafts needs a bearer token");
      if (!isPrivileged(caller)) {
        // A user sees only its own drafts: someone else's are an empty list, with no query at all.
        if (creatorId !== undefined && creatorId !== caller.id) return { items: [], nextCursor: null };
        creatorId = caller.id;
      }
    }
    const fields = query.fields;
    const wantsCreator = !fields || fields.includes("creator");
    const attributes = fields ? attributesFor(fields, wantsCreator) : undefined;
    const page = await this.opts.markets.list({
      statuses: query.status ? [query.status] : PUBLIC_STATUSES,
      creatorId,
      category: query.category,
      sort: query.sort,
      order: query.order ?? (query.sort === "closesAt" ? "asc" : "desc"),
      limit: query.limit,
      offset: query.offset,
      cursor: query.cursor,
      attributes,
    });
    let items: Partial<MarketWithCreator>[] = page.items;
    if (wantsCreator) items = await this.opts.creators.embed(page.items as Market[]);
    if (fields && !fields.includes("creatorId")) items = items.map(({ creatorId: _, ...rest }) => rest);
    return { items, nextCursor: page.nextCursor };
  }

  /** One market with its creator; drafts only for their creator, moderators and admins. */
  async get(caller: Caller | undefined, id: string): Promise<MarketWithCreator> {
    const market = await this.findVisible(caller, id);
    const [withCreator] = await this.opts.creators.embed([market]);
    return withCreator as MarketWithCreator;
  }

  async create(caller: Caller, body: CreateMarketBody): Promise<MarketWithCreator & { position?: Position }> {
    const now = this.now().toISOString();
    const market: Market = {
      id: this.opts.newId(),
      name: body.name,
      description: body.description,
      category: body.category ?? null,
      status: body.status,
      outcome: null,
      closesAt: body.closesAt,
      volume: body.initialPosition?.amount ?? 0,
      yesVolume: body.initialPosition?.side === "yes" ? body.initialPosition.amount : 0,
      noVolume: body.initialPosition?.side === "no" ? body.initialPosition.amount : 0,
      creatorId: caller.id,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    // The profile is ensured in the market's own transaction, and the creator's name read beside
    // it: a profile missing at the read is exactly the default that the transaction writes.
    const ensureProfile = this.opts.profiles.toEnsure(caller);
    const [position, creator] = await Promise.all([
      this.opts.markets.create(market, { initialPosition: body.initialPosition, ensureProfile }),
      this.opts.profiles.summaryOf(caller),
    ]);
    this.opts.profiles.written(ensureProfile);
    await this.opts.indexing.schedule(market.id, "created");
    this.opts.metrics?.record([
      { name: METRIC.marketsCreated, unit: "Count", value: 1 },
      ...(body.initialPosition
        ? [
            { name: METRIC.positionsOpened, unit: "Count", value: 1 } as const,
            { name: METRIC.positionVolume, unit: "None", value: body.initialPosition.amount } as const,
          ]
        : []),
    ]);
    return { ...market, creator, ...(position ? { position } : {}) };
  }

  /** PUT: every mutable field; a missing category clears it. */
  replace(caller: Caller, id: string, body: ReplaceMarketBody, ifMatch?: IfMatch) {
    const changes: MarketChanges = { ...body, category: body.category ?? null };
    return this.change(caller, id, changes, ifMatch);
  }

  /** PATCH: only the given fields. */
  update(caller: Caller, id: string, body: UpdateMarketBody, ifMatch?: IfMatch) {
    return this.change(caller, id, body, ifMatch);
  }

  /** Delete a market without positions; `If-Match`, when given, must name its current version. */
  async delete(caller: Caller, id: string, ifMatch?: IfMatch): Promise<void> {
    const market = await this.findVisible(caller, id, { fresh: true });
    if (ifMatch && !ifMatch.matches(market.version)) throw new PreconditionFailedError();
    if (await this.opts.positions.hasAny(id)) throw new MarketHasPositionsError(id);
    // Conditioned on the version just read: a position opened in between bumps it, and the delete
    // is refused instead of orphaning that position.
    await this.opts.markets.delete(id, market.version);
    await this.opts.indexing.schedule(id, "deleted");
  }

  /** Queue re-indexing of an existing market (admin). */
  /** `beforeEnqueue` gates the one write: the rate limiter's decision, which the read ran beside. */
  async reindex(caller: Caller, id: string, beforeEnqueue?: () => Promise<void>): Promise<IndexJob> {
    await this.findVisible(caller, id, { fresh: true });
    await beforeEnqueue?.();
    return this.opts.indexing.enqueue(id, "reindex");
  }

  /**
   * A change decided on the market as read; a concurrent change of the status or category it was
   * decided on is a ConflictError from the write, and the change is decided again on a fresh read
   * (a second conflict in a row is the client's to retry).
   */
  private async change(caller: Caller, id: string, changes: MarketChanges, ifMatch?: IfMatch) {
    try {
      return await this.changeOnce(caller, id, changes, ifMatch);
    } catch (error) {
      if (!(error instanceof ConflictError && error.code === "CONFLICT")) throw error;
      return this.changeOnce(caller, id, changes, ifMatch);
    }
  }

  private async changeOnce(caller: Caller, id: string, changes: MarketChanges, ifMatch?: IfMatch) {
    // Fresh, not cached: the checks below and the write's conditions must see the stored version.
    const current = await this.findVisible(caller, id, { fresh: true });
    // API.md's order: 404 (above) → 403 → 412 → 409.
    assertMayChange(caller, current, changes);
    if (ifMatch && !ifMatch.matches(current.version)) throw new PreconditionFailedError();
    assertTransition(current, changes);
    // The creator is immutable: looked up beside the write rather than after it.
    const [updated, creator] = await Promise.all([
      this.opts.markets.update(
        id,
        changes,
        {
          // `*` accepted whatever was read; pinning that version would fail on any change since.
          version: ifMatch && !ifMatch.wildcard ? current.version : undefined,
          status: changes.status ? current.status : undefined,
          basis: current,
        },
        this.now().toISOString(),
      ),
      this.opts.creators.lookup([current.creatorId]),
    ]);
    if (changesSearchableText(changes)) await this.opts.indexing.schedule(id, "updated");
    return { ...updated, creator: creator(updated.creatorId) };
  }

  /**
   * The market if it exists and the caller may see it; others' drafts are a 404, not a 403.
   * `fresh` skips any cache: every write path decides on the stored market, only reads may use the cache.
   */
  async findVisible(caller: Caller | undefined, id: string, read?: ReadOptions): Promise<Market> {
    return assertVisible(caller, await this.opts.markets.get(id, read));
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }
}

/** Attributes to read for `fields=`: `creator` needs `creatorId` to look the creator up. */
function attributesFor(fields: readonly MarketField[], wantsCreator: boolean): (keyof Market)[] {
  const attributes = new Set(fields.filter((field): field is keyof Market => field !== "creator"));
  if (wantsCreator) attributes.add("creatorId");
  return [...attributes];
}
