/**
 * Metrics from the real bundles: requests go through the local gateway, the handlers and the worker
 * run as built, and their stdout is read back as CloudWatch Embedded Metric Format. Every metric of
 * the catalogue must appear in a well-formed EMF document with its unit and dimensions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { METRIC } from "../../shared/metrics/metrics-recorder.ts";
import { type ApiClient, api, inDays, newUser } from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";

interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

const lines: string[] = [];
let restoreStdout: () => void;
let cloud: LocalCloud;
let client: ApiClient;

/** The EMF documents written so far, each checked against the format's rules. */
function emfDocuments(): EmfDocument[] {
  const documents: EmfDocument[] = [];
  for (const line of lines.join("").split("\n")) {
    if (!line.includes('"_aws"')) continue;
    const document = JSON.parse(line) as EmfDocument;
    expect(typeof document._aws.Timestamp).toBe("number");
    expect(document._aws.CloudWatchMetrics).toHaveLength(1);
    for (const directive of document._aws.CloudWatchMetrics) {
      expect(directive.Namespace).toBe("MarketsApi");
      for (const set of directive.Dimensions) {
        for (const dimension of set) expect(typeof document[dimension], dimension).toBe("string");
      }
      expect(directive.Metrics.length).toBeGreaterThan(0);
      for (const metric of directive.Metrics) {
        const value = document[metric.Name];
        const values = Array.isArray(value) ? value : [value];
        for (const each of values) expect(typeof each, metric.Name).toBe("number");
        expect(metric.Unit).toMatch(/^(Count|Milliseconds|None)$/);
      }
    }
    documents.push(document);
  }
  return documents;
}

const withMetric = (name: string) =>
  emfDocuments().filter((document) =>
    document._aws.CloudWatchMetrics[0]?.Metrics.some((metric) => metric.Name === name),
  );

beforeAll(async () => {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    if (text.includes('"_aws"')) {
      lines.push(text);
      return true;
    }
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  restoreStdout = () => {
    process.stdout.write = write;
  };
  cloud = await startE2eCloud({
    // Metrics are off locally (POWERTOOLS_DEV); on, and in the plain Lambda format, for this file.
    env: { POWERTOOLS_METRICS_DISABLED: "false", POWERTOOLS_DEV: "false", RATE_LIMIT_WRITES_PER_MINUTE: "6" },
  });
  client = api(cloud);
});

afterAll(async () => {
  await cloud?.stop();
  restoreStdout?.();
});

describe("EMF metrics from the real handlers", () => {
  it("records each metric of the catalogue", async () => {
    const admin = await newUser("admin");
    const body = {
      name: "Will the metrics test see rain?",
      closesAt: inDays(30),
      initialPosition: { side: "yes", amount: 12.5 },
    };
    const headers = { "idempotency-key": "metrics-create-1" };
    const created = await client.post("/api/markets", body, { token: admin.token, headers });
    expect(created.status).toBe(201);
    const replay = await client.post("/api/markets", body, { token: admin.token, headers });
    expect(replay.status).toBe(201);
    const id = created.body.data.id as string;
    expect(
      (await client.post(`/api/markets/${id}/positions`, { side: "no", amount: 3 }, { token: admin.token }))
        .status,
    ).toBe(201);
    expect((await client.get("/api/markets/search?q=rain")).status).toBe(200);
    expect((await client.get("/api/markets/no-such-market")).status).toBe(404);

    // The write budget is 6 a minute here: the seventh write of one caller is a 429.
    const spender = await newUser("user");
    const statuses: number[] = [];
    for (let index = 0; index < 7; index += 1) {
      statuses.push(
        (await client.put("/api/me", { displayName: `spender ${index}` }, { token: spender.token })).status,
      );
    }
    expect(statuses).toContain(429);

    // The worker indexes the new market from the queue; its IndexLag arrives when it has.
    for (let attempt = 0; attempt < 100 && withMetric(METRIC.indexLag).length === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    for (const name of Object.values(METRIC)) expect(withMetric(name).length, name).toBeGreaterThan(0);

    const requests = withMetric(METRIC.requests);
    expect(requests[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([["service", "route", "statusClass"]]);
    const routes = requests.map((document) => `${document.route} ${document.statusClass}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        "POST /api/markets 2xx",
        "GET /api/markets/{id} 4xx",
        "PUT /api/me 4xx",
        "GET /api/markets/search 2xx",
      ]),
    );
    const volumes = withMetric(METRIC.positionVolume).map((document) => document[METRIC.positionVolume]);
    expect(volumes).toEqual(expect.arrayContaining([12.5, 3]));
    // One market created despite the replay; the replay was counted as one.
    expect(withMetric(METRIC.marketsCreated)).toHaveLength(1);
    expect(withMetric(METRIC.idempotentReplays)).toHaveLength(1);
  });
});
