/**
 * Conversion between SQS messages and Lambda's SQS event source payloads, as pure functions: the
 * records a worker receives, and the ReportBatchItemFailures response it returns.
 */
import type { Message } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from "aws-lambda";
import { LOCAL_REGION } from "./local-env.ts";

/**
 * Ids to keep from a ReportBatchItemFailures response; undefined when the response is malformed
 * (an unknown or empty itemIdentifier), which Lambda treats as a failure of the whole batch.
 */
export function failedMessageIds(result: unknown, messages: readonly Message[]): Set<string> | undefined {
  const failures = (result as Partial<SQSBatchResponse> | undefined)?.batchItemFailures;
  if (!Array.isArray(failures)) return new Set();
  const known = new Set(messages.map((message) => message.MessageId));
  const ids = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== "string" || !known.has(id)) return undefined;
    ids.add(id);
  }
  return ids;
}

/** One record of the event Lambda builds from a received message. */
export function toRecord(message: Message, eventSourceARN: string): SQSRecord {
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType ?? "String",
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined
        ? { binaryValue: Buffer.from(value.BinaryValue).toString("base64") }
        : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((bytes) => Buffer.from(bytes).toString("base64")),
    };
  }
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    // The SDK types attributes as a partial map; SQS always sends these with "All".
    attributes: (message.Attributes ?? {}) as unknown as SQSRecordAttributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? "",
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: "aws:sqs",
    eventSourceARN,
    awsRegion: eventSourceARN.split(":")[3] ?? LOCAL_REGION,
  };
}
