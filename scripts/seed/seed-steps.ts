/**
 * The writes of `npm run seed`, one seeded thing at a time, each skipped when `Existing` shows it
 * is already done. A market goes the way a real one does: created (draft or active, maybe with
 * the creator's stake), positions while it is active, closed by its creator, resolved by a
 * moderator; a run that stopped half-way picks up at the step where it stopped.
 */
import type { SeedClient } from "./seed-client.ts";
import type { SeedMarket, SeedUser } from "./seed-data.ts";

/** What the API already holds for the seeded users, read before any write. */
export interface Existing {
  /** By market name (seeded names are unique). */
  markets: Map<string, { id: string; status: string }>;
  /** `<marketId>:<userId>` of every position held. */
  positions: Set<string>;
  /** Display names seen on the users' markets. */
  displayNames: Map<string, string>;
}

export interface Tally {
  profiles: number;
  created: number;
  positions: number;
  volume: number;
  transitions: number;
  failures: string[];
}

type TokenFor = (user: SeedUser) => Promise<string>;

/** Set the user's display name, unless their markets already show it. */
export async function seedProfile(
  client: SeedClient,
  tokenFor: TokenFor,
  user: SeedUser,
  existing: Existing,
  tally: Tally,
): Promise<void> {
  if (existing.displayNames.get(user.sub) === user.displayName) return;
  const response = await client.request("PUT", "/api/me", {
    token: await tokenFor(user),
    body: { displayName: user.displayName },
  });
  if (response.status === 200) tally.profiles += 1;
  else tally.failures.push(`profile ${user.sub}: ${response.status} ${response.body.code ?? ""}`);
}

/** Bring one market to its planned state; a failure is recorded and the market left as it is. */
export async function seedMarket(
  client: SeedClient,
  tokenFor: TokenFor,
  moderators: readonly SeedUser[],
  market: SeedMarket,
  existing: Existing,
  tally: Tally,
): Promise<void> {
  try {
    const creatorToken = await tokenFor(market.creator);
    let current = existing.markets.get(market.name);
    if (!current) {
      const created = await client.request("POST", "/api/markets", {
        token: creatorToken,
        idempotencyKey: `seed-${market.key}`,
        body: {
          name: market.name,
          description: market.description,
          category: market.category,
          closesAt: market.closesAt,
          status: market.status === "draft" ? "draft" : "active",
          ...(market.initialPosition ? { initialPosition: market.initialPosition } : {}),
        },
      });
      if (created.status !== 201)
        throw new Error(`create: ${created.status} ${created.body.code} ${created.body.error}`);
      const data = created.body.data as { id: string; status: string };
      current = { id: data.id, status: data.status };
      tally.created += 1;
      if (market.initialPosition) {
        tally.positions += 1;
        tally.volume += market.initialPosition.amount;
      }
    }
    if (market.status === "draft") return;

    if (current.status === "active") {
      for (const position of market.positions) {
        if (existing.positions.has(`${current.id}:${position.user.sub}`)) continue;
        const opened = await client.request("POST", `/api/markets/${current.id}/positions`, {
          token: await tokenFor(position.user),
          idempotencyKey: `seed-${position.key}`,
          body: { side: position.side, amount: position.amount },
        });
        if (opened.status !== 201)
          throw new Error(`position ${position.key}: ${opened.status} ${opened.body.code}`);
        tally.positions += 1;
        tally.volume += position.amount;
      }
    }

    if (market.status !== "active" && current.status === "active") {
      await transition(client, creatorToken, current.id, { status: "closed" });
      current.status = "closed";
      tally.transitions += 1;
    }
    if (market.status === "resolved" && current.status === "closed") {
      // Only moderators and admins resolve; the work is spread over them, like their rate limits.
      const moderator = moderators[Number.parseInt(market.key.slice(1), 10) % moderators.length] as SeedUser;
      await transition(client, await tokenFor(moderator), current.id, {
        status: "resolved",
        outcome: market.outcome,
      });
      tally.transitions += 1;
    }
  } catch (error) {
    tally.failures.push(
      `${market.key} "${market.name}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

async function transition(
  client: SeedClient,
  token: string,
  id: string,
  body: Record<string, unknown>,
): Promise<void> {
  const response = await client.request("PATCH", `/api/markets/${id}`, { token, body });
  if (response.status !== 200)
    throw new Error(`PATCH ${JSON.stringify(body)}: ${response.status} ${response.body.code}`);
}
