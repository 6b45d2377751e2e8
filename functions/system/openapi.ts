import { readFile } from "node:fs/promises";
import { httpRoute } from "../../shared/composition/http.ts";
import { JSON_CONTENT_TYPE } from "../../shared/http/response.ts";
import { openApiDocument } from "../../shared/routes/openapi-document.ts";
import { once } from "../../shared/util/once.ts";

// Generated from the route declarations at build time and shipped beside this bundle, so the bundle
// carries no route table and no schema: it serves a file.
const documentText = once(() => readFile(new URL("./openapi.json", import.meta.url), "utf8"));

/** The OpenAPI document itself, not wrapped in the success envelope, so tools can load it directly. */
export const handler = httpRoute(openApiDocument, async () => ({
  statusCode: 200,
  headers: { "Content-Type": JSON_CONTENT_TYPE },
  body: await documentText(),
}));
