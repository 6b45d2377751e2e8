/**
 * The HTTP side of `npm run seed`: JSON requests with one bearer token per seeded user, that keep
 * within the API's per-caller rate limits. Each caller's `RateLimit-Remaining`/`RateLimit-Reset`
 * are remembered, so a caller with no budget left waits for its window instead of spending a
 * request on a 429; a 429 that still happens waits `Retry-After` and is retried, and so are
 * 503s and network errors, a few times with backoff.
 */
export interface SeedResponse {
  status: number;
  body: { data?: unknown; meta?: { nextCursor?: string | null }; code?: string; error?: string };
}

export class SeedHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

interface Budget {
  remaining: number;
  resetsAt: number;
}

const MAX_ATTEMPTS = 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SeedClient {
  /** Per caller (token) and budget (read/write), as the API counts them. */
  private readonly budgets = new Map<string, Budget>();
  /** Requests that waited for a rate-limit window, for the summary. */
  rateLimitWaits = 0;

  constructor(private readonly baseUrl: string) {}

  /** Send one request; resolves with 2xx/4xx answers, throws SeedHttpError after retries run out. */
  async request(
    method: string,
    path: string,
    options: { token: string; body?: unknown; idempotencyKey?: string },
  ): Promise<SeedResponse> {
    const budgetKey = `${options.token}:${method === "GET" ? "read" : "write"}`;
    for (let attempt = 1; ; attempt += 1) {
      await this.waitForBudget(budgetKey);
      let response: Response;
      try {
        response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${options.token}`,
            accept: "application/json",
            ...(options.body === undefined ? {} : { "content-type": "application/json" }),
            ...(options.idempotencyKey ? { "idempotency-key": options.idempotencyKey } : {}),
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS) {
          throw new SeedHttpError(
            0,
            undefined,
            `${method} ${this.baseUrl}${path}: ${(error as Error).message}`,
          );
        }
        await sleep(250 * 2 ** attempt);
        continue;
      }
      this.remember(budgetKey, response.headers);
      const text = await response.text();
      const body = (text ? JSON.parse(text) : {}) as SeedResponse["body"];
      if (response.status === 429 && attempt < MAX_ATTEMPTS) {
        this.rateLimitWaits += 1;
        await sleep(Number(response.headers.get("retry-after") ?? 1) * 1000 + 100);
        continue;
      }
      if (response.status >= 500 && attempt < MAX_ATTEMPTS) {
        await sleep(250 * 2 ** attempt);
        continue;
      }
      if (response.status >= 500 || response.status === 429 || response.status === 401) {
        throw new SeedHttpError(
          response.status,
          body.code,
          `${method} ${path}: ${response.status} ${body.code ?? ""} ${body.error ?? ""}`.trim(),
        );
      }
      return { status: response.status, body };
    }
  }

  /** Every item of a paged list, following `meta.nextCursor`. */
  async all<T>(path: string, token: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null | undefined;
    do {
      const separator = path.includes("?") ? "&" : "?";
      const page = await this.request(
        "GET",
        `${path}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ""}`,
        { token },
      );
      if (page.status !== 200)
        throw new SeedHttpError(
          page.status,
          page.body.code,
          `GET ${path}: ${page.status} ${page.body.error ?? ""}`,
        );
      items.push(...(page.body.data as T[]));
      cursor = page.body.meta?.nextCursor;
    } while (cursor);
    return items;
  }

  private remember(key: string, headers: Headers): void {
    const remaining = headers.get("ratelimit-remaining");
    const reset = headers.get("ratelimit-reset");
    if (remaining === null || reset === null) return;
    this.budgets.set(key, { remaining: Number(remaining), resetsAt: Date.now() + Number(reset) * 1000 });
  }

  private async waitForBudget(key: string): Promise<void> {
    const budget = this.budgets.get(key);
    if (!budget || budget.remaining > 0 || budget.resetsAt <= Date.now()) {
      // Spend optimistically: concurrent requests of one caller must not all see the last unit.
      if (budget) budget.remaining -= 1;
      return;
    }
    this.rateLimitWaits += 1;
    await sleep(budget.resetsAt - Date.now() + 100);
  }
}
