/**
 * The Bedrock client's request timeout, against a server that accepts connections and never
 * answers (Bedrock itself cannot run here). The error is asserted, not the clock: a call that hung
 * would fail the test by its own timeout.
 */
import { BedrockRuntimeClient, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { describe, expect, it } from "vitest";
import { bedrockClientConfig, TITAN_EMBED_V2 } from "../../../shared/search/bedrock-embedder.ts";
import { sdkRequestHandler } from "../../../shared/util/sdk-timeouts.ts";
import { startSilentServer } from "../../support/silent-server.ts";

describe("bedrockClientConfig", () => {
  it("fails a call to a stalled endpoint with a timeout error instead of hanging", async () => {
    const silent = await startSilentServer();
    const client = new BedrockRuntimeClient({
      ...bedrockClientConfig("eu-west-3"),
      endpoint: silent.endpoint,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    const error = await client
      .send(new InvokeModelCommand({ modelId: TITAN_EMBED_V2, body: "{}" }))
      .catch((e: unknown) => e);
    client.destroy();
    await silent.stop();
    // The HTTP/2 handler's own words for the configured requestTimeout passing.
    expect(error).toMatchObject({
      name: "TimeoutError",
      message: `Stream timed out because of no activity for ${sdkRequestHandler.requestTimeout} ms`,
    });
  });
});
