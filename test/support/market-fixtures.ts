/** Markets and clients for repository tests: valid domain objects with unique ids. */
import { randomBytes } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Market } from "../../shared/domain/market.ts";

/** A document client configured like the container's. */
export function documentClientOf(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** A ULID-like id (26 chars, A–Z0–9), unique per call. */
export const newId = (prefix = ""): string =>
  `${prefix}${randomBytes(13).toString("hex").toUpperCase()}`.slice(0, 26);

const DAY = 24 * 60 * 60 * 1000;

/** An active market closing in 30 days, created now, unless overridden. */
export function makeMarket(overrides: Partial<Market> = {}): Market {
  const now = new Date().toISOString();
  return {
    id: newId("M"),
    name: "Will the test pass?",
    description: "",
    category: null,
    status: "active",
    outcome: null,
    closesAt: new Date(Date.now() + 30 * DAY).toISOString(),
    volume: 0,
    yesVolume: 0,
    noVolume: 0,
    creatorId: "u-creator",
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...overrides,
  };
}
