/** Request metrics through the real stack: one count per answer, by route and status class. */
import { describe, expect, it } from "vitest";
import { RateLimitedError } from "../../../shared/errors.ts";
import { ok } from "../../../shared/http/response.ts";
import type { Datapoint, MetricsRecorder } from "../../../shared/metrics/metrics-recorder.ts";
import { createHttpHandler, invoke, testCollaborators, testReadRoute } from "../../support/http-harness.ts";

const read = testReadRoute;

interface Recorded {
  names: string[];
  dimensions?: Readonly<Record<string, string>>;
}

function recorder(): { metrics: () => MetricsRecorder; recorded: Recorded[] } {
  const recorded: Recorded[] = [];
  const metrics: MetricsRecorder = {
    record: (datapoints: readonly Datapoint[], dimensions) => {
      for (const point of datapoints) expect(point).toMatchObject({ unit: "Count", value: 1 });
      recorded.push({ names: datapoints.map((point) => point.name), ...(dimensions ? { dimensions } : {}) });
    },
  };
  return { metrics: () => metrics, recorded };
}

describe("request metrics", () => {
  it.each<{
    name: string;
    query: string;
    fn: () => never | Promise<ReturnType<typeof ok>>;
    statusClass: string;
  }>([
    { name: "a success", query: "", fn: async () => ok({}), statusClass: "2xx" },
    { name: "a validation failure", query: "limit=0", fn: async () => ok({}), statusClass: "4xx" },
    {
      name: "a bug",
      query: "",
      fn: () => {
        throw new Error("boom");
      },
      statusClass: "5xx",
    },
  ])("counts $name once as $statusClass, by route key", async ({ query, fn, statusClass }) => {
    const { metrics, recorded } = recorder();
    const handler = createHttpHandler(read, fn, testCollaborators({ metrics }));
    await invoke(handler, { path: "/api/things", query });
    expect(recorded).toEqual([
      { names: ["Requests"], dimensions: { route: "GET /api/things", statusClass } },
    ]);
  });

  it("counts a 429 among the requests and on its own", async () => {
    const { metrics, recorded } = recorder();
    const handler = createHttpHandler(
      read,
      async () => {
        throw new RateLimitedError(3);
      },
      testCollaborators({ metrics }),
    );
    const result = await invoke(handler, { path: "/api/things" });
    expect(result.statusCode).toBe(429);
    expect(recorded).toEqual([
      { names: ["Requests"], dimensions: { route: "GET /api/things", statusClass: "4xx" } },
      { names: ["RateLimited"] },
    ]);
  });
});
