/**
 * The `dynamodb` engine's requests on the wire, against AWS's SearchVectors API reference: the
 * documented request members only, the HASH equality always present, equality-only conditions,
 * TopK within 1–100, the vector as a list of numbers; and COSINE distances mapped to scores.
 * The SDK runs with a request handler that records instead of sending (no sockets).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoVectorSearch, scoreFromCosineDistance } from "../../../shared/search/dynamo-vector-search.ts";

/** Members of SearchVectorsInput in the API reference's Request Syntax. */
const DOCUMENTED_REQUEST_MEMBERS = new Set([
  "ExpressionAttributeNames",
  "ExpressionAttributeValues",
  "IndexName",
  "ProjectionExpression",
  "ReturnConsumedCapacity",
  "SearchConditionExpression",
  "SearchVector",
  "TableName",
  "TopK",
]);

function recordingEngine(results: unknown[] = []) {
  const sent: { target: string; body: Record<string, unknown> }[] = [];
  const client = new DynamoDBClient({
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    requestHandler: {
      handle: async (request: { headers: Record<string, string>; body: string }) => {
        sent.push({ target: request.headers["x-amz-target"] ?? "", body: JSON.parse(request.body) });
        const body = JSON.stringify({ SearchResults: results });
        return {
          response: {
            statusCode: 200,
            headers: { "content-type": "application/x-amz-json-1.0" },
            body: new TextEncoder().encode(body),
          },
        };
      },
    } as never,
  });
  const engine = new DynamoVectorSearch({ table: "markets", db: DynamoDBDocumentClient.from(client) });
  return { engine, sent };
}

const query = Float32Array.from([0.6, 0, -0.8]);

describe("DynamoVectorSearch", () => {
  it("sends the documented request: HASH equality, list-of-N vector, TopK, id projection", async () => {
    const { engine, sent } = recordingEngine();
    await engine.nearest(query, 40, ["active", "closed", "resolved"]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.target).toBe("DynamoDB_20120810.SearchVectors");
    const body = sent[0]?.body ?? {};
    for (const member of Object.keys(body)) expect(DOCUMENTED_REQUEST_MEMBERS.has(member), member).toBe(true);
    expect(body).toEqual({
      TableName: "markets",
      IndexName: "marketEmbeddings",
      SearchVector: [{ N: String(Math.fround(0.6)) }, { N: "0" }, { N: String(Math.fround(-0.8)) }],
      TopK: 40,
      SearchConditionExpression: "#scope = :scope",
      ExpressionAttributeNames: { "#scope": "searchScope", "#marketId": "marketId" },
      ExpressionAttributeValues: { ":scope": { S: "MARKET" } },
      ProjectionExpression: "#marketId",
    });
  });

  it("filters one status with an AND of equalities and caps TopK at 100", async () => {
    const { engine, sent } = recordingEngine();
    await engine.nearest(query, 160, ["closed"]);
    expect(sent[0]?.body).toMatchObject({
      TopK: 100,
      SearchConditionExpression: "#scope = :scope AND #status = :status",
      ExpressionAttributeNames: { "#scope": "searchScope", "#status": "status" },
      ExpressionAttributeValues: { ":scope": { S: "MARKET" }, ":status": { S: "closed" } },
    });
  });

  it("asks nothing for drafts, and one search per status when some are wanted", async () => {
    const { engine, sent } = recordingEngine();
    expect(await engine.nearest(query, 10, ["draft"])).toEqual([]);
    expect(sent).toHaveLength(0);
    await engine.nearest(query, 10, ["active", "resolved"]);
    expect(
      sent.map((request) => (request.body.ExpressionAttributeValues as Record<string, unknown>)[":status"]),
    ).toEqual([{ S: "active" }, { S: "resolved" }]);
  });

  it("maps COSINE distances (0 identical .. 2 opposite) to scores in (0, 1], best first", async () => {
    const { engine } = recordingEngine([
      { Item: { marketId: { S: "near" } }, Score: 0.1 },
      { Item: { marketId: { S: "far" } }, Score: 1.5 },
      { Item: { marketId: { S: "opposite" } }, Score: 2 },
    ]);
    const hits = await engine.nearest(query, 3, ["active", "closed", "resolved"]);
    expect(hits.map((hit) => hit.id)).toEqual(["near", "far", "opposite"]);
    expect(hits[0]?.score).toBeCloseTo(0.95, 10);
    expect(hits[1]?.score).toBeCloseTo(0.25, 10);
    expect(hits[2]?.score).toBeGreaterThan(0);
    expect(scoreFromCosineDistance(0)).toBe(1);
  });

  it("returns a market once, at its best hit, when two of its items are in the index", async () => {
    // While vectors move to VECTOR#, a market's old and new items can both be indexed.
    const { engine } = recordingEngine([
      { Item: { marketId: { S: "moving" } }, Score: 0.1 },
      { Item: { marketId: { S: "other" } }, Score: 0.2 },
      { Item: { marketId: { S: "moving" } }, Score: 0.3 },
    ]);
    const hits = await engine.nearest(query, 3, ["active", "closed", "resolved"]);
    expect(hits.map((hit) => hit.id)).toEqual(["moving", "other"]);
    expect(hits[0]?.score).toBeCloseTo(0.95, 10);
  });
});
