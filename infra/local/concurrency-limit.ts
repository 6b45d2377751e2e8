/**
 * A counting semaphore for the local Lambda runtime. Deployed, each concurrent request gets its own
 * execution environment and DynamoDB answers in milliseconds whatever the load; locally every
 * invocation shares one process and one DynamoDB Local JVM, so a burst of hundreds of requests
 * would make each database call take seconds and trip the timeouts real deployments never hit. Like
 * a reserved-concurrency setting, the limit queues invocations beyond it instead.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`concurrency limit must be ≥ 1, not ${limit}`);
  }

  /** Run `task` once fewer than `limit` tasks are running. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
