/**
 * The docs page (`GET /docs`), built by `npm run build` into the system-docs bundle's folder: one
 * self-contained HTML file with Swagger UI (swagger-ui-dist, from npm) inlined, which renders
 * /api/openapi.json and sends "Try it out" requests to the same origin. Nothing is fetched from
 * anywhere else: no CDN, no web fonts (Swagger UI's CSS falls back to system fonts), no validator
 * badge, and a Content-Security-Policy that lets the browser load nothing but this page and the
 * API. Only the docs function carries the viewer; every other bundle is untouched by it.
 *
 * Swagger UI rather than Redoc (no "try it") or Scalar (fonts, proxy and telemetry to switch off
 * one by one): see docs/api-decisions.md.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface DocsPage {
  readonly html: string;
  /** Allows exactly the page's own inline scripts (by hash) and requests to its own origin. */
  readonly contentSecurityPolicy: string;
  readonly etag: string;
}

/** Where the page finds the document: the API's own route, on the page's origin. */
const DOCUMENT_URL = "/api/openapi.json";

/** Swagger UI's settings; each one that is not a default closes a door to the outside or to misuse. */
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(DOCUMENT_URL)},
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  deepLinking: true,
  displayRequestDuration: true,
  // The default sends the document to validator.swagger.io for a badge.
  validatorUrl: null,
  // Ignore ?url= and ?configUrl= in the page's address: the page renders this API's document only.
  queryConfigEnabled: false,
});`;

const EXTRA_CSS = "body { margin: 0; } .swagger-ui .info { margin: 32px 0; }";

const sha256 = (text: string, encoding: "base64" | "hex") =>
  createHash("sha256").update(text, "utf8").digest(encoding);

/** Read a swagger-ui-dist file, minus its source-map comment (the map is not shipped). */
function viewerFile(root: string, name: string): string {
  const require = createRequire(join(root, "package.json"));
  const folder = dirname(require.resolve("swagger-ui-dist/package.json"));
  return readFileSync(join(folder, name), "utf8").replace(
    /\n?\/[/*][#@] sourceMappingURL=\S+(\s*\*\/)?\s*$/,
    "",
  );
}

/** Build the page; `root` is the project folder whose node_modules holds swagger-ui-dist. */
export function docsPage(root: string): DocsPage {
  const bundle = viewerFile(root, "swagger-ui-bundle.js");
  if (/<\/script/i.test(bundle)) throw new Error("swagger-ui-bundle.js contains </script: cannot inline it");
  const css = viewerFile(root, "swagger-ui.css");
  const scripts = [bundle, INIT_SCRIPT];
  const html = [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "<title>Markets API reference</title>",
    // An empty icon: otherwise the browser asks for /favicon.ico, which is no route.
    '<link rel="icon" href="data:,">',
    `<style>${css}</style>`,
    `<style>${EXTRA_CSS}</style>`,
    "</head>",
    "<body>",
    '<div id="swagger-ui"></div>',
    ...scripts.map((script) => `<script>${script}</script>`),
    "</body>",
    "</html>",
    "",
  ].join("\n");
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${scripts.map((script) => `'sha256-${sha256(script, "base64")}'`).join(" ")}`,
    // Swagger UI (React) sets style attributes; styles cannot reach the network past img-src.
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return { html, contentSecurityPolicy, etag: `"${sha256(html, "hex").slice(0, 32)}"` };
}
