/**
 * One structured JSON logger per execution environment (Powertools). The request-context
 * middleware appends requestId, method, path and userId to every line of a request.
 */
import { Logger } from "@aws-lambda-powertools/logger";

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "markets-api" });
