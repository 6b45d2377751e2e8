import { httpHandler } from "../../shared/http/http-handler.ts";
import { ok } from "../../shared/http/response.ts";

export const handler = httpHandler({ rateLimited: false }, async () => ok({ status: "ok" }));
