import { httpRoute } from "../../shared/composition/http.ts";
import { ok } from "../../shared/http/response.ts";
import { health } from "../../shared/routes/health.ts";

export const handler = httpRoute(health, async () => ok({ status: "ok" }));
