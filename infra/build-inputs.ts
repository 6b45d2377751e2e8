/**
 * Everything esbuild.config.mjs needs from the TypeScript side, as one module: it bundles this file
 * to a temporary .mjs and imports it, so the build script itself stays plain Node.
 */
export { docsPage } from "./docs-page.ts";
export { serializedOpenApiDocument } from "./openapi-document.ts";
export { bundleName, routes, workers } from "./routes.ts";
