/**
 * The structured JSON logger of the execution environment (Powertools). Powertools reads its own
 * settings (POWERTOOLS_LOG_LEVEL, POWERTOOLS_SERVICE_NAME) from the environment; lines of a request
 * go through that request's RequestLog (shared/http/request-log.ts), which adds its keys.
 */
import { Logger } from "@aws-lambda-powertools/logger";

export const logger = new Logger({ serviceName: "markets-api" });
