/**
 * A thin layer in front of DynamoDB Local that answers SearchVectors (which DynamoDB Local lacks)
 * and passes every other request through untouched: method, path, headers and body bytes go to
 * DynamoDB Local as received, and its answer comes back as sent. So the `dynamodb` search engine
 * runs the same adapter code under `npm start` and in tests as deployed.
 *
 * The vector index of each table comes from vector-schema.ts (DynamoDB Local would not keep a
 * VectorIndexes declaration). Its items are read with one Scan on the first search of a table;
 * afterwards every write seen passing through (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
 * TransactWriteItems) marks its keys, and the next search re-reads just those, consistently.
 */

import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type AttributeValue,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import type { VectorIndexDefinition } from "../../shared/repositories/vector-schema.ts";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "./local-env.ts";
import {
  AwsError,
  estimatedRequestBytes,
  type IndexedItem,
  type Item,
  parseRequest,
  type SearchVectorsRequest,
  search,
  toIndexedItem,
} from "./search-vectors-emulation.ts";

const TARGET_PREFIX = "DynamoDB_20120810.";
const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"]);

export interface SearchVectorsProxyOptions {
  /** DynamoDB Local's endpoint. */
  target: string;
  /** The vector indexes every table has (the local tables are all built from table-schema.ts). */
  indexes: readonly VectorIndexDefinition[];
}

export interface SearchVectorsProxy {
  readonly endpoint: string;
  stop(): Promise<void>;
}

interface TableState {
  keyAttributes: string[];
  items: Map<string, IndexedItem>[];
  /** Keys written since the last search, re-read before the next one. */
  dirty: Map<string, Item>;
}

export async function startSearchVectorsProxy(
  options: SearchVectorsProxyOptions,
): Promise<SearchVectorsProxy> {
  const target = new URL(options.target);
  const db = new DynamoDBClient({
    endpoint: options.target,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const tables = new Map<string, Promise<TableState>>();

  const keyOf = (state: TableState, item: Item) =>
    JSON.stringify(state.keyAttributes.map((name) => item[name]));

  const loadTable = (table: string): Promise<TableState> => {
    let state = tables.get(table);
    if (!state) {
      state = (async () => {
        const { Table } = await db.send(new DescribeTableCommand({ TableName: table }));
        const keyAttributes = (Table?.KeySchema ?? []).map((key) => key.AttributeName as string);
        const loaded: TableState = {
          keyAttributes,
          items: options.indexes.map(() => new Map()),
          dirty: new Map(),
        };
        let startKey: Item | undefined;
        do {
          const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
          for (const item of page.Items ?? []) apply(loaded, keyOf(loaded, item), item);
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        return loaded;
      })();
      tables.set(table, state);
      state.catch(() => tables.delete(table));
    }
    return state;
  };

  const apply = (state: TableState, key: string, item: Item | undefined) => {
    options.indexes.forEach((index, n) => {
      const entry = item && toIndexedItem(index, item);
      if (entry) state.items[n]?.set(key, entry);
      else state.items[n]?.delete(key);
    });
  };

  /** Notes the keys a successful write touched, for tables already loaded. */
  const noteWrite = async (operation: string, body: Buffer) => {
    const input = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    const touched: [string, Item][] = [];
    const add = (table: unknown, item: unknown) => {
      if (typeof table === "string" && item && typeof item === "object") touched.push([table, item as Item]);
    };
    if (operation === "PutItem") add(input.TableName, input.Item);
    if (operation === "UpdateItem" || operation === "DeleteItem") add(input.TableName, input.Key);
    if (operation === "BatchWriteItem") {
      for (const [table, requests] of Object.entries(
        (input.RequestItems ?? {}) as Record<string, unknown[]>,
      )) {
        for (const request of requests as { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]) {
          add(table, request.PutRequest?.Item ?? request.DeleteRequest?.Key);
        }
      }
    }
    if (operation === "TransactWriteItems") {
      for (const action of (input.TransactItems ?? []) as Record<
        string,
        { TableName: string; Item?: Item; Key?: Item }
      >[]) {
        for (const kind of ["Put", "Update", "Delete"]) {
          const step = action[kind];
          if (step) add(step.TableName, step.Item ?? step.Key);
        }
      }
    }
    for (const [table, item] of touched) {
      const state = await tables.get(table)?.catch(() => undefined);
      if (!state) continue;
      const key = Object.fromEntries(state.keyAttributes.map((name) => [name, item[name] as AttributeValue]));
      state.dirty.set(keyOf(state, key), key);
    }
  };

  const searchVectors = async (body: Buffer) => {
    const request = JSON.parse(body.toString("utf8")) as SearchVectorsRequest;
    if (!request.TableName)
      throw new AwsError(
        "ValidationException",
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
      );
    if (!request.IndexName)
      throw new AwsError(
        "ValidationException",
        "1 validation error detected: Value null at 'indexName' failed to satisfy constraint: Member must not be null",
      );
    const state = await loadTable(request.TableName).catch((error: unknown) => {
      if ((error as { name?: string }).name === "ResourceNotFoundException") {
        throw new AwsError("ResourceNotFoundException", "Requested resource not found");
      }
      throw error;
    });
    const n = options.indexes.findIndex((index) => index.IndexName === request.IndexName);
    const index = options.indexes[n];
    if (!index) {
      throw new AwsError(
        "ValidationException",
        `The table does not have the specified index: ${request.IndexName}`,
      );
    }
    const parsed = parseRequest(request, index);
    const dirty = [...state.dirty];
    state.dirty.clear();
    await Promise.all(
      dirty.map(async ([key, keyItem]) => {
        const { Item } = await db.send(
          new GetItemCommand({ TableName: request.TableName, Key: keyItem, ConsistentRead: true }),
        );
        apply(state, key, Item);
      }),
    );
    const results = search(index, state.keyAttributes, state.items[n]?.values() ?? [], parsed);
    const wantsCapacity =
      request.ReturnConsumedCapacity === "TOTAL" || request.ReturnConsumedCapacity === "INDEXES";
    return {
      SearchResults: results,
      ...(wantsCapacity
        ? { ConsumedCapacity: { VectorSearchRequestBytes: estimatedRequestBytes(index, results.length) } }
        : {}),
    };
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const targetHeader = String(req.headers["x-amz-target"] ?? "");
      const operation = targetHeader.startsWith(TARGET_PREFIX)
        ? targetHeader.slice(TARGET_PREFIX.length)
        : "";
      if (operation === "SearchVectors") {
        searchVectors(body).then(
          (output) => respond(res, 200, output),
          (error: unknown) => respondError(res, error),
        );
        return;
      }
      forward(req, res, body, target, () => {
        if (WRITES.has(operation)) noteWrite(operation, body).catch(() => {});
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      db.destroy();
    },
  };
}

/** Byte-for-byte relay of one request and its response; `done` runs once the response is complete. */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  target: URL,
  done: () => void,
): void {
  const upstream = httpRequest(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
      answer.on("end", done);
    },
  );
  upstream.on("error", (error) => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end(String(error));
  });
  upstream.end(body);
}

function respond(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/x-amz-json-1.0",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": crypto.randomUUID(),
  });
  res.end(text);
}

function respondError(res: ServerResponse, error: unknown): void {
  if (error instanceof AwsError) {
    respond(res, 400, { __type: `com.amazonaws.dynamodb.v20120810#${error.type}`, message: error.message });
    return;
  }
  if (error instanceof SyntaxError) {
    respond(res, 400, {
      __type: "com.amazon.coral.service#SerializationException",
      message: "Malformed JSON request",
    });
    return;
  }
  respond(res, 500, {
    __type: "com.amazonaws.dynamodb.v20120810#InternalServerError",
    message: String(error),
  });
}
