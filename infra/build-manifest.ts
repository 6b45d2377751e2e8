/**
 * What the build script (esbuild.config.mjs) needs from TypeScript: the route table, the OpenAPI
 * builder and the docs page builder.
 */
export { bundleName } from "../shared/routes/route.ts";
export { routes, workers } from "../shared/routes/route-table.ts";
export { docsPage } from "./docs-page.ts";
export { serializedOpenApiDocument } from "./openapi-document.ts";
