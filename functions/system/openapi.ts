import { bundledFile } from "../../shared/http/bundled-file.ts";
import { httpHandler } from "../../shared/http/http-handler.ts";
import { JSON_CONTENT_TYPE } from "../../shared/http/response.ts";

/** docs/openapi.json, copied beside this bundle by `npm run build`: this function never builds it. */
const document = bundledFile("openapi.json", import.meta.url);

/** The OpenAPI document itself, not wrapped in the success envelope, so tools can load it directly. */
export const handler = httpHandler({ rateLimited: false }, async () => ({
  statusCode: 200,
  headers: { "Content-Type": JSON_CONTENT_TYPE },
  body: (await document()).toString("utf8"),
}));
