/**
 * Counts every request by route and status class once its answer is final, errors included (it
 * sits outside the error envelope, so a thrown error has become its 4xx/5xx by then), and the
 * rate-limited ones on their own. The route is API Gateway's route key (`GET /api/markets/{id}`),
 * never the raw path, so the metric's dimensions stay few.
 */
import type middy from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { METRIC, type MetricsRecorder } from "../metrics/metrics-recorder.ts";
import type { HttpResult } from "./response.ts";

type Request = middy.Request<APIGatewayProxyEventV2, HttpResult, Error, Context>;

export function requestMetrics(
  recorder: () => MetricsRecorder,
): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult, Error, Context> {
  const record = (request: Request) => {
    // No answer here means an error nothing below turned into one: the runtime will report a 500.
    const status = request.response?.statusCode ?? 500;
    const route = request.event.routeKey ?? "unknown";
    const metrics = recorder();
    metrics.record([{ name: METRIC.requests, unit: "Count", value: 1 }], {
      route,
      statusClass: `${Math.floor(status / 100)}xx`,
    });
    if (status === 429) metrics.record([{ name: METRIC.rateLimited, unit: "Count", value: 1 }]);
  };
  return { after: record, onError: record };
}
