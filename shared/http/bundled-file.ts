/**
 * A file that `npm run build` writes beside a function's bundle (dist/functions/<bundle>/<name>),
 * read on the first request that needs it and kept for the life of the execution environment.
 * Serving a generated file keeps its generator (and what it reads) out of the function's code.
 */
import { readFile } from "node:fs/promises";

/** `entryUrl` is the handler module's `import.meta.url`: the bundle's index.mjs once built. */
export function bundledFile(name: string, entryUrl: string): () => Promise<Buffer> {
  let content: Promise<Buffer> | undefined;
  return () => {
    if (!content) {
      content = readFile(new URL(`./${name}`, entryUrl));
      // A failed read (a bundle built without its files) is retried by the next request.
      content.catch(() => {
        content = undefined;
      });
    }
    return content;
  };
}
