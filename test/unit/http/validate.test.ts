import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { ListMarketsQuery, UpdateMarketBody } from "../../../shared/domain/schemas.ts";
import { ValidationError } from "../../../shared/errors.ts";
import { idempotencyKeyOf, parseOrThrow, queryOf } from "../../../shared/http/validate.ts";

const eventWithQuery = (rawQueryString: string) => ({ rawQueryString }) as APIGatewayProxyEventV2;

function caught(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error("expected a ValidationError");
}

describe("queryOf", () => {
  it("reads the raw query string, decoded", () => {
    expect(queryOf(eventWithQuery("status=active&q=caf%C3%A9+au+lait&fields=id,name"))).toEqual({
      status: "active",
      q: "café au lait",
      fields: "id,name",
    });
    expect(queryOf(eventWithQuery(""))).toEqual({});
    expect(queryOf({} as APIGatewayProxyEventV2)).toEqual({});
  });

  it("rejects a repeated parameter, naming it", () => {
    const error = caught(() => queryOf(eventWithQuery("limit=5&status=active&limit=10")));
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.details).toEqual([{ path: "limit", message: "Parameter given more than once" }]);
  });

  it("does not let API Gateway's comma joining hide a repeat", () => {
    // queryStringParameters would say status="active,closed"; the raw string still shows two.
    const event = {
      rawQueryString: "status=active&status=closed",
      queryStringParameters: { status: "active,closed" },
    } as unknown as APIGatewayProxyEventV2;
    expect(caught(() => queryOf(event)).details?.[0]?.path).toBe("status");
  });
});

describe("queryOf and prototype keys", () => {
  it("keeps __proto__, constructor and friends as ordinary (unknown) parameters", () => {
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "prototype"]) {
      const query = queryOf(eventWithQuery(`${name}=1`));
      expect(Object.keys(query), name).toEqual([name]);
      const error = caught(() => parseOrThrow(ListMarketsQuery, query, "query"));
      expect(error.details, name).toEqual([{ path: name, message: "Unknown field" }]);
    }
  });

  it("rejects a repeated __proto__", () => {
    expect(caught(() => queryOf(eventWithQuery("__proto__=1&__proto__=2"))).details).toEqual([
      { path: "__proto__", message: "Parameter given more than once" },
    ]);
  });
});

describe("parseOrThrow", () => {
  it("returns the parsed value", () => {
    expect(parseOrThrow(ListMarketsQuery, { limit: "5" }, "query")).toMatchObject({
      limit: 5,
      sort: "createdAt",
    });
  });

  it("names each unknown field in the details", () => {
    const error = caught(() =>
      parseOrThrow(UpdateMarketBody, { name: "Valid name", volume: 5, hack: 1 }, "body"),
    );
    expect(error.message).toBe("Invalid body");
    expect(error.details).toEqual(
      expect.arrayContaining([
        { path: "volume", message: "Unknown field" },
        { path: "hack", message: "Unknown field" },
      ]),
    );
  });

  it("names unknown query parameters", () => {
    const error = caught(() => parseOrThrow(ListMarketsQuery, { limt: "5" }, "query"));
    expect(error.details).toEqual([{ path: "limt", message: "Unknown field" }]);
  });

  it("names the failing field with a readable message", () => {
    const error = caught(() => parseOrThrow(UpdateMarketBody, { name: "ab" }, "body"));
    expect(error.details).toHaveLength(1);
    expect(error.details?.[0]?.path).toBe("name");
    expect(error.details?.[0]?.message).not.toBe("Invalid input");
  });
});

describe("idempotencyKeyOf", () => {
  it.each([
    ["a UUID", "0f8fad5b-d9cb-469f-a165-70867728950e", true],
    ["one character", "k", true],
    ["128 visible ASCII characters", "!~".repeat(64), true],
    ["129 characters", "k".repeat(129), false],
    ["empty", "", false],
    ["a space inside", "a b", false],
    ["a leading space", " ab", false],
    ["a trailing newline", "ab\n", false],
    ["a control character", "a\u0001b", false],
    ["DEL", "ab\u007f", false],
    ["non-ASCII", "clé", false],
  ])("%s: accepted %s", (_name, header, accepted) => {
    if (accepted) expect(idempotencyKeyOf(header)).toBe(header);
    else {
      const error = caught(() => idempotencyKeyOf(header));
      expect(error.details).toEqual([
        { path: "Idempotency-Key", message: "must be 1-128 visible ASCII characters" },
      ]);
    }
  });
});

describe("what a refusal says", () => {
  it("names the request part, and each unknown field as such", () => {
    const error = caught(() => parseOrThrow(ListMarketsQuery, { sort: "name", bogus: "1" }, "query"));
    expect(error.message).toBe("Invalid query");
    expect(error.details).toContainEqual({ path: "bogus", message: "Unknown field" });
    const sort = error.details?.find((detail) => detail.path === "sort");
    expect(sort?.message.length).toBeGreaterThan(0);
    expect(caught(() => queryOf(eventWithQuery("a=1&a=2"))).message).toBe("Invalid query");
  });
});
