/**
 * SearchVectors as AWS documents it (API reference "SearchVectors", developer guide "Searching
 * vector indexes", "SearchConditionExpression reference" and "Troubleshooting vector indexes"),
 * answered from the items of a DynamoDB Local table: DynamoDB Local has no vector indexes.
 *
 * Reproduced: the request and response shapes; TopK 1–100; the HASH value required on every
 * search; equality-only conditions joined by AND over search-schema attributes; items without the
 * HASH attribute or without a vector of the index's dimensions are not in the index; COSINE
 * scores as distances 0..2, lowest first; only keys, search-schema and projected attributes come
 * back, the vector only when the projection expression names it; AWS's ValidationException
 * messages where the guide gives them.
 * Not reproduced (docs/search.md): approximate recall (this is an exact scan, so it may rank
 * better than AWS), backfill states, eventual consistency (writes show up at once), metering
 * (VectorSearchRequestBytes is an estimate), the separate search endpoint, write-time
 * rejection of vectors of the wrong length (they are just left out).
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { VectorIndexDefinition } from "../../shared/repositories/vector-schema.ts";

export const MIN_TOP_K = 1;
export const MAX_TOP_K = 100;

export class AwsError extends Error {
  constructor(
    readonly type: "ValidationException" | "ResourceNotFoundException",
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new AwsError("ValidationException", message);

export interface SearchVectorsRequest {
  TableName?: string;
  IndexName?: string;
  SearchVector?: AttributeValue[];
  TopK?: number;
  SearchConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  ProjectionExpression?: string;
  ReturnConsumedCapacity?: "INDEXES" | "TOTAL" | "NONE";
}

export type Item = Record<string, AttributeValue>;

/** An item of the index: its vector decoded once, its attributes as stored. */
export interface IndexedItem {
  readonly vector: Float32Array;
  readonly norm: number;
  readonly item: Item;
}

/** Decodes `item` for `index`, or undefined when AWS would leave it out of the index. */
export function toIndexedItem(index: VectorIndexDefinition, item: Item): IndexedItem | undefined {
  for (const element of index.SearchSchema) {
    if (element.SearchSchemaElementType === "HASH" && item[element.AttributeName] === undefined)
      return undefined;
  }
  const list = item[index.VectorAttribute.AttributeName]?.L;
  if (!list || list.length !== index.Dimensions) return undefined;
  const vector = new Float32Array(list.length);
  let sumOfSquares = 0;
  for (let d = 0; d < list.length; d++) {
    const n = list[d]?.N;
    if (n === undefined) return undefined;
    vector[d] = Number(n);
    sumOfSquares += (vector[d] as number) ** 2;
  }
  return { vector, norm: Math.sqrt(sumOfSquares), item };
}

/** Validates the request against `index` and returns the equality conditions it asks for. */
export function parseRequest(request: SearchVectorsRequest, index: VectorIndexDefinition) {
  const topK = request.TopK;
  if (typeof topK !== "number" || !Number.isInteger(topK) || topK < MIN_TOP_K || topK > MAX_TOP_K) {
    throw invalid("Provided TopK value is out of valid range");
  }
  const vector = request.SearchVector;
  if (
    !Array.isArray(vector) ||
    vector.some((value) => value?.N === undefined || !Number.isFinite(Number(value.N)))
  ) {
    throw invalid("SearchVector must be a list of numbers");
  }
  if (vector.length !== index.Dimensions) {
    throw invalid(`SearchVector has ${vector.length} dimensions; the vector index has ${index.Dimensions}`);
  }
  const names = request.ExpressionAttributeNames ?? {};
  const values = request.ExpressionAttributeValues ?? {};
  const usedNames = new Set<string>();
  const usedValues = new Set<string>();
  const resolveName = (token: string): string => {
    if (!token.startsWith("#")) return token;
    const name = names[token];
    if (name === undefined) {
      throw invalid(
        `An expression attribute name used in the document path is not defined; attribute name: ${token}`,
      );
    }
    usedNames.add(token);
    return name;
  };

  const conditions = new Map<string, AttributeValue>();
  const expression = request.SearchConditionExpression?.trim();
  if (expression) {
    for (const clause of expression.split(/\s+AND\s+/i)) {
      const match = /^\s*([#A-Za-z_][\w#]*)\s*(=|<>|<=|>=|<|>|\bIN\b|\bBETWEEN\b)\s*(.+?)\s*$/i.exec(clause);
      if (!match) {
        if (
          /\bOR\b|\bNOT\b|\(/i.test(clause) ||
          /\b(begins_with|contains|attribute_exists)\b/i.test(clause)
        ) {
          throw invalid("Invalid comparator used in SearchConditionExpression");
        }
        throw invalid(`Invalid SearchConditionExpression: Syntax error; token: "${clause.trim()}"`);
      }
      const [, operand = "", operator = "", right = ""] = match;
      if (operator !== "=") throw invalid("Invalid comparator used in SearchConditionExpression");
      const attribute = resolveName(operand);
      if (!index.SearchSchema.some((element) => element.AttributeName === attribute)) {
        throw invalid(
          `Attribute ${attribute} in SearchConditionExpression is not in the SearchSchema of the vector index`,
        );
      }
      const value = values[right];
      if (!right.startsWith(":") || value === undefined) {
        throw invalid(
          `An expression attribute value used in expression is not defined; attribute value: ${right}`,
        );
      }
      usedValues.add(right);
      conditions.set(attribute, value);
    }
  }
  for (const element of index.SearchSchema) {
    if (element.SearchSchemaElementType === "HASH" && !conditions.has(element.AttributeName)) {
      throw invalid("SearchConditionExpression must be provided when SearchSchema has a HASH key");
    }
  }
  const projection = request.ProjectionExpression?.split(",").map((token) => resolveName(token.trim()));
  const unusedNames = Object.keys(names).filter((name) => !usedNames.has(name));
  if (unusedNames.length > 0) {
    throw invalid(
      `Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(", ")}}`,
    );
  }
  const unusedValues = Object.keys(values).filter((value) => !usedValues.has(value));
  if (unusedValues.length > 0) {
    throw invalid(
      `Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(", ")}}`,
    );
  }
  return { topK, query: Float32Array.from(vector, (value) => Number(value.N)), conditions, projection };
}

const sameValue = (a: AttributeValue | undefined, b: AttributeValue): boolean =>
  a !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** The nearest `topK` items meeting the conditions, projected as the index projects them. */
export function search(
  index: VectorIndexDefinition,
  keyAttributes: readonly string[],
  items: Iterable<IndexedItem>,
  request: ReturnType<typeof parseRequest>,
): { Item: Item; Score: number }[] {
  const { query, topK, conditions, projection } = request;
  let queryNorm = 0;
  for (const value of query) queryNorm += value * value;
  queryNorm = Math.sqrt(queryNorm);
  const scored: { entry: IndexedItem; distance: number }[] = [];
  for (const entry of items) {
    let matches = true;
    for (const [attribute, value] of conditions) {
      if (!sameValue(entry.item[attribute], value)) matches = false;
    }
    if (!matches) continue;
    let dot = 0;
    for (let d = 0; d < query.length; d++) dot += (query[d] as number) * (entry.vector[d] as number);
    const cosine = queryNorm === 0 || entry.norm === 0 ? 0 : dot / (queryNorm * entry.norm);
    scored.push({ entry, distance: Math.min(2, Math.max(0, 1 - cosine)) });
  }
  scored.sort((a, b) => a.distance - b.distance);
  return scored.slice(0, topK).map(({ entry, distance }) => ({
    Item: project(index, keyAttributes, entry.item, projection),
    Score: distance,
  }));
}

/** Keys and search-schema attributes always; then the projection's; the vector only if named. */
function project(
  index: VectorIndexDefinition,
  keyAttributes: readonly string[],
  item: Item,
  expression?: string[],
): Item {
  const vectorName = index.VectorAttribute.AttributeName;
  const inIndex = new Set<string>([
    ...keyAttributes,
    ...index.SearchSchema.map((element) => element.AttributeName),
  ]);
  const { ProjectionType, NonKeyAttributes = [] } = index.Projection;
  if (ProjectionType === "ALL") for (const name of Object.keys(item)) inIndex.add(name);
  if (ProjectionType === "INCLUDE") for (const name of NonKeyAttributes) inIndex.add(name);
  const wanted = expression ?? [...inIndex].filter((name) => name !== vectorName);
  const projected: Item = {};
  for (const name of wanted) {
    const value = item[name];
    if (value !== undefined && (inIndex.has(name) || name === vectorName)) projected[name] = value;
  }
  return projected;
}

/**
 * A stand-in for VectorSearchRequestBytes: AWS meters bytes of vector data examined and returned
 * and publishes no formula, so this counts the query plus the returned items' vectors' worth.
 */
export function estimatedRequestBytes(index: VectorIndexDefinition, returned: number): number {
  return index.Dimensions * 4 * (1 + returned);
}
