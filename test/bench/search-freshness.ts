/**
 * How long after its 201 a new market becomes searchable through the whole local pipeline (SQS
 * queue, poller, worker bundle, vector write, search refresh), against the same create followed by
 * a plain GET of the market as the baseline: the index adds the difference. Prints a table, writes
 * JSON. Runs its own in-memory local cloud.
 *
 *   npm run build && npx tsx test/bench/search-freshness.ts [markets]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startLocalCloud } from "../../infra/local/local-cloud.ts";
import { signToken } from "../../infra/local/sign-token.ts";
import { median, percentile } from "./stats.ts";

const MARKETS = Number(process.argv[2] ?? 20);
const WORDS = ["glacier", "volcano", "harbour", "lighthouse", "orchard", "canyon", "meadow", "reef"];

const cloud = await startLocalCloud({
  dataDir: "memory",
  env: { RATE_LIMIT_READS_PER_MINUTE: "1000000", RATE_LIMIT_WRITES_PER_MINUTE: "1000000" },
});
try {
  const token = await signToken({ sub: "bench-freshness", role: "user", secret: cloud.env.JWT_SECRET });
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const toSearch: number[] = [];
  const toGet: number[] = [];
  for (let i = 0; i < MARKETS; i++) {
    const word = WORDS[i % WORDS.length];
    const name = `Will the ${word} number ${i} near Bergen make the news in ${2030 + i}?`;
    const response = await fetch(`${cloud.url}/api/markets`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name, closesAt: "2031-01-01T00:00:00Z" }),
    });
    const id = ((await response.json()) as { data: { id: string } }).data.id;
    const created = performance.now();
    await fetch(`${cloud.url}/api/markets/${id}`);
    toGet.push(performance.now() - created);
    const query = encodeURIComponent(`${word} ${i} bergen news ${2030 + i}`);
    for (;;) {
      const found = (await (await fetch(`${cloud.url}/api/markets/search?q=${query}&limit=50`)).json()) as {
        data: { id: string }[];
      };
      if (found.data.some((market) => market.id === id)) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    toSearch.push(performance.now() - created);
  }
  const row = (what: string, samples: number[]) => ({
    after: what,
    "median ms": median(samples).toFixed(0),
    "p90 ms": percentile(samples, 90).toFixed(0),
    "max ms": Math.max(...samples).toFixed(0),
  });
  const rows = [row("201 → GET answers (baseline)", toGet), row("201 → found by search", toSearch)];
  console.table(rows);
  console.log(`${MARKETS} markets, one at a time, polling search every 20 ms.`);
  const out = join(import.meta.dirname, "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "search-freshness.json"), JSON.stringify({ markets: MARKETS, rows }, null, 2));
} finally {
  await cloud.stop();
}
