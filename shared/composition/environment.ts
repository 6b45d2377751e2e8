/**
 * The one reader of the environment: the composition root's settings, parsed on first use (not at
 * import, so a bundle's import stays free of work its first request does not need).
 */
import { type Config, parseConfig } from "../config.ts";
import { once } from "../util/once.ts";

export const config = /* @__PURE__ */ once((): Config => parseConfig(process.env));
