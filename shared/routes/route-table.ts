/**
 * Every route, in the order the OpenAPI document lists them, and the workers. Read by build and
 * deploy tooling (esbuild entries, CDK, local gateway, OpenAPI); a handler imports only its own
 * declaration, never this table.
 */
import { replaceMarket, updateMarket } from "./change-market.ts";
import { createMarket } from "./create-market.ts";
import { deleteMarket } from "./delete-market.ts";
import { getMarket } from "./get-market.ts";
import { health } from "./health.ts";
import { indexMarketsWorker } from "./index-markets-worker.ts";
import { listMarketPositions } from "./list-market-positions.ts";
import { listMarkets } from "./list-markets.ts";
import { myPositions } from "./my-positions.ts";
import { openPosition } from "./open-position.ts";
import { openApiDocument } from "./openapi-document.ts";
import { reindexMarket } from "./reindex-market.ts";
import type { RouteDeclaration, WorkerDeclaration } from "./route.ts";
import { searchMarkets } from "./search-markets.ts";
import { updateProfile } from "./update-profile.ts";

// Each declaration is typed by its own schemas; the table only needs what all of them share.
// biome-ignore lint/suspicious/noExplicitAny: the schema type parameters differ per route.
export type AnyRoute = RouteDeclaration<any, any, any>;

export const routes: readonly AnyRoute[] = [
  health,
  openApiDocument,
  listMarkets,
  searchMarkets,
  getMarket,
  createMarket,
  replaceMarket,
  updateMarket,
  deleteMarket,
  reindexMarket,
  openPosition,
  listMarketPositions,
  myPositions,
  updateProfile,
];

export const workers: readonly WorkerDeclaration[] = [indexMarketsWorker];
