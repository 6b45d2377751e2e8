/**
 * fast-check arbitraries from the JSON Schemas of the OpenAPI document, so the fuzzer follows the
 * route schemas as they are declared (a new field or route is fuzzed without touching the tests).
 * `valid` values keep to the schema; `nearMiss` values break it in one place the way clients do
 * (a bound off by one, a wrong type, a missing required field, an unknown or prototype key).
 * Only the schema keywords the document uses are understood; anything else yields any JSON value.
 */
import fc from "fast-check";

export interface JsonSchema {
  type?: string | string[];
  enum?: readonly unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  allOf?: readonly JsonSchema[];
  default?: unknown;
}

/** Keys that reach Object.prototype when a parser or a spread is careless. */
export const PROTOTYPE_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
];

/** Numbers at the edges of what JSON, doubles and DynamoDB's 38 digits can carry. */
export const EDGE_NUMBERS = [
  0,
  -0,
  0.01,
  0.009,
  0.015,
  1,
  -1,
  1_000_000,
  1_000_000.01,
  0.1 + 0.2,
  1e-7,
  5e-324,
  1.7976931348623157e308,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER,
  2 ** 31,
  -(2 ** 31),
  1e21,
  1e38,
];

const anyJson = (): fc.Arbitrary<unknown> => fc.jsonValue({ maxDepth: 3 });

/** A value the schema accepts (as far as these keywords go). */
export function validValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map(validValue));
  if (schema.allOf?.[0]) return validValue(schema.allOf[0]);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => validValue({ ...schema, type })));
  switch (types[0]) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case "number":
      return validNumber(schema);
    case "string":
      return validString(schema);
    case "array":
      return fc.array(schema.items ? validValue(schema.items) : anyJson(), { maxLength: 4 });
    case "object":
      return validObject(schema);
    default:
      return anyJson();
  }
}

function validNumber(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e6;
  const max = schema.maximum ?? schema.exclusiveMaximum ?? 1e6;
  // Amounts are cents: mostly two-decimal values inside the bounds, with the bounds themselves.
  const cents = fc
    .integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) })
    .map((value) => value / 100)
    .filter((value) => value >= min && value <= max);
  return fc.oneof(cents, fc.constantFrom(min, max));
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === "date-time") {
    return fc
      .integer({ min: 1, max: 5 * 365 })
      .map((days) => new Date(Date.now() + days * 86_400_000).toISOString());
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 60, 300);
  if (schema.pattern) {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((value) => value.length >= minLength && value.length <= maxLength);
  }
  const text = fc.string({ unit: "grapheme", minLength, maxLength });
  // Trimmed strings count their length after trimming: keep the generated ones free of edge blanks.
  return text
    .map((value) => value.trim())
    .filter((value) => value.length >= minLength && value.length <= maxLength);
}

function validObject(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, inner] of Object.entries(properties)) record[key] = validValue(inner);
  return fc.record(record, { requiredKeys: [...required].filter((key) => key in properties) });
}

/** A value the schema should refuse: one change away from a valid one. */
export function nearMiss(schema: JsonSchema): fc.Arbitrary<unknown> {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const wrongType = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.constantFrom(...EDGE_NUMBERS),
    fc.string({ maxLength: 5 }),
    fc.constant([]),
    fc.constant({}),
  );
  if (types.includes("object") || schema.properties) return nearMissObject(schema, wrongType);
  if (types.includes("string")) {
    const min = schema.minLength ?? 0;
    const max = schema.maxLength ?? 200;
    return fc.oneof(
      wrongType,
      fc.constant("x".repeat(max + 1)),
      fc.constant(min > 0 ? "x".repeat(min - 1) : " "),
      fc.constant(" ".repeat(Math.max(min, 1))),
      fc.constantFrom("\u0000", "a\u0000b", "\ud800", "x\udfff", "\u202e", "\ufeff", "%00", "../.."),
      fc.constantFrom("2026-13-45T00:00:00Z", "yesterday", "1970-01-01T00:00:00Z", "2001-01-01T00:00:00Z"),
    );
  }
  if (types.includes("number") || types.includes("integer")) {
    return fc.oneof(wrongType, fc.constantFrom(...EDGE_NUMBERS), fc.double({ noNaN: true }));
  }
  return wrongType;
}

function nearMissObject(schema: JsonSchema, wrongType: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const properties = Object.entries(schema.properties ?? {});
  const base = validObject(schema);
  const variants: fc.Arbitrary<unknown>[] = [
    wrongType,
    // An unknown or prototype key beside valid fields.
    fc
      .tuple(
        base,
        fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ minLength: 1, maxLength: 8 })),
        anyJson(),
      )
      .map(([object, key, value]) => withOwnKey(object, key, value)),
    // A required field dropped.
    ...(schema.required?.length
      ? [
          fc
            .tuple(base, fc.constantFrom(...schema.required))
            .map(([object, key]) =>
              Object.fromEntries(Object.entries(object).filter(([name]) => name !== key)),
            ),
        ]
      : []),
  ];
  if (properties.length > 0) {
    // One field replaced by a near miss of its own schema.
    variants.push(
      fc
        .tuple(base, fc.constantFrom(...properties))
        .chain(([object, [key, inner]]) => nearMiss(inner).map((value) => withOwnKey(object, key, value))),
    );
  }
  return fc.oneof(...variants);
}

/** `{ ...object, [key]: value }` with `key` as an own property even when it is `__proto__`. */
export function withOwnKey(object: object, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...object };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}
