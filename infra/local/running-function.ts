/**
 * Which local function an asynchronous operation belongs to. The bundles share one process here,
 * where on Lambda each function has its own; the runtime runs every invocation inside this
 * context, so a tool in the same process (the recorder of the least-privilege test) can tell whose
 * connection a request travels on.
 */
import { AsyncLocalStorage } from "node:async_hooks";

const running = new AsyncLocalStorage<string>();

/** Run `work` as function `bundle`: everything it starts, awaited or not, belongs to it. */
export const runAsFunction = <T>(bundle: string, work: () => T): T => running.run(bundle, work);

/** The bundle whose invocation started the current operation; undefined outside any. */
export const currentFunction = (): string | undefined => running.getStore();
