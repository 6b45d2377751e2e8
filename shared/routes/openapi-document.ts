import { route } from "./route.ts";

export const openApiDocument = route({
  method: "GET",
  path: "/api/openapi.json",
  handler: "system/openapi",
  summary: "OpenAPI document",
  description: "This document, generated from the route declarations at build time. Not rate limited.",
  tags: ["system"],
  response: {
    status: 200,
    description: "The OpenAPI 3.1 document, without the success envelope.",
    body: "OpenApiDocument",
  },
  rateLimit: "none",
  access: {},
});
