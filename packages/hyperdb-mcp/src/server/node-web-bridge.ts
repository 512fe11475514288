/**
 * Bridges `node:http` and the web-standard `Request`/`Response` the SDK's Streamable HTTP
 * transport speaks: a Node request becomes a `Request` whose body streams from the socket, and
 * a `Response` is written back chunk by chunk (so an SSE stream reaches the client as it is
 * produced). When the client goes away, the `Request`'s signal aborts and the response body is
 * cancelled, which ends the transport's stream.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

/** The web `Request` of a Node request; `signal` aborts when the client disconnects. */
export function toWebRequest(request: IncomingMessage, url: URL, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (Array.isArray(value)) {
      for (const item of value) headers.append(name, item);
    } else if (value !== undefined) {
      headers.set(name, value);
    }
  }
  const method = request.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(url, {
    method,
    headers,
    signal,
    ...(hasBody ? { body: Readable.toWeb(request) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  });
}

/** Writes `response` to `target`, streaming its body; resolves when it is written or the client left. */
export async function sendWebResponse(target: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  target.writeHead(response.status, headers);
  if (response.body === null) {
    target.end();
    return;
  }
  target.flushHeaders();
  const reader = response.body.getReader();
  const cancel = (): void => {
    reader.cancel().catch(() => undefined);
  };
  target.once("close", cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || target.destroyed) break;
      target.write(value);
    }
  } catch {
    // The stream failed or was cancelled because the client left; nothing more to write.
  } finally {
    target.off("close", cancel);
    target.end();
  }
}
