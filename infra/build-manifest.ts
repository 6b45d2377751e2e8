/** What the build script (esbuild.config.mjs) needs from TypeScript: the route table and the OpenAPI builder. */
export { bundleName } from "../shared/routes/route.ts";
export { routes, workers } from "../shared/routes/route-table.ts";
export { openApiDocument } from "./openapi-document.ts";
