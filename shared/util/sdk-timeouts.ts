/**
 * Timeouts for the AWS SDK clients. The SDK's defaults wait without limit on a connection that
 * stalls, so one slow dependency would hold a request until the Lambda timeout. Bounded, the SDK's
 * own retries get their chance and a failing dependency is answered quickly. Given to each client
 * as its `requestHandler` options (the SDK builds the handler from them), so no handler class has
 * to be imported or bundled.
 */
export const sdkRequestHandler = {
  connectionTimeout: 1_000,
  requestTimeout: 3_000,
  // Without it a passed requestTimeout is only a logged warning and the request keeps waiting.
  throwOnRequestTimeout: true,
};
