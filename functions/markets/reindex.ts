import { httpRoute } from "../../shared/composition/http.ts";
import { marketService } from "../../shared/composition/services.ts";
import { accepted } from "../../shared/http/response.ts";
import { reindexMarket } from "../../shared/routes/reindex-market.ts";

export const handler = httpRoute(reindexMarket, async ({ params, caller, beforeWrite }) => {
  const job = await marketService().reindex(caller, params.id, beforeWrite);
  return accepted("Job queued", { jobId: job.jobId });
});
