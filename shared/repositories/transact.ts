/**
 * Runs a TransactWriteItems, retrying conflicts with other transactions and throttled items (the
 * SDK retries neither: a canceled transaction is a 400 to it). A market busy past the retries is a
 * 503; any other failure is the caller's to map from the cancellation reasons.
 */
import type { DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { UnavailableError } from "../errors.ts";
import { retry } from "../util/retry.ts";
import { isThrottledTransaction } from "./aws-errors.ts";
import { isTransactionConflict } from "./dynamo-errors.ts";

export async function transact(db: DynamoDBDocumentClient, command: TransactWriteCommand): Promise<void> {
  const busy = (error: unknown) => isTransactionConflict(error) || isThrottledTransaction(error);
  try {
    await retry(() => db.send(command), {
      maxAttempts: 8,
      baseDelayMs: 20,
      maxDelayMs: 500,
      retryable: busy,
    });
  } catch (error) {
    if (busy(error)) throw new UnavailableError("The market is busy; try again shortly");
    throw error;
  }
}
