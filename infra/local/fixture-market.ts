/**
 * The market that the event fixtures name (test/fixtures/events/get-market.json and
 * index-markets-sqs.json). Ids are made by the API, so no create can produce this one: `npm run
 * invoke` writes it through the real repository when an event names it and it is missing, so the
 * fixtures answer as documented (200, an indexed record) on any database, fresh or not.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Market } from "../../shared/domain/market.ts";
import { DynamoMarketRepository } from "../../shared/repositories/dynamo-market-repository.ts";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "./local-env.ts";

export const FIXTURE_MARKET_ID = "01JFIXTUREMARKET0000000001";

const FIXTURE_MARKET: Market = {
  id: FIXTURE_MARKET_ID,
  name: "Will it rain in Paris on 2030-01-01?",
  description:
    "The market the event fixtures read. Resolves yes if Météo-France records rain in Paris that day.",
  category: "weather",
  status: "active",
  outcome: null,
  closesAt: "2030-01-01T00:00:00.000Z",
  volume: 0,
  yesVolume: 0,
  noVolume: 0,
  creatorId: "fixture-user",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  version: 1,
};

/** Whether an event (any JSON) names the fixture market. */
export function namesFixtureMarket(event: unknown): boolean {
  return JSON.stringify(event).includes(FIXTURE_MARKET_ID);
}

/** Write the fixture market unless it exists; returns whether it was written. */
export async function ensureFixtureMarket(options: {
  endpoint: string;
  tableName: string;
}): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint: options.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const markets = new DynamoMarketRepository({
    table: options.tableName,
    db: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
  });
  try {
    if (await markets.get(FIXTURE_MARKET_ID)) return false;
    await markets.create(FIXTURE_MARKET);
    return true;
  } finally {
    client.destroy();
  }
}
