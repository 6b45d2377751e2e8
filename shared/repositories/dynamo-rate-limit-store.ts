/**
 * Rate-limit windows as DynamoDB counters: one UpdateItem with ADD per lease (one or more units,
 * shared/services/rate-limit-leases.ts) is atomic across every Lambda instance, and the TTL attribute
 * lets DynamoDB delete old windows for free. The ADD is unconditional: the count it answers tells the
 * caller which units are its own, and a count past the limit spends nobody's units, where a
 * conditional write would cost a write unit when it fails and a second call to retry.
 */
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { RateLimitStore } from "./rate-limit-store.ts";
import { keys, TTL_ATTRIBUTE } from "./table-schema.ts";

export class DynamoRateLimitStore implements RateLimitStore {
  /** Whether this execution environment has made a call yet (its first one opens the connection). */
  private warm = false;

  /**
   * `timeoutMs` bounds each hit (retries included): the limiter fails open, and a slow table must
   * not eat the request's time. The first hit of an execution environment gets `coldTimeoutMs`: it
   * also pays for the TLS connection and the SDK's first-call setup, often while the request's own
   * reads start beside it, and failing open on every cold start would let bursts past the limit.
   */
  constructor(
    private readonly opts: {
      table: string;
      db: DynamoDBDocumentClient;
      timeoutMs?: number;
      coldTimeoutMs?: number;
    },
  ) {}

  async hit(
    bucket: string,
    caller: string,
    windowStart: number,
    windowSeconds: number,
    units = 1,
  ): Promise<number> {
    const result = await this.opts.db.send(
      new UpdateCommand({
        TableName: this.opts.table,
        Key: keys.rateWindow(bucket, caller, windowStart),
        UpdateExpression: "ADD hits :units SET #ttl = if_not_exists(#ttl, :expires)",
        ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
        // Keep the window a little past its end so a late hit never recreates a fresh counter.
        ExpressionAttributeValues: { ":units": units, ":expires": windowStart + windowSeconds * 2 },
        ReturnValues: "UPDATED_NEW",
      }),
      {
        abortSignal: AbortSignal.timeout(
          this.warm ? (this.opts.timeoutMs ?? 1000) : (this.opts.coldTimeoutMs ?? 3000),
        ),
      },
    );
    this.warm = true;
    return Number(result.Attributes?.hits ?? units);
  }
}
