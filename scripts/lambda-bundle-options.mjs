// The esbuild settings every Lambda bundle is built with (esbuild.config.mjs), and every bundle it is
// measured against: the bare-handler baseline and the benchmark's Express lambdalith
// (test/bench/lambdalith.ts), so a comparison never measures different build options.
import { sep } from "node:path";

/**
 * @middy/core imports ReadableStream from node:stream/web for a single `instanceof` test on streamed
 * responses (`streamifyResponse`, which no function here uses). That import loads Node's web-streams
 * modules, about 2 ms of CPU in every cold start. The global ReadableStream is the same class and
 * Node loads it only when it is first read, so Middy gets a stand-in that defers to the global.
 */
const middyWithoutEagerWebStreams = {
  name: "middy-without-eager-web-streams",
  setup(build) {
    const middyCore = `${sep}@middy${sep}core${sep}`;
    build.onResolve({ filter: /^node:stream\/web$/ }, (args) =>
      args.importer.includes(middyCore)
        ? { path: "readable-stream", namespace: "middy-web-streams" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "middy-web-streams" }, () => ({
      contents:
        "export class ReadableStream { static [Symbol.hasInstance](value) { return value instanceof globalThis.ReadableStream; } }",
      loader: "js",
    }));
  },
};

/** Settings shared by every Lambda bundle; see the comments for the ones that are not defaults. */
export const lambdaOptions = {
  bundle: true,
  minify: true,
  format: "esm",
  platform: "node",
  target: "node22",
  // Dynamic imports (e.g. the Redis client, only loaded when configured) become lazy chunks in
  // the same folder, so a cold start only parses what the configuration needs.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
  // ESM entry points of dependencies first: the AWS SDK v3 tree-shakes much better that way.
  mainFields: ["module", "main"],
  sourcemap: false,
  metafile: true,
  legalComments: "none",
  // No keepNames: it wraps every class and function of the bundle, the SDK's thousands included, in
  // a naming call at import, ~5 ms of CPU in each cold start. Our errors name themselves in strings
  // (shared/errors.ts), so logs still say NotFoundError; docs/performance.md has the figures.
  keepNames: false,
  // The AWS SDK is bundled, not taken from the runtime: a pinned, tree-shaken version that is
  // faster to load than the full SDK the runtime carries. Nothing is external.
  external: [],
  // Some CommonJS dependencies call require() for Node built-ins; ESM has no require.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
  plugins: [middyWithoutEagerWebStreams],
  logLevel: "warning",
};
