import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { type ApiClient, api, marketBody, newUser, type TestUser } from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";

let cloud: LocalCloud;
let client: ApiClient;
let user: TestUser;
let moderator: TestUser;

beforeAll(async () => {
  cloud = await startE2eCloud();
  client = api(cloud);
  user = await newUser("user");
  moderator = await newUser("moderator");
});

afterAll(async () => {
  await cloud?.stop();
});

/** A request with any method and body, which fetch does not allow for GET. */
function rawRequest(
  method: string,
  path: string,
  body: string,
  contentType: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${cloud.url}${path}`,
      { method, headers: { "content-type": contentType, "content-length": Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("x-request-id", () => {
  it("echoes a safe incoming id", async () => {
    const res = await client.get("/api/health", { headers: { "x-request-id": "abc-123_DEF.4~5" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("abc-123_DEF.4~5");
  });

  it("replaces an id with characters outside the unreserved set", async () => {
    for (const unsafe of ["a:b", "a'b", "%0d%0a", "a/b", "a;b"]) {
      const res = await client.get("/api/health", { headers: { "x-request-id": unsafe } });
      expect(res.headers.get("x-request-id"), unsafe).not.toBe(unsafe);
    }
  });

  it("echoes the id on errors, and puts it in the envelope", async () => {
    const res = await client.get("/api/markets/nope-404", { headers: { "x-request-id": "trace-42" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-request-id")).toBe("trace-42");
    expect(res.body.requestId).toBe("trace-42");
  });

  it("replaces an unsafe id", async () => {
    const res = await client.get("/api/health", { headers: { "x-request-id": "bad id<script>" } });
    const id = res.headers.get("x-request-id");
    expect(id).toBeTruthy();
    expect(id).not.toContain("<");
    expect(id).not.toBe("bad id<script>");
  });

  it("replaces an overlong id but keeps one of exactly 128 characters", async () => {
    const long = "a".repeat(129);
    const res = await client.get("/api/health", { headers: { "x-request-id": long } });
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(res.headers.get("x-request-id")).not.toBe(long);
    const exact = "b".repeat(128);
    const ok = await client.get("/api/health", { headers: { "x-request-id": exact } });
    expect(ok.headers.get("x-request-id")).toBe(exact);
  });

  it("generates one when none is sent", async () => {
    const res = await client.get("/api/health");
    expect(res.headers.get("x-request-id")).toMatch(/\S+/);
  });
});

describe("envelopes", () => {
  it("health answers the success envelope with JSON content type", async () => {
    const res = await client.get("/api/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.body).toEqual({ success: true, data: { status: "ok" } });
  });

  it("errors carry success false, error, code and requestId, and nothing internal", async () => {
    const res = await client.post("/api/markets", { name: "x" }, { token: user.token });
    expect(res.status).toBe(400);
    expect(res.body.success).toBe(false);
    expect(res.body.code).toBe("VALIDATION_FAILED");
    expect(typeof res.body.error).toBe("string");
    expect(res.body.requestId).toBe(res.headers.get("x-request-id"));
    expect(Array.isArray(res.body.details)).toBe(true);
    for (const detail of res.body.details) {
      expect(typeof detail.path).toBe("string");
      expect(typeof detail.message).toBe("string");
    }
    expect(res.body.details.map((d: { path: string }) => d.path)).toContain("name");
    expect(res.text).not.toMatch(/stack|dynamodb|ConditionExpression|test-[0-9a-f]{10}/i);
  });

  it("rejects unknown body fields with VALIDATION_FAILED naming the field", async () => {
    const res = await client.post("/api/markets", marketBody({ volume: 10 }), { token: user.token });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
    expect(res.body.details.map((d: { path: string }) => d.path)).toContain("volume");
  });
});

describe("routing", () => {
  it("an unknown route is a 404 envelope", async () => {
    const res = await client.get("/api/nope");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, code: "NOT_FOUND" });
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("a known path with a wrong method is a 404", async () => {
    const res = await client.request("DELETE", "/api/health");
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("NOT_FOUND");
    const patch = await client.patch("/api/markets", { name: "abc" }, { token: user.token });
    expect(patch.status).toBe(404);
  });
});

describe("query parameters", () => {
  it("an unknown query parameter is a 400", async () => {
    const res = await client.get("/api/markets?foo=1");
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
    expect(res.body.details.map((d: { path: string }) => d.path)).toContain("foo");
  });

  it("a repeated query parameter is a 400", async () => {
    const res = await client.get("/api/markets?limit=5&limit=6");
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
  });

  it("a query parameter on a route that takes none is a 400", async () => {
    const res = await client.get("/api/markets/some-id?x=1");
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
  });
});

describe("content type", () => {
  it("accepts application/json; charset=utf-8", async () => {
    const res = await client.post("/api/markets", marketBody(), {
      token: user.token,
      contentType: "application/json; charset=utf-8",
    });
    expect(res.status).toBe(201);
  });

  it("accepts plain application/json", async () => {
    const res = await client.post("/api/markets", marketBody(), { token: user.token });
    expect(res.status).toBe(201);
  });

  it("text/plain is a 415", async () => {
    const res = await client.post("/api/markets", JSON.stringify(marketBody()), {
      token: user.token,
      contentType: "text/plain",
    });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("another charset is a 415", async () => {
    const res = await client.post("/api/markets", JSON.stringify(marketBody()), {
      token: user.token,
      contentType: "application/json; charset=latin1",
    });
    expect(res.status).toBe(415);
  });

  it("a body without a content type is a 415", async () => {
    const res = await client.post("/api/markets", JSON.stringify(marketBody()), {
      token: user.token,
      contentType: null,
    });
    // fetch labels a string body text/plain when no content type is given
    expect(res.status).toBe(415);
  });

  it("invalid JSON is a 400 INVALID_JSON", async () => {
    const res = await client.post("/api/markets", "{not json", { token: user.token });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("INVALID_JSON");
  });

  it("a route without a body schema ignores a stray body instead of answering 415", async () => {
    // fetch refuses a body on GET, so this one goes through node:http.
    const { status, text } = await rawRequest("GET", "/api/health", "not json at all", "text/plain");
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({ success: true, data: { status: "ok" } });
  });

  it("a body over 64 KiB is a 413", async () => {
    const res = await client.post("/api/markets", marketBody({ description: "x".repeat(70_000) }), {
      token: user.token,
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe("PAYLOAD_TOO_LARGE");
  });
});

describe("order of checks", () => {
  const big = () => marketBody({ description: "x".repeat(70_000) });

  it("413 beats 401", async () => {
    const res = await client.post("/api/markets", big());
    expect(res.status).toBe(413);
  });

  it("415 beats 401", async () => {
    const res = await client.post("/api/markets", "hello", { contentType: "text/plain" });
    expect(res.status).toBe(415);
  });

  it("INVALID_JSON beats 401", async () => {
    const res = await client.post("/api/markets", "{", {});
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("INVALID_JSON");
  });

  it("a body error beats an invalid token", async () => {
    const res = await client.post("/api/markets", "{", { token: "not.a.token" });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("INVALID_JSON");
  });

  it("401 beats 400", async () => {
    const res = await client.post("/api/markets", { name: "x" });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("UNAUTHORIZED");
  });

  it("403 beats 400", async () => {
    const res = await client.delete("/api/markets/bad%20id!", { token: user.token });
    expect(res.status).toBe(403);
    const reindex = await client.post("/api/markets/whatever/index", undefined, { token: moderator.token });
    expect(reindex.status).toBe(403);
  });

  it("400 beats 404", async () => {
    const res = await client.patch("/api/markets/does-not-exist", { name: "x" }, { token: user.token });
    expect(res.status).toBe(400);
    const bad = await client.get("/api/markets/bad%20id!");
    expect(bad.status).toBe(400);
  });

  it("404 beats ownership 403 and 412", async () => {
    const res = await client.patch(
      "/api/markets/does-not-exist",
      { name: "valid name" },
      { token: user.token, headers: { "if-match": '"99"' } },
    );
    expect(res.status).toBe(404);
  });

  it("ownership 403 beats 412, and 412 beats 409", async () => {
    const owner = await newUser("user");
    const created = await client.post("/api/markets", marketBody(), { token: owner.token });
    const id = created.body.data.id;
    const other = await client.patch(
      `/api/markets/${id}`,
      { name: "changed name" },
      { token: user.token, headers: { "if-match": '"99"' } },
    );
    expect(other.status).toBe(403);
    const stale = await client.patch(
      `/api/markets/${id}`,
      { status: "draft" },
      { token: owner.token, headers: { "if-match": '"99"' } },
    );
    expect(stale.status).toBe(412);
    const backward = await client.patch(`/api/markets/${id}`, { status: "draft" }, { token: owner.token });
    expect(backward.status).toBe(409);
    expect(backward.body.code).toBe("INVALID_TRANSITION");
  });
});
