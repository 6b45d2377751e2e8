/** Recognising the DynamoDB errors the repositories react to, by name (no SDK class imports needed). */

const named = (error: unknown, name: string): boolean =>
  typeof error === "object" && error !== null && (error as { name?: unknown }).name === name;

export const isConditionFailed = (error: unknown): boolean => named(error, "ConditionalCheckFailedException");

export const isTransactionCanceled = (error: unknown): boolean =>
  named(error, "TransactionCanceledException");

/** Cancellation reason codes of a TransactWriteItems, in the order of its items. */
export function cancellationReasons(error: unknown): { Code?: string; Item?: Record<string, unknown> }[] {
  return ((error as { CancellationReasons?: { Code?: string; Item?: Record<string, unknown> }[] })
    .CancellationReasons ?? []) as { Code?: string; Item?: Record<string, unknown> }[];
}

/** A transaction lost a race with another one on the same item: safe to retry. */
export const isTransactionConflict = (error: unknown): boolean =>
  named(error, "TransactionConflictException") ||
  (isTransactionCanceled(error) &&
    cancellationReasons(error).some((reason) => reason.Code === "TransactionConflict"));

/** The old item DynamoDB returns with `ReturnValuesOnConditionCheckFailure: ALL_OLD`, if any. */
export function oldItemOf(error: unknown): Record<string, unknown> | undefined {
  return (error as { Item?: Record<string, unknown> }).Item;
}
