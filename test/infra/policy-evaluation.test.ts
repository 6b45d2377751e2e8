/**
 * The synthesized policies refuse what the least-privilege test (test/e2e/least-privilege.test.ts)
 * would catch the code doing: reading another user's email (a whole profile, a batch that mixes
 * markets and profiles without a projection, a write that returns the profile), touching
 * idempotency records from a route that is not idempotent, writing a market or a position (or
 * anything under MARKET#) from the index worker, querying an index or searching vectors without the grant. Evaluated with the same
 * IAM evaluation as that test, on requests shaped as the SDK sends them.
 */
import { afterAll, describe, expect, it } from "vitest";
import { functionId } from "../../infra/markets-api-stack.ts";
import { routes, workers } from "../../infra/route-table.ts";
import { authorisedRequests } from "../support/dynamo-requests.ts";
import { policyAllows, statementsByBundle } from "../support/iam-policy.ts";
import { cleanupSynth, synthStack } from "../support/synth-stack.ts";

const TABLE = "markets";
const functions = Object.fromEntries(
  [...routes, ...workers].map((declaration) => [declaration.handler, functionId(declaration.handler)]),
);
const statements = statementsByBundle(synthStack().resources, functions, TABLE);
afterAll(() => cleanupSynth());

const key = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } });
const names = {
  ExpressionAttributeNames: { "#p0": "id", "#p1": "displayName" },
  ProjectionExpression: "#p0,#p1",
};
const allows = (bundle: string, operation: string, input: Record<string, unknown>) => {
  const granted = statements.get(bundle);
  if (!granted) throw new Error(`no function ${bundle}`);
  return authorisedRequests(operation, { TableName: TABLE, ...input }).every((request) =>
    policyAllows(granted, request),
  );
};

describe("reads of other users' profiles", () => {
  it("markets-get may batch-read names, never a whole profile", () => {
    const users = { Keys: [key("USER#a", "PROFILE"), key("USER#b", "PROFILE")] };
    expect(allows("markets-get", "BatchGetItem", { RequestItems: { [TABLE]: { ...users, ...names } } })).toBe(
      true,
    );
    expect(allows("markets-get", "BatchGetItem", { RequestItems: { [TABLE]: users } })).toBe(false);
    const withEmail = {
      ExpressionAttributeNames: { "#p0": "displayName", "#p1": "email" },
      ProjectionExpression: "#p0,#p1",
    };
    expect(
      allows("markets-get", "BatchGetItem", { RequestItems: { [TABLE]: { ...users, ...withEmail } } }),
    ).toBe(false);
    expect(allows("markets-get", "GetItem", { Key: key("USER#a", "PROFILE"), ...names })).toBe(false);
  });

  it("a batch that mixes a market and a profile is refused unless it projects names only", () => {
    const mixed = { Keys: [key("MARKET#m", "MARKET"), key("USER#a", "PROFILE")] };
    for (const bundle of ["markets-get", "markets-search", "markets-list"]) {
      expect(allows(bundle, "BatchGetItem", { RequestItems: { [TABLE]: mixed } }), bundle).toBe(false);
    }
  });

  it("markets-create reads its caller's name only, and its profile writes return nothing", () => {
    expect(allows("markets-create", "GetItem", { Key: key("USER#a", "PROFILE"), ...names })).toBe(true);
    expect(allows("markets-create", "GetItem", { Key: key("USER#a", "PROFILE") })).toBe(false);
    const ensure = {
      Key: key("USER#a", "PROFILE"),
      UpdateExpression: "SET id = :id, displayName = if_not_exists(displayName, :name)",
    };
    expect(allows("markets-create", "UpdateItem", ensure)).toBe(true);
    expect(allows("markets-create", "UpdateItem", { ...ensure, ReturnValues: "ALL_OLD" })).toBe(false);
    expect(allows("positions-open", "UpdateItem", { ...ensure, ReturnValues: "ALL_NEW" })).toBe(false);
  });

  it("only PUT /api/me gets a profile back, email included", () => {
    const rename = {
      Key: key("USER#a", "PROFILE"),
      UpdateExpression: "SET displayName = :name",
      ReturnValues: "ALL_NEW",
    };
    expect(allows("me-update-profile", "UpdateItem", rename)).toBe(true);
    for (const bundle of statements.keys()) {
      if (bundle === "me-update-profile") continue;
      expect(allows(bundle, "UpdateItem", rename), bundle).toBe(false);
      expect(allows(bundle, "GetItem", { Key: key("USER#a", "PROFILE") }), bundle).toBe(false);
    }
  });
});

describe("other records", () => {
  it("idempotency records are reachable by idempotent routes only", () => {
    const record = { Item: { ...key("IDEMPOTENCY#u", "k"), status: { S: "INPROGRESS" } } };
    for (const route of routes) {
      const bundle = route.handler.replaceAll("/", "-");
      expect(allows(bundle, "PutItem", record), bundle).toBe(route.idempotent === true);
      expect(allows(bundle, "GetItem", { Key: key("IDEMPOTENCY#u", "k") }), bundle).toBe(false);
    }
  });

  it("the index worker writes vector items, never a market's attributes", () => {
    const vector = { Item: { ...key("VECTOR#m", "VECTOR"), marketId: { S: "m" }, indexedAt: { S: "t" } } };
    expect(allows("workers-index-markets", "PutItem", vector)).toBe(true);
    const market = { Item: { ...key("MARKET#m", "MARKET"), volume: { N: "0" }, name: { S: "x" } } };
    expect(allows("workers-index-markets", "PutItem", market)).toBe(false);
    expect(
      allows("workers-index-markets", "UpdateItem", {
        Key: key("MARKET#m", "MARKET"),
        UpdateExpression: "SET marketId = :m",
      }),
    ).toBe(false);
  });

  it("the index worker cannot write under MARKET# at all, even an item of vector attributes only", () => {
    const worker = "workers-index-markets";
    const stub = { marketId: { S: "m" }, status: { S: "closed" }, indexedAt: { S: "t" } };
    // A market's item, a position, and a vector at its old key beside the market.
    for (const sk of ["MARKET", "POSITION#u", "VECTOR"]) {
      const target = key("MARKET#m", sk);
      expect(allows(worker, "PutItem", { Item: { ...target, ...stub } }), `PutItem ${sk}`).toBe(false);
      expect(
        allows(worker, "UpdateItem", {
          Key: target,
          UpdateExpression: "SET #s = :s",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":s": { S: "closed" } },
        }),
        `UpdateItem ${sk}`,
      ).toBe(false);
      expect(allows(worker, "DeleteItem", { Key: target }), `DeleteItem ${sk}`).toBe(false);
    }
    // Its own prefix: the put it makes, a put of anything but vector attributes refused even there.
    expect(allows(worker, "PutItem", { Item: { ...key("VECTOR#m", "VECTOR"), ...stub } })).toBe(true);
    expect(allows(worker, "PutItem", { Item: { ...key("VECTOR#m", "VECTOR"), name: { S: "x" } } })).toBe(
      false,
    );
    expect(allows(worker, "GetItem", { Key: key("VECTOR#m", "VECTOR") })).toBe(true);
    // It only ever puts whole items, so nothing else is granted even on its own prefix.
    expect(allows(worker, "DeleteItem", { Key: key("VECTOR#m", "VECTOR") })).toBe(false);
    expect(
      allows(worker, "PutItem", { Item: { ...key("VECTOR#m", "VECTOR"), ...stub }, ReturnValues: "ALL_OLD" }),
    ).toBe(false);
  });

  it("index queries and vector search need their own grants", () => {
    const query = {
      IndexName: "positionsByUser",
      KeyConditionExpression: "userKey = :u",
      ExpressionAttributeValues: { ":u": { S: "USER#a" } },
    };
    expect(allows("me-positions", "Query", query)).toBe(true);
    expect(allows("markets-list", "Query", query)).toBe(false);
    const search = { IndexName: "marketEmbeddings" };
    expect(allows("markets-search", "SearchVectors", search)).toBe(true);
    expect(allows("markets-get", "SearchVectors", search)).toBe(false);
  });
});
