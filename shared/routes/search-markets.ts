import { SearchQuery } from "../domain/schemas.ts";
import { PUBLIC_PROFILE_ATTRIBUTES } from "../repositories/profile-item.ts";
import { route } from "./route.ts";

export const searchMarkets = route({
  method: "GET",
  path: "/api/markets/search",
  handler: "markets/search",
  summary: "Semantic search",
  description:
    "Markets whose meaning is closest to `q`, best first, each with a `score` in (0, 1]. Drafts are never searchable; a new or changed market is found within seconds.",
  tags: ["markets", "search"],
  query: SearchQuery,
  response: {
    status: 200,
    description: "Markets best first, each with its score.",
    list: "SearchResult",
    meta: "SearchMeta",
  },
  rateLimit: "read",
  access: {
    reads: [
      // The matching markets, then their creators' names.
      { keys: ["MARKET#"], actions: ["BatchGetItem"] },
      { keys: ["USER#"], actions: ["BatchGetItem"], attributes: PUBLIC_PROFILE_ATTRIBUTES },
    ],
    embeds: true,
    searchesVectors: true,
  },
  memoryMb: 1024,
});
