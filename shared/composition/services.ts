/** The use cases, wired to their repositories; each a lazy singleton marked pure. */
import { ulid } from "ulid";
import { CreatorDirectory } from "../services/creator-directory.ts";
import { IndexScheduler } from "../services/index-scheduler.ts";
import { MarketService } from "../services/market-service.ts";
import { PositionService } from "../services/position-service.ts";
import { Profiles } from "../services/profiles.ts";
import { once } from "../util/once.ts";
import { marketRepository, positionRepository, userRepository } from "./data.ts";
import { config } from "./environment.ts";
import { metricsRecorder } from "./observability.ts";

/** Embeds `creator` into markets: one per execution environment, shared by markets and search. */
export const creators = /* @__PURE__ */ once(() => new CreatorDirectory({ users: userRepository() }));

/** User profiles: created on first write (services) and renamed by PUT /api/me. */
export const profiles = /* @__PURE__ */ once(() => new Profiles({ users: userRepository() }));

const indexScheduler = /* @__PURE__ */ once(
  () =>
    new IndexScheduler({
      jobs: () => import("./index-jobs.ts").then((module) => module.sqsIndexJobs(config())),
    }),
);

export const marketService = /* @__PURE__ */ once(
  () =>
    new MarketService({
      markets: marketRepository(),
      positions: positionRepository(),
      creators: creators(),
      profiles: profiles(),
      indexing: indexScheduler(),
      metrics: metricsRecorder(),
      newId: ulid,
    }),
);

export const positionService = /* @__PURE__ */ once(
  () =>
    new PositionService({
      positions: positionRepository(),
      markets: marketRepository(),
      marketService: marketService(),
      directory: creators(),
      profiles: profiles(),
      metrics: metricsRecorder(),
    }),
);
