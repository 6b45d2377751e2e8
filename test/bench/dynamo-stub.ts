/**
 * A DynamoDB that answers instantly, for the warm-overhead benchmark: it takes the place of the
 * SDK's HTTP handler and answers each operation of the JSON protocol (X-Amz-Target) with canned
 * items built by the repositories' own item mappers. Everything the SDK does on our side of the
 * network (build, serialise, sign, parse) is still counted; the network and DynamoDB are not.
 * Nothing is stored: every read finds the same market, its creator and its positions.
 */

import { marshall } from "@aws-sdk/util-dynamodb";
import type { Pluggable } from "@smithy/types";
import type { Market } from "../../shared/domain/market.ts";
import { toMarketItem } from "../../shared/repositories/market-item.ts";

export const STUB_MARKET_ID = "01JBENCHMARKET000000000000";
export const STUB_USER_ID = "bench-user";
const NOW = "2026-01-01T00:00:00.000Z";

const market = (id: string): Market => ({
  id,
  name: "Will the benchmark market close above its open?",
  description: "A description of a few hundred characters. ".repeat(6),
  category: "bench",
  status: "active",
  outcome: null,
  closesAt: "2030-01-01T00:00:00.000Z",
  volume: 120,
  yesVolume: 80,
  noVolume: 40,
  creatorId: STUB_USER_ID,
  createdAt: NOW,
  updatedAt: NOW,
  version: 3,
});

const user = (id: string) => ({
  pk: `USER#${id}`,
  sk: "PROFILE",
  id,
  displayName: "Bench User",
  email: null,
  createdAt: NOW,
  updatedAt: NOW,
  version: 1,
});

const position = (marketId: string, userId: string) => ({
  pk: `MARKET#${marketId}`,
  sk: `POSITION#${userId}`,
  userKey: `USER#${userId}`,
  userSort: `POSITION#${marketId}`,
  marketId,
  userId,
  yesAmount: 10,
  noAmount: 0,
  updatedAt: NOW,
});

/** The item stored under a key, by its prefixes: a market, a position or a profile. */
function itemAt(key: { pk: string; sk: string }): Record<string, unknown> | undefined {
  if (key.pk.startsWith("USER#")) return user(key.pk.slice("USER#".length));
  if (!key.pk.startsWith("MARKET#")) return undefined;
  const id = key.pk.slice("MARKET#".length);
  if (key.sk === "MARKET") return { ...toMarketItem(market(id)) };
  if (key.sk.startsWith("POSITION#")) return position(id, key.sk.slice("POSITION#".length));
  return undefined;
}

const plain = (attribute: Record<string, string> | undefined): string => attribute?.S ?? attribute?.N ?? "";

type Request = Record<string, unknown> & {
  Key?: Record<string, Record<string, string>>;
  RequestItems?: Record<string, { Keys: Record<string, Record<string, string>>[] }>;
  ExpressionAttributeValues?: Record<string, Record<string, string>>;
  Limit?: number;
};

/** The answer to one operation; `undefined` for an operation this stub does not know. */
function answer(operation: string, request: Request): unknown {
  switch (operation) {
    case "GetItem": {
      const item = request.Key ? itemAt({ pk: plain(request.Key.pk), sk: plain(request.Key.sk) }) : undefined;
      return item ? { Item: marshall(item, { removeUndefinedValues: true }) } : {};
    }
    case "BatchGetItem": {
      const Responses: Record<string, unknown[]> = {};
      for (const [table, { Keys }] of Object.entries(request.RequestItems ?? {})) {
        Responses[table] = Keys.flatMap((key) => {
          const item = itemAt({ pk: plain(key.pk), sk: plain(key.sk) });
          return item ? [marshall(item, { removeUndefinedValues: true })] : [];
        });
      }
      return { Responses, UnprocessedKeys: {} };
    }
    case "Query": {
      const values = Object.values(request.ExpressionAttributeValues ?? {}).map(plain);
      const positions = values.some((value) => value.startsWith("POSITION#") || value.startsWith("USER#"));
      const count = Math.min(request.Limit ?? 20, 20);
      const Items = Array.from({ length: count }, (_, i) => {
        const id = `${STUB_MARKET_ID.slice(0, -2)}${String(i).padStart(2, "0")}`;
        return marshall(positions ? position(id, STUB_USER_ID) : toMarketItem(market(id)), {
          removeUndefinedValues: true,
        });
      });
      return { Items, Count: Items.length, ScannedCount: Items.length };
    }
    case "UpdateItem":
      // The rate-limit counter reads `hits`; a profile upsert reads the profile.
      return { Attributes: marshall({ hits: 1, ...user(STUB_USER_ID) }) };
    case "PutItem":
    case "DeleteItem":
    case "TransactWriteItems":
      return {};
    default:
      return undefined;
  }
}

/**
 * Where a bundle looks for a stand-in DynamoDB (shared/composition/clients.ts and the bare
 * handler): a global slot, because each bundle carries its own copy of the SDK and nothing else is
 * shared between the benchmark and the code it loads.
 */
export const DYNAMODB_PLUGIN_SLOT = Symbol.for("markets-api.dynamodb-plugin");

export interface DynamoStub {
  /** Calls answered, by operation. */
  readonly calls: Map<string, number>;
}

/**
 * Install the stub for every DynamoDB client built after this call. It sits where the SDK would
 * send the signed HTTP request, inside the deserializer, and answers with the response body
 * DynamoDB would send: the SDK still builds, serialises, signs and parses every call.
 */
export function installDynamoStub(): DynamoStub {
  const calls = new Map<string, number>();
  const stub: Pluggable<object, object> = {
    applyToStack: (stack) => {
      stack.add(
        () => async (args) => {
          const request = args.request as { headers: Record<string, string>; body?: string | Uint8Array };
          const operation = String(request.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
          calls.set(operation, (calls.get(operation) ?? 0) + 1);
          const text =
            typeof request.body === "string" ? request.body : Buffer.from(request.body ?? []).toString();
          const body = answer(operation, JSON.parse(text || "{}"));
          const payload =
            body === undefined
              ? { __type: "com.amazon.coral.service#UnknownOperationException", message: operation }
              : body;
          return {
            response: {
              statusCode: body === undefined ? 400 : 200,
              reason: body === undefined ? "Bad Request" : "OK",
              headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "stub" },
              body: Buffer.from(JSON.stringify(payload)),
            },
            output: {},
          } as never;
        },
        { step: "deserialize", priority: "low", name: "dynamoStub" },
      );
    },
  };
  (globalThis as Record<symbol, unknown>)[DYNAMODB_PLUGIN_SLOT] = stub;
  return { calls };
}
