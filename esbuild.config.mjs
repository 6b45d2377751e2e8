// Bundles every Lambda (the routes and workers declared in shared/routes/) into its own
// self-contained folder, dist/functions/<bundle>/index.mjs (+ lazy chunks), which the CDK stack ships
// with Code.fromAsset and the local cloud imports as is. Writes the OpenAPI document generated from
// the same declarations to docs/openapi.json and beside the bundle that serves it, and builds the docs
// page beside the system-docs bundle: those functions serve files, so neither carries the route
// table, a schema or the viewer in its code. With CI set, docs/openapi.json is checked instead of
// written: a stale committed copy fails the build. Prints a size table against a bare GetItem
// baseline and writes dist/build-report.json.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { lambdaOptions } from "./scripts/lambda-bundle-options.mjs";

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, "dist");
const OPENAPI_FILE = join(root, "docs", "openapi.json");

/**
 * Collect the route declarations (every .ts file in shared/routes/ but route.ts, as
 * infra/route-table.ts does), the OpenAPI builder and the docs page builder, bundled through esbuild
 * into a temp .mjs, so this script stays plain Node.
 */
async function loadBuildManifest() {
  const declarations = readdirSync(join(root, "shared", "routes"))
    .filter((file) => file.endsWith(".ts") && file !== "route.ts")
    .sort();
  const contents = [
    ...declarations.map((file, i) => `export * as declarations${i} from "./shared/routes/${file}";`),
    'export { bundleName, collectDeclarations } from "./shared/routes/route.ts";',
    'export { serializedOpenApiDocument } from "./infra/openapi-document.ts";',
    'export { docsPage } from "./infra/docs-page.ts";',
  ].join("\n");
  const outfile = join(tmpdir(), `markets-api-manifest-${process.pid}-${Date.now()}.mjs`);
  await build({
    stdin: { contents, resolveDir: root, loader: "ts", sourcefile: "build-manifest.ts" },
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  try {
    const manifest = await import(pathToFileURL(outfile).href);
    const { routes, workers } = manifest.collectDeclarations(
      declarations.map((_, i) => manifest[`declarations${i}`]),
    );
    return {
      routes,
      workers,
      bundleName: manifest.bundleName,
      docsPage: manifest.docsPage,
      serializedOpenApiDocument: () => manifest.serializedOpenApiDocument(routes),
    };
  } finally {
    rmSync(outfile, { force: true });
  }
}

/** Write docs/openapi.json, or under CI fail when the committed copy differs from the declarations. */
function writeOpenApiDocument(serialized) {
  const committed = existsSync(OPENAPI_FILE) ? readFileSync(OPENAPI_FILE, "utf8") : undefined;
  if (committed === serialized) return;
  if (process.env.CI) {
    console.error("[build] docs/openapi.json is out of date: run `npm run build` and commit it");
    process.exit(1);
  }
  mkdirSync(dirname(OPENAPI_FILE), { recursive: true });
  writeFileSync(OPENAPI_FILE, serialized);
  console.log("[build] wrote docs/openapi.json");
}

/**
 * Files a bundle serves, written into its folder beside index.mjs, by bundle name. The handlers
 * read them on their first request (functions/system/openapi.ts, functions/system/docs.ts).
 */
function staticFiles(manifest, openApiJson) {
  const page = manifest.docsPage(root);
  return {
    "system-openapi": { "openapi.json": openApiJson },
    "system-docs": {
      "docs.html": page.html,
      "docs.html.gz": gzipSync(page.html, { level: 9 }),
      "docs.json": JSON.stringify({ contentSecurityPolicy: page.contentSecurityPolicy, etag: page.etag }),
    },
  };
}

/** Build one entry into its own folder, with its static files; returns the sizes. */
async function bundle(name, entry, outdir, files = {}) {
  const result = await build({ ...lambdaOptions, entryPoints: { index: entry }, outdir });
  writeFileSync(join(dist, "meta", `${name}.json`), JSON.stringify(result.metafile));
  let staticBytes = 0;
  for (const [file, content] of Object.entries(files)) {
    writeFileSync(join(outdir, file), content);
    staticBytes += Buffer.byteLength(content);
  }
  const outputs = result.metafile.outputs;
  // Dynamic-import chunks carry an `entryPoint` too in the metafile; the real entry is index.mjs.
  // Metafile paths are relative to the working directory.
  const entryFile = relative(process.cwd(), join(outdir, "index.mjs")).replaceAll("\\", "/");
  const totalBytes = Object.values(outputs).reduce((sum, output) => sum + output.bytes, 0);
  return {
    name,
    entry: relative(root, entry),
    entryBytes: outputs[entryFile].bytes,
    coldStartBytes: staticClosureBytes(outputs, entryFile),
    coldStartSources: coldStartSources(outputs, entryFile),
    totalBytes,
    chunks: Object.keys(outputs).length - 1,
    staticBytes,
  };
}

/**
 * Bytes a cold start loads: the entry plus every chunk it imports statically, transitively. With
 * splitting, code shared by the entry and a lazy chunk moves into a shared chunk, so the entry
 * file alone says little; lazy (dynamic-import) chunks are loaded only when used.
 */
function staticClosureBytes(outputs, entryFile) {
  return [...staticClosure(outputs, entryFile)].reduce((sum, file) => sum + outputs[file].bytes, 0);
}

/** The output files a cold start loads: the entry and its static imports, transitively. */
function staticClosure(outputs, entryFile) {
  const seen = new Set([entryFile]);
  const pending = [entryFile];
  while (pending.length > 0) {
    for (const imported of outputs[pending.pop()].imports) {
      if (imported.kind !== "import-statement" || imported.external || seen.has(imported.path)) continue;
      seen.add(imported.path);
      pending.push(imported.path);
    }
  }
  return seen;
}

/**
 * Where a cold start's bytes come from, by package (`zod`, `@aws-sdk/core`) or by folder of our own
 * code (`shared/http`), as the minified output carries them.
 */
function coldStartSources(outputs, entryFile) {
  const bytes = {};
  for (const file of staticClosure(outputs, entryFile)) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[file].inputs)) {
      const source = sourceOf(input);
      bytes[source] = (bytes[source] ?? 0) + bytesInOutput;
    }
  }
  return bytes;
}

function sourceOf(input) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
  if (pkg) return pkg[1];
  const parts = input.split("/");
  return parts.length > 2 ? parts.slice(0, 2).join("/") : input;
}

/** What a bundle's cold start loads beyond the baseline's, largest first (bytes by source). */
function beyondBaseline(row, baseline) {
  return Object.entries(row.coldStartSources)
    .map(([source, bytes]) => ({ source, bytes: bytes - (baseline?.coldStartSources[source] ?? 0) }))
    .filter((entry) => entry.bytes >= 512)
    .sort((a, b) => b.bytes - a.bytes);
}

const kb = (bytes) => (bytes / 1024).toFixed(1);

async function main() {
  const manifest = await loadBuildManifest();
  const { routes, workers, bundleName } = manifest;
  const openApiJson = manifest.serializedOpenApiDocument();
  writeOpenApiDocument(openApiJson);
  const filesByBundle = staticFiles(manifest, openApiJson);
  const handlers = [...new Set([...routes, ...workers].map((definition) => definition.handler))];

  // Build into fresh staging folders and swap them in at the end: stale folders (a renamed handler,
  // old chunk hashes) never reach a deployment, and a local cloud or test run reading dist/ while
  // this runs sees the old bundles until the swap instead of an empty folder.
  const staging = join(dist, `.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(dist, "meta"), { recursive: true });

  const missing = [];
  const jobs = [];
  for (const handler of handlers) {
    const entry = join(root, "functions", `${handler}.ts`);
    const name = bundleName(handler);
    if (!existsSync(entry)) {
      missing.push({ name, entry: relative(root, entry) });
      continue;
    }
    jobs.push(bundle(name, entry, join(staging, "functions", name), filesByBundle[name]));
  }
  const baselineJob = bundle(
    "baseline",
    join(root, "test", "bench", "baseline", "bare-get-item.ts"),
    join(staging, "baseline", "bare-get-item"),
  );

  // Every build runs even if one fails, so a single run reports every broken bundle.
  const settled = await Promise.allSettled([baselineJob, ...jobs]);
  const failures = settled.filter((outcome) => outcome.status === "rejected");
  const [baselineOutcome, ...bundleOutcomes] = settled;
  const baseline = baselineOutcome.status === "fulfilled" ? baselineOutcome.value : undefined;
  const built = bundleOutcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
  built.sort((a, b) => a.name.localeCompare(b.name));

  const ratio = (bytes, baselineBytes) => (baseline ? `${(bytes / baselineBytes).toFixed(2)}×` : "n/a");
  const rows = [...(baseline ? [baseline] : []), ...built].map((row) => ({
    bundle: row.name,
    "entry KB": kb(row.entryBytes),
    "cold start KB": kb(row.coldStartBytes),
    "total KB": kb(row.totalBytes),
    chunks: row.chunks,
    "cold start vs baseline": ratio(row.coldStartBytes, baseline?.coldStartBytes),
    "total vs baseline": ratio(row.totalBytes, baseline?.totalBytes),
    // Files served as they are (the OpenAPI document, the docs page): read on the first request.
    "static KB": row.staticBytes ? kb(row.staticBytes) : "",
  }));
  for (const gap of missing) rows.push({ bundle: gap.name, "entry KB": "missing" });
  console.table(rows);
  if (baseline) {
    console.log("[build] cold-start KB beyond the baseline, largest first (dist/build-report.json has all):");
    for (const row of built) {
      const top = beyondBaseline(row, baseline).slice(0, 6);
      console.log(`  ${row.name}: ${top.map((entry) => `${entry.source} ${kb(entry.bytes)}`).join(", ")}`);
    }
  }

  if (missing.length > 0) {
    // A route whose handler file does not exist would deploy (and serve locally) as a 500.
    console.error(
      `[build] ${missing.length} handler(s) in the route table have no file: ${missing.map((gap) => gap.entry).join(", ")}`,
    );
  }

  const report = {
    builtAt: new Date().toISOString(),
    baseline: baseline ?? null,
    bundles: built.map((row) => ({
      ...row,
      coldStartBeyondBaseline: beyondBaseline(row, baseline),
      coldStartRatioToBaseline: baseline ? row.coldStartBytes / baseline.coldStartBytes : null,
      totalRatioToBaseline: baseline ? row.totalBytes / baseline.totalBytes : null,
    })),
    missing,
    failed: failures.length,
  };
  writeFileSync(join(dist, "build-report.json"), `${JSON.stringify(report, null, 2)}\n`);

  if (failures.length > 0 || missing.length > 0) {
    // esbuild has already printed the errors themselves (logLevel "warning").
    if (failures.length > 0) console.error(`[build] ${failures.length} bundle(s) failed to build`);
    rmSync(staging, { recursive: true, force: true });
    process.exit(1);
  }
  for (const folder of ["functions", "baseline"]) {
    rmSync(join(dist, folder), { recursive: true, force: true });
    renameSync(join(staging, folder), join(dist, folder));
  }
  rmSync(staging, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
