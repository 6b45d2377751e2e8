import { route } from "./route.ts";

export const health = route({
  method: "GET",
  path: "/api/health",
  handler: "system/health",
  summary: "Liveness",
  description: 'Answers `{ status: "ok" }` while the API can serve requests. Not rate limited.',
  tags: ["system"],
  response: { status: 200, description: "The service is up.", data: "Health" },
  rateLimit: "none",
  access: {},
});
