/**
 * What the project's CLIs (`npm run token`, `invoke`, `seed`) share: argument parsing whose
 * mistakes (an unknown flag, a missing value) end in one clear line and exit code 2, `--help` on
 * stdout with exit 0, and failures reported as `error: <message>` with exit code 1, never a stack
 * trace for a mistake the user can fix.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";

// Node 20 is supported for local tools; the SDK would print a notice about its future minimum.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** A failure the user can act on: printed as its message alone. */
export class CliError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parse argv; `--help`/`-h` prints `help` and exits 0, a malformed command line exits 2. */
export function parseCli<O extends Options>(help: string, options: O, allowPositionals = false) {
  try {
    const parsed = parseArgs<{ args: string[]; options: O; allowPositionals: boolean; strict: true }>({
      args: process.argv.slice(2),
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals,
      strict: true,
    });
    if ((parsed.values as { help?: boolean }).help) {
      console.log(help);
      process.exit(0);
    }
    return parsed;
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}\n\n${help}`);
    process.exit(2);
  }
}

/** Run a CLI's main function: a CliError prints its message, anything else its stack. */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof CliError) console.error(`error: ${error.message}`);
    else console.error("error:", error);
    process.exit(1);
  }
}
