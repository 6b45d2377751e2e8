/**
 * The public HTTP API: one route per route-table entry, CORS preflight answered by API Gateway,
 * and a `$default` stage with throttling and JSON access logs.
 */
import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { HttpMethod, RouteDeclaration } from "../../shared/routes/route.ts";
import type { DeploySettings } from "../settings.ts";

/** Request headers the API reads (API.md); anything else is refused by the CORS preflight. */
const ALLOWED_HEADERS = [
  "Authorization",
  "Content-Type",
  "Idempotency-Key",
  "If-Match",
  "If-None-Match",
  "X-Request-Id",
];
/** Response headers a browser client may read. */
const EXPOSED_HEADERS = [
  "ETag",
  "Location",
  "Retry-After",
  "RateLimit-Limit",
  "RateLimit-Remaining",
  "RateLimit-Reset",
  "X-Request-Id",
];

/** One JSON object per request; `$context.requestId` correlates with the Lambda logs. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  sourceIp: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  routeKey: "$context.routeKey",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency",
  integrationStatus: "$context.integrationStatus",
  integrationError: "$context.integrationErrorMessage",
});

export interface MarketsHttpApiProps {
  readonly settings: DeploySettings;
  readonly methods: readonly HttpMethod[];
}

export class MarketsHttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: MarketsHttpApiProps) {
    super(scope, id);
    const { settings } = props;

    this.api = new apigwv2.HttpApi(this, "Api", {
      description: `Markets API (${settings.stage})`,
      // The stage is declared below, with throttling and access logs the default one cannot take.
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...settings.corsOrigins],
        allowMethods: [...new Set(props.methods)].map((method) => apigwv2.CorsHttpMethod[method]),
        allowHeaders: ALLOWED_HEADERS,
        exposeHeaders: EXPOSED_HEADERS,
        // Bearer tokens, not cookies: no credentials mode, which also keeps `*` origins legal.
        allowCredentials: false,
        maxAge: Duration.hours(1),
      },
    });

    this.accessLogGroup = new logs.LogGroup(this, "AccessLogs", {
      retention: settings.logRetention,
      removalPolicy: settings.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new apigwv2.HttpStage(this, "DefaultStage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: settings.throttleRateLimit, burstLimit: settings.throttleBurstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });
  }

  /** Route `METHOD path` (exactly as in the route table) to a function, payload format 2.0. */
  addRoute(id: string, route: RouteDeclaration, handler: lambda.IFunction): void {
    const routes = this.api.addRoutes({
      path: route.path,
      methods: [apigwv2.HttpMethod[route.method]],
      integration: new HttpLambdaIntegration(`${id}Integration`, handler),
    });
    for (const created of routes) {
      Validations.of(created).acknowledge({
        id: "AwsSolutions-APIG4",
        reason:
          "Public API by design (API.md): anonymous reads are allowed, and the Lambda verifies the JWT so that " +
          "401/403 follow the error envelope and the check order of the contract, deployed and locally alike.",
      });
    }
  }
}
