import {
  BedrockRuntimeClient,
  type BedrockRuntimeClientConfig,
  InvokeModelCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { outagesAsUnavailable } from "../repositories/aws-errors.ts";
import { sdkRequestHandler } from "../util/sdk-timeouts.ts";
import { type Embedder, normaliseInPlace } from "./embedder.ts";

/**
 * Amazon Titan Text Embeddings v2 through Bedrock InvokeModel. Titan embeds one text per call, so a batch
 * becomes parallel calls, capped so a worker batch does not trip Bedrock's per-account throttling.
 */

export type TitanDimensions = 256 | 512 | 1024;

export interface BedrockEmbedderOptions {
  modelId?: string;
  dimensions?: TitanDimensions;
  /** Region of the client created on first use (the deployment's, from config). */
  region?: string;
  /** Injected in tests; otherwise created on first use so cold starts that never embed pay nothing. */
  client?: BedrockRuntimeClient;
  maxConcurrency?: number;
}

export const TITAN_EMBED_V2 = "amazon.titan-embed-text-v2:0";
// Titan v2 rejects inputs over 50,000 characters; market texts are far shorter, queries shorter still.
const MAX_INPUT_CHARS = 50_000;

/**
 * How the embedder's client is built. Bedrock's client speaks HTTP/2, whose handler takes only a
 * stream timeout: it bounds connecting too, as a stalled connection leaves the stream idle. Options
 * given replace the SDK's defaults, so its one-stream-per-session default is restated.
 */
export const bedrockClientConfig = (region: string | undefined): BedrockRuntimeClientConfig => ({
  ...(region ? { region } : {}),
  requestHandler: { requestTimeout: sdkRequestHandler.requestTimeout, disableConcurrentStreams: true },
});

export class BedrockEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: TitanDimensions;
  private readonly maxConcurrency: number;
  private readonly region: string | undefined;
  private client: BedrockRuntimeClient | undefined;

  constructor(options: BedrockEmbedderOptions = {}) {
    this.model = options.modelId ?? TITAN_EMBED_V2;
    this.dimensions = options.dimensions ?? 1024;
    this.client = options.client;
    this.region = options.region;
    this.maxConcurrency = Math.max(1, options.maxConcurrency ?? 8);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors = new Array<Float32Array>(texts.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < texts.length) {
        const index = next++;
        vectors[index] = await this.embedOne(texts[index] as string);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.maxConcurrency, texts.length) }, worker));
    return vectors;
  }

  private async embedOne(text: string): Promise<Float32Array> {
    // Titan rejects an empty inputText; a single space embeds as a near-neutral vector instead of failing.
    const inputText = text.trim().slice(0, MAX_INPUT_CHARS) || " ";
    if (!this.client) {
      this.client = new BedrockRuntimeClient(bedrockClientConfig(this.region));
      this.client.middlewareStack.use(outagesAsUnavailable);
    }
    const response = await this.client.send(
      new InvokeModelCommand({
        modelId: this.model,
        contentType: "application/json",
        accept: "application/json",
        body: JSON.stringify({ inputText, dimensions: this.dimensions, normalize: true }),
      }),
    );
    return normaliseInPlace(Float32Array.from(this.parseEmbedding(response.body)));
  }

  private parseEmbedding(body: Uint8Array | undefined): number[] {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(body ?? new Uint8Array()));
    const embedding =
      typeof parsed === "object" && parsed !== null && "embedding" in parsed ? parsed.embedding : undefined;
    if (
      !Array.isArray(embedding) ||
      embedding.length !== this.dimensions ||
      !embedding.every((value) => typeof value === "number")
    ) {
      throw new Error(`${this.model} returned no ${this.dimensions}-dimension embedding`);
    }
    return embedding;
  }
}
