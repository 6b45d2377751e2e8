import { readFile } from "node:fs/promises";
import { httpRoute } from "../../shared/composition/http.ts";
import { notModified } from "../../shared/http/response.ts";
import { docsPage } from "../../shared/routes/docs-page.ts";
import { once } from "../../shared/util/once.ts";

// Written beside this bundle by `npm run build` (infra/docs-page.ts): the page, gzipped, and its
// headers. Read on the first request; this bundle carries neither the viewer nor the document.
const file = (name: string) => once(() => readFile(new URL(`./${name}`, import.meta.url)));
const html = file("docs.html");
const gzipped = file("docs.html.gz");
const meta = file("docs.json");

/** The HTML API reference: Swagger UI, inlined, rendering /api/openapi.json. */
export const handler = httpRoute(docsPage, async ({ headers }) => {
  const { contentSecurityPolicy, etag } = JSON.parse((await meta()).toString("utf8")) as {
    contentSecurityPolicy: string;
    etag: string;
  };
  const common = {
    ETag: etag,
    // Revalidated on every visit (a 304 costs nothing), so a deployment shows its new page at once.
    "Cache-Control": "no-cache",
    Vary: "Accept-Encoding",
  };
  if (headers["if-none-match"] === etag) return notModified(common);
  const page = {
    ...common,
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": contentSecurityPolicy,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  };
  // ~2 MB as HTML, ~0.5 MB gzipped: API Gateway HTTP APIs do not compress, so the function does.
  if (/\bgzip\b/.test(headers["accept-encoding"] ?? "")) {
    return {
      statusCode: 200,
      headers: { ...page, "Content-Encoding": "gzip" },
      body: (await gzipped()).toString("base64"),
      isBase64Encoded: true,
    };
  }
  return { statusCode: 200, headers: page, body: (await html()).toString("utf8") };
});
