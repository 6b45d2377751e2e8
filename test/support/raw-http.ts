/**
 * Raw HTTP for hostile requests: node:http sends the path, header pairs and body bytes exactly as
 * given (fetch would normalise the path, refuse some headers and re-encode the body), so a test can
 * send what a careless or hostile client sends: repeated headers, odd content types, invalid UTF-8.
 */
import { request } from "node:http";

export interface RawRequest {
  method: string;
  /** Path and query as they go on the wire (already percent-encoded where needed). */
  path: string;
  /** Header pairs in order; repeats allowed. */
  headers?: readonly (readonly [string, string])[];
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", " as Node does. */
  headers: Record<string, string>;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: unknown;
}

/** Send `raw` to `baseUrl` (http://host:port) and read the whole answer. */
export function sendRaw(baseUrl: string, raw: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  // With headers as an array, Node adds no Host header of its own, and HTTP/1.1 requires one.
  const headers: string[] = ["host", url.host];
  for (const [name, value] of raw.headers ?? []) headers.push(name, value);
  if (raw.body !== undefined) headers.push("content-length", String(raw.body.length));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: raw.method,
        path: raw.path,
        // A flat array keeps repeated headers as separate lines, in order.
        headers,
        // A new connection per request keeps one bad request from poisoning the next.
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = text.length > 0 ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
          }
          resolve({ status: res.statusCode ?? 0, headers: flat, text, json });
        });
      },
    );
    req.on("error", reject);
    req.end(raw.body);
  });
}
