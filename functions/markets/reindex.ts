import { marketService } from "../../shared/container.ts";
import { MarketIdParams } from "../../shared/domain/schemas.ts";
import { httpHandler } from "../../shared/http/http-handler.ts";
import { accepted } from "../../shared/http/response.ts";

export const handler = httpHandler(
  { permission: "admin", params: MarketIdParams },
  async ({ params, caller }) => {
    const job = await marketService().reindex(caller, params.id);
    return accepted("Job queued", { jobId: job.jobId });
  },
);
