import { route } from "./route.ts";

/** The HTML API reference. A page for people, not an API operation: not in the OpenAPI document. */
export const docsPage = route({
  method: "GET",
  path: "/docs",
  handler: "system/docs",
  summary: "API reference",
  description:
    "An HTML API reference rendered from /api/openapi.json by Swagger UI, bundled into the page: it works with no internet access. Not rate limited.",
  tags: ["system"],
  response: { status: 200, description: "The page (text/html), gzipped when the browser accepts it." },
  rateLimit: "none",
  access: {},
  documented: false,
});
