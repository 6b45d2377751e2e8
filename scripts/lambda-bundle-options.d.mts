import type { BuildOptions } from "esbuild";

/** Settings shared by every Lambda bundle (lambda-bundle-options.mjs). */
export declare const lambdaOptions: BuildOptions & { metafile: true };
