import { bundledFile } from "../../shared/http/bundled-file.ts";
import { httpHandler } from "../../shared/http/http-handler.ts";
import { notModified } from "../../shared/http/response.ts";

// Written beside this bundle by `npm run build` (infra/docs-page.ts): the page, gzipped, and its headers.
const html = bundledFile("docs.html", import.meta.url);
const gzipped = bundledFile("docs.html.gz", import.meta.url);
const meta = bundledFile("docs.json", import.meta.url);

/** The HTML API reference: Swagger UI, inlined, rendering /api/openapi.json. Not rate limited. */
export const handler = httpHandler({ rateLimited: false }, async ({ headers }) => {
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
