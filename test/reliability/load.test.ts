/**
 * A bounded load run on loopback: many callers at once, mixed reads and writes (creates, positions,
 * lists, single reads), a fixed number of requests. Zero 5xx, and zero lost writes: every 201 market
 * exists, and each market's volume is exactly the sum of the positions acknowledged on it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import {
  type ApiClient,
  type ApiResponse,
  api,
  marketBody,
  newUser,
  type TestUser,
} from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";

const CALLERS = 24;
const ROUNDS = 12;
let cloud: LocalCloud;
let client: ApiClient;

beforeAll(async () => {
  cloud = await startE2eCloud({ startPoller: false, env: { POWERTOOLS_LOG_LEVEL: "ERROR" } });
  client = api(cloud);
});

afterAll(async () => {
  await cloud?.stop();
});

const cents = (value: number) => Math.round(value * 100);

describe("bounded load", () => {
  it("serves many callers with zero 5xx and zero lost writes", async () => {
    const callers: TestUser[] = await Promise.all(Array.from({ length: CALLERS }, () => newUser("user")));
    const seed = await Promise.all(
      callers.slice(0, 4).map((caller) => client.post("/api/markets", marketBody(), { token: caller.token })),
    );
    const markets = seed.map((answer) => answer.body.data.id as string);
    const created: string[] = [];
    const accepted = new Map<string, number>(markets.map((id) => [id, 0]));
    const statuses = new Map<number, number>();
    const count = (answer: ApiResponse) =>
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);

    await Promise.all(
      callers.map(async (caller, c) => {
        for (let round = 0; round < ROUNDS; round++) {
          const kind = (c + round) % 4;
          const market = markets[(c * 7 + round) % markets.length] as string;
          if (kind === 0) {
            const answer = await client.post("/api/markets", marketBody(), { token: caller.token });
            count(answer);
            if (answer.status === 201) created.push(answer.body.data.id);
          } else if (kind === 1) {
            const amount = 1 + ((c + round) % 9) / 4;
            const answer = await client.post(
              `/api/markets/${market}/positions`,
              { side: round % 2 ? "yes" : "no", amount },
              { token: caller.token },
            );
            count(answer);
            if (answer.status === 201) accepted.set(market, (accepted.get(market) ?? 0) + cents(amount));
          } else if (kind === 2) {
            count(await client.get(`/api/markets?limit=20&sort=${round % 2 ? "volume" : "createdAt"}`));
          } else {
            count(await client.get(`/api/markets/${market}`, { token: caller.token }));
          }
        }
      }),
    );
    const total = [...statuses.values()].reduce((sum, n) => sum + n, 0);
    console.info(
      `[load] ${CALLERS} callers, ${total} requests, statuses ${[...statuses].map(([s, n]) => `${s}×${n}`).join(" ")}`,
    );
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
    expect(total).toBe(CALLERS * ROUNDS);

    for (const id of created) expect((await client.get(`/api/markets/${id}`)).status).toBe(200);
    for (const [id, sum] of accepted) {
      const market = await client.get(`/api/markets/${id}`);
      expect(cents(market.body.data.volume), id).toBe(sum);
    }
    console.info(
      `[load] ${created.length} markets created and found, ${[...accepted.values()].reduce((a, b) => a + b, 0) / 100} volume accepted and stored, 0 writes lost`,
    );
  }, 180_000);
});
