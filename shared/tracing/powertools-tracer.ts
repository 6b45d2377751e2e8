/**
 * Powertools Tracer, only with TRACER_ENABLED=true (context `-c tracer=true`): X-Ray subsegments for
 * every DynamoDB call of the function. The composition root imports this module on demand, so a
 * function with the tracer off never loads the X-Ray SDK: its cold-start cost is then zero
 * (test/bench/cold-start.ts measures the cost when on).
 */
import { Tracer } from "@aws-lambda-powertools/tracer";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export function traceClients(options: { serviceName: string; dynamo: DynamoDBClient }): Tracer {
  const tracer = new Tracer({ serviceName: options.serviceName });
  tracer.captureAWSv3Client(options.dynamo);
  return tracer;
}
