import { BedrockRuntimeClient, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { describe, expect, it } from "vitest";
import {
  BedrockEmbedder,
  bedrockClientConfig,
  TITAN_EMBED_V2,
} from "../../../shared/search/bedrock-embedder.ts";

interface TitanRequest {
  inputText: string;
  dimensions: number;
  normalize: boolean;
}

/** Bedrock cannot run here: a client whose `send` records commands and answers like Titan v2. */
function stubClient(answer: (request: TitanRequest) => unknown) {
  const commands: InvokeModelCommand[] = [];
  const client = {
    send: async (command: InvokeModelCommand) => {
      commands.push(command);
      const request = JSON.parse(String(command.input.body)) as TitanRequest;
      return { body: new TextEncoder().encode(JSON.stringify(answer(request))) };
    },
  } as unknown as BedrockRuntimeClient;
  return { client, commands };
}

const titanLike = (request: TitanRequest) => ({
  embedding: Array.from({ length: request.dimensions }, (_, i) =>
    i === request.inputText.length % 4 ? 2 : 0,
  ),
  inputTextTokenCount: 3,
});

describe("BedrockEmbedder", () => {
  it("sends one Titan v2 InvokeModel request per text with dimensions and normalize", async () => {
    const { client, commands } = stubClient(titanLike);
    const embedder = new BedrockEmbedder({ dimensions: 256, client });
    expect(embedder.model).toBe(TITAN_EMBED_V2);
    await embedder.embed(["  rain in paris  "]);
    expect(commands).toHaveLength(1);
    const command = commands[0] as InvokeModelCommand;
    expect(command).toBeInstanceOf(InvokeModelCommand);
    expect(command.input.modelId).toBe("amazon.titan-embed-text-v2:0");
    expect(command.input.contentType).toBe("application/json");
    expect(JSON.parse(String(command.input.body))).toEqual({
      inputText: "rain in paris",
      dimensions: 256,
      normalize: true,
    });
  });

  it("returns unit Float32Arrays in input order under concurrency", async () => {
    const { client } = stubClient(titanLike);
    const embedder = new BedrockEmbedder({ dimensions: 512, client, maxConcurrency: 2 });
    const texts = ["a", "bb", "ccc", "dddd", "eeeee"];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(5);
    vectors.forEach((vector, i) => {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(512);
      expect(vector[(texts[i] as string).length % 4]).toBe(1);
    });
  });

  it("uses a custom model id and rejects malformed or wrongly sized responses", async () => {
    const { client, commands } = stubClient(() => ({ embedding: [1, 2, 3] }));
    const embedder = new BedrockEmbedder({ modelId: "custom-model", client });
    await expect(embedder.embed(["x"])).rejects.toThrow(/1024-dimension/);
    expect(commands[0]?.input.modelId).toBe("custom-model");
    const { client: broken } = stubClient(() => ({ message: "throttled" }));
    await expect(new BedrockEmbedder({ client: broken }).embed(["x"])).rejects.toThrow(/embedding/);
  });

  it("returns an empty result for an empty batch without calling Bedrock", async () => {
    const embedder = new BedrockEmbedder();
    await expect(embedder.embed([])).resolves.toEqual([]);
  });
});

describe("bedrockClientConfig", () => {
  it("builds the client in the configured region", async () => {
    const client = new BedrockRuntimeClient(bedrockClientConfig("eu-west-3"));
    expect(await client.config.region()).toBe("eu-west-3");
    client.destroy();
  });
  // Its timeout against a stalled endpoint: test/integration/search/bedrock-timeout.test.ts.
});
