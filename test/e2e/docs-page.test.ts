/**
 * GET /docs in a real browser: Debian's Chromium, headless, driven by playwright-core (no browser
 * download). The page must list every operation of the OpenAPI document, run a "Try it out" call to
 * /api/health from the page, and load nothing from anywhere but the local cloud: no CDN, no fonts,
 * no validator badge. The browser gets a fresh profile and no background networking, so any
 * request it makes is the page's.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { api, type Json } from "../support/api-client.ts";
import { type HeadlessChromium, launchChromium } from "../support/chromium.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";

const METHODS = ["get", "put", "post", "patch", "delete"];

let cloud: LocalCloud;
let browser: HeadlessChromium;
let page: Page;
const requested: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  cloud = await startE2eCloud();
  browser = await launchChromium();
  page = browser.page;
  page.on("request", (request) => requested.push(request.url()));
  // CSP violations and script errors show up here; a working offline page has none.
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(`${cloud.url}/docs`);
  await page.locator(".opblock").first().waitFor({ timeout: 20_000 });
});

afterAll(async () => {
  await browser?.close();
  await cloud?.stop();
});

describe("GET /docs", () => {
  it("is an HTML page, not rate limited, gzipped for browsers", async () => {
    const res = await fetch(`${cloud.url}/docs`, { headers: { "accept-encoding": "gzip" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("content-security-policy")).toContain("connect-src 'self'");
    expect(res.headers.get("ratelimit-limit")).toBeNull();
    expect(await res.text()).toContain('<div id="swagger-ui">');
    const again = await fetch(`${cloud.url}/docs`, {
      headers: { "if-none-match": res.headers.get("etag") ?? "" },
    });
    expect(again.status).toBe(304);
  });

  it("lists every operation of the OpenAPI document", async () => {
    const doc: Json = (await api(cloud).get("/api/openapi.json")).body;
    const expected = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(expected.length).toBeGreaterThanOrEqual(14);
    const listed = await page
      .locator(".opblock-summary")
      .evaluateAll((blocks) =>
        blocks.map(
          (block) =>
            `${block.querySelector(".opblock-summary-method")?.textContent} ${block.querySelector(".opblock-summary-path")?.getAttribute("data-path")}`,
        ),
      );
    // An operation with two tags is shown under each of them.
    expect([...new Set(listed)].sort()).toEqual(expected.sort());
  });

  it('runs a "Try it out" call to /api/health from the page', async () => {
    const health = page.locator("#operations-system-systemHealth");
    await health.locator(".opblock-summary").click();
    await health.locator("button.try-out__btn").click();
    const answered = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/health");
    await health.locator("button.execute").click();
    expect((await answered).status()).toBe(200);
    // The page shows the live answer: its status and the body the API sent.
    const live = health.locator(".live-responses-table tr.response");
    await expect.poll(() => live.locator(".response-col_status").textContent()).toContain("200");
    await expect.poll(() => live.textContent()).toContain('"status": "ok"');
  });

  it("asked for nothing outside the local cloud, and logged no error", () => {
    const origin = new URL(cloud.url).origin;
    const outside = requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith("data:"));
    expect(outside).toEqual([]);
    expect(requested).toContain(`${origin}/api/openapi.json`);
    expect(problems).toEqual([]);
  });
});
