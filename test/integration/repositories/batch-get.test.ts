import { BatchGetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchGet } from "../../../shared/repositories/batch-get.ts";
import { DynamoMarketRepository } from "../../../shared/repositories/dynamo-market-repository.ts";
import { DynamoUserRepository } from "../../../shared/repositories/dynamo-user-repository.ts";
import { keys } from "../../../shared/repositories/table-schema.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../../support/local-cloud.ts";
import { documentClientOf, makeMarket } from "../../support/market-fixtures.ts";
import { sentOf, spyOnSend } from "../../support/spy-send.ts";

const client = testDynamoClient();
const db = documentClientOf(client);
let table: string;
const marketIds: string[] = [];
const userIds: string[] = [];

type BatchInput = BatchGetCommand["input"];
type Key = Record<string, string>;

/**
 * A document client whose BatchGetItem calls are recorded, and which may hand back some keys as
 * UnprocessedKeys instead of reading them (what a throttled DynamoDB does; DynamoDB Local never is).
 */
function recordingClient(options: { unprocessedOnFirstCalls?: number; holdBack?: number } = {}) {
  let throttled = 0;
  const { client: recording, sent } = spyOnSend(db, async (command, next) => {
    if (!(command instanceof BatchGetCommand)) return next(command);
    const input = command.input as BatchInput;
    const [tableName, request] = Object.entries(input.RequestItems ?? {})[0] ?? [];
    const requested = (request?.Keys ?? []) as Key[];
    if (tableName && throttled < (options.unprocessedOnFirstCalls ?? 0)) {
      throttled++;
      const held = requested.slice(0, options.holdBack ?? Math.ceil(requested.length / 2));
      const read = requested.slice(held.length);
      const result = read.length
        ? ((await next(
            new BatchGetCommand({ RequestItems: { [tableName]: { ...request, Keys: read } } }),
          )) as object)
        : { Responses: { [tableName]: [] } };
      return { ...result, UnprocessedKeys: { [tableName]: { ...request, Keys: held } } };
    }
    return next(command);
  });
  /** The keys each BatchGetItem call asked for. */
  const calls = () =>
    sentOf(sent, BatchGetCommand).map(
      ({ input }) =>
        (Object.values(input.RequestItems as BatchInput["RequestItems"] & object)[0]?.Keys ?? []) as Key[],
    );
  return { db: recording, calls };
}

beforeAll(async () => {
  table = await createTestTable("batch-get");
  const markets = new DynamoMarketRepository({ table, db });
  const users = new DynamoUserRepository({ table, db });
  const now = new Date().toISOString();
  for (let i = 0; i < 220; i++) {
    const market = makeMarket({ name: `Market number ${i}` });
    marketIds.push(market.id);
    userIds.push(`user-${i}`);
  }
  // Writes in small waves: DynamoDB Local is one JVM shared by the whole run.
  for (let i = 0; i < marketIds.length; i += 25) {
    await Promise.all(
      marketIds
        .slice(i, i + 25)
        .flatMap((id, j) => [
          markets.create(makeMarket({ id, name: `Market number ${i + j}` })),
          users.ensure(`user-${i + j}`, { displayName: `User ${i + j}`, email: null }, now),
        ]),
    );
  }
});

afterAll(async () => {
  await deleteTestTable(table);
  client.destroy();
});

describe("batch reads of more than 100 keys", () => {
  it("getMany returns every existing market of 250 ids in one logical call, in chunks of 100", async () => {
    const { db: recording, calls } = recordingClient();
    const repository = new DynamoMarketRepository({ table, db: recording });
    const missing = Array.from({ length: 30 }, (_, i) => `missing-${i}`);
    const ids = [...marketIds, ...missing];
    expect(ids).toHaveLength(250);
    const found = await repository.getMany(ids);
    expect(found.size).toBe(220);
    expect([...found.keys()].sort()).toEqual([...marketIds].sort());
    expect(found.get(marketIds[7] as string)?.name).toBe("Market number 7");
    expect(
      calls()
        .map((keys) => keys.length)
        .sort((a, b) => a - b),
    ).toEqual([50, 100, 100]);
  });

  it("getMany reads duplicates once and honours the projection", async () => {
    const { db: recording, calls } = recordingClient();
    const repository = new DynamoMarketRepository({ table, db: recording });
    const ids = [...marketIds.slice(0, 150), ...marketIds.slice(0, 150)];
    const found = await repository.getMany(ids, ["name", "status"]);
    expect(found.size).toBe(150);
    for (const market of found.values()) expect(Object.keys(market).sort()).toEqual(["id", "name", "status"]);
    expect(calls().flat()).toHaveLength(150);
  });

  it("getSummaries returns every existing user of 250 ids", async () => {
    const { db: recording, calls } = recordingClient();
    const users = new DynamoUserRepository({ table, db: recording });
    const ids = [...userIds, ...Array.from({ length: 30 }, (_, i) => `ghost-${i}`)];
    const found = await users.getSummaries(ids);
    expect(found.size).toBe(220);
    expect(found.get("user-199")).toEqual({ id: "user-199", displayName: "User 199" });
    expect(found.has("ghost-1")).toBe(false);
    expect(calls()).toHaveLength(3);
    expect(await users.getSummaries([])).toEqual(new Map());
  });

  it("retries UnprocessedKeys until every item is read", async () => {
    const { db: recording, calls } = recordingClient({ unprocessedOnFirstCalls: 3 });
    const repository = new DynamoMarketRepository({ table, db: recording });
    const found = await repository.getMany(marketIds);
    expect(found.size).toBe(220);
    expect([...found.keys()].sort()).toEqual([...marketIds].sort());
    // 3 chunks, 3 of the calls held half their keys back, and those were asked for again.
    expect(calls().length).toBeGreaterThanOrEqual(6);
    const requested = calls()
      .flat()
      .map((key) => key.pk);
    expect(new Set(requested).size).toBe(220);
    // Every retry asked only for what was held back, never for everything again.
    expect(requested.length).toBeLessThan(220 * 2);
  });

  it("retries a chunk whose every key came back unprocessed", async () => {
    const { db: recording, calls } = recordingClient({ unprocessedOnFirstCalls: 2, holdBack: 100 });
    const found = await batchGet(
      recording,
      table,
      marketIds.slice(0, 60).map((id) => keys.market(id)),
      ["id"],
    );
    expect(found.map((item) => item.id).sort()).toEqual(marketIds.slice(0, 60).sort());
    expect(calls()).toHaveLength(3);
  });

  it("gives up with an error when keys stay unprocessed", async () => {
    const { db: recording, calls } = recordingClient({ unprocessedOnFirstCalls: 100, holdBack: 1 });
    const error = await batchGet(
      recording,
      table,
      marketIds.slice(0, 3).map((id) => keys.market(id)),
    ).catch((e: unknown) => e);
    // batch-get.ts's own error once its 8 attempts are spent; each retry asked only for the held key.
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).constructor.name).toBe("UnprocessedKeysLeft");
    expect(calls().map((keys) => keys.length)).toEqual([3, 1, 1, 1, 1, 1, 1, 1]);
  });
});
