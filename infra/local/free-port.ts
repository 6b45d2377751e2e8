/**
 * A free TCP port on the loopback interface, chosen by the OS. Every local service takes one so
 * that `npm start`, several test runs and a developer's own DynamoDB on :8000 never collide.
 */
import { createServer } from "node:net";

/** Ask the OS for an unused port, then release it for the caller to bind. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      // listen() on a TCP port always yields an AddressInfo; a string only happens for pipes.
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("The OS gave no free port"))));
    });
  });
}

/** Poll `probe` until it resolves true, or fail after `timeoutMs` with `describe()` in the message. */
export async function waitUntil(
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; describe: () => string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
  throw new Error(`Timed out after ${options.timeoutMs} ms: ${options.describe()}`);
}
