import { openApiDocument } from "../../infra/openapi-document.ts";
import { httpHandler } from "../../shared/http/http-handler.ts";
import { json } from "../../shared/http/response.ts";
import { once } from "../../shared/util/once.ts";

const document = once(openApiDocument);

/** The OpenAPI document itself, not wrapped in the success envelope, so tools can load it directly. */
export const handler = httpHandler({ rateLimited: false }, async () => json(200, document()));
