/**
 * Runs the MCP server over Streamable HTTP (`--http [HOST:]PORT`) for several clients at once,
 * at the path `/mcp`, on Node's own `node:http`.
 *
 * - Each client gets its own MCP session (the `mcp-session-id` header): an `initialize` POST
 *   without a session id opens one with its own server instance ({@link createServer}) and
 *   its own engine ({@link createEngine}), so each session has its own local database; in
 *   daemon mode they all use the daemon's hyperd, with `--no-daemon` each starts a private one.
 *   Sessions are those of the 2025 protocol revisions; a request of the session-less 2026-07-28
 *   revision is answered like any request without a session (400), and a negotiating client
 *   then falls back to `initialize`.
 * - A session ends on the client's DELETE, after {@link HTTP_IDLE_TIMEOUT_MS} without an open
 *   exchange, or when the server stops; its engine is closed then (a private hyperd stops, the
 *   local database is deleted). At most {@link HTTP_MAX_SESSIONS} sessions are open at once;
 *   beyond that a new one is refused with 503.
 * - Access: see `http-auth.ts` (loopback by default; a bearer token for anything else).
 * - SIGINT or SIGTERM closes every session and its engine, then exits with 0; a second signal
 *   while that runs exits at once.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type McpServer, WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/server";
import type { HttpListen } from "../cli/parse-args.ts";
import type { ServerConfig } from "../config/server-config.ts";
import { createEngine } from "../engine/create-engine.ts";
import type { SessionEngine } from "../engine/session-engine.ts";
import { errorMessage } from "../error-message.ts";
import { createServer, logToStderr } from "./create-server.ts";
import {
  bindRefusal,
  checkRequest,
  type HttpAccessPolicy,
  isLoopbackHost,
  resolveHttpToken,
} from "./http-auth.ts";
import { sendWebResponse, toWebRequest } from "./node-web-bridge.ts";
import { MAX_CLIENT_MESSAGE_BYTES } from "./run-stdio.ts";
import { SessionTable } from "./session-table.ts";

/** The endpoint path. */
export const MCP_PATH = "/mcp";
/** Most MCP sessions open at once. */
export const HTTP_MAX_SESSIONS = 16;
/** A session without an open exchange for this long is closed as abandoned. */
export const HTTP_IDLE_TIMEOUT_MS = 30 * 60_000;
/** How often abandoned sessions are looked for. */
const SWEEP_INTERVAL_MS = 60_000;
/** How long shutdown may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Options of {@link runHttpServer}. */
export interface RunHttpOptions {
  readonly listen: HttpListen;
  /** File holding the bearer token (`--http-token-file`). */
  readonly tokenFile: string | undefined;
}

/** One client's session: its transport, server instance and engine. */
class HttpSession {
  readonly #server: McpServer;
  readonly #engine: SessionEngine;
  readonly #onClosed: () => void;
  #closing: Promise<void> | undefined;

  readonly id: string;
  readonly transport: WebStandardStreamableHTTPServerTransport;

  constructor(
    id: string,
    transport: WebStandardStreamableHTTPServerTransport,
    parts: { server: McpServer; engine: SessionEngine; onClosed: () => void },
  ) {
    this.id = id;
    this.transport = transport;
    this.#server = parts.server;
    this.#engine = parts.engine;
    this.#onClosed = parts.onClosed;
  }

  connect(): Promise<void> {
    return this.#server.connect(this.transport);
  }

  /** Closes the server instance (and the transport), then the engine. Runs once. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#server.close().catch(() => undefined);
      await this.#engine
        .close()
        .catch((error: unknown) =>
          logToStderr(`closing the engine of session ${this.id} failed: ${errorMessage(error)}`),
        );
      this.#onClosed();
    })();
    return this.#closing;
  }
}

/**
 * Starts the HTTP server; resolves once it listens (the process then lives on). A refused
 * configuration or a failed bind is reported on stderr with exit code 1.
 */
export async function runHttpServer(config: ServerConfig, options: RunHttpOptions): Promise<void> {
  const { host, port } = options.listen;
  let token: string | undefined;
  try {
    token = await resolveHttpToken(process.env, options.tokenFile);
  } catch (error) {
    return startFailed(errorMessage(error));
  }
  const refusal = bindRefusal(host, token);
  if (refusal !== undefined) {
    return startFailed(refusal);
  }
  const policy: HttpAccessPolicy = { token, loopbackOnly: isLoopbackHost(host) };
  const table = new SessionTable<HttpSession>({
    maxSessions: HTTP_MAX_SESSIONS,
    idleTimeoutMs: HTTP_IDLE_TIMEOUT_MS,
  });
  // Every session ever opened and not yet closed, registered or not, so shutdown closes all.
  const live = new Set<HttpSession>();

  const openSession = (): HttpSession => {
    const id = randomUUID();
    const log = (line: string): void => logToStderr(`[session ${id.slice(0, 8)}] ${line}`);
    const engine = createEngine(config, log);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      maxRequestBodySize: MAX_CLIENT_MESSAGE_BYTES,
      onsessioninitialized: () => {
        table.add(id, session);
        log("session opened");
      },
      onsessionclosed: () => {
        log("session closed by the client");
        void table.remove(id);
      },
    });
    const session: HttpSession = new HttpSession(id, transport, {
      server: createServer({ engine, config, log }),
      engine,
      onClosed: () => live.delete(session),
    });
    live.add(session);
    return session;
  };

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname !== MCP_PATH) {
      return sendError(response, 404, `not found; the MCP endpoint is ${MCP_PATH}`);
    }
    const refused = checkRequest(request.headers, policy);
    if (refused !== undefined) {
      return sendError(response, refused.status, refused.message);
    }
    const aborted = new AbortController();
    response.once("close", () => aborted.abort());
    const webRequest = (): Request => toWebRequest(request, url, aborted.signal);
    const sessionId = headerValue(request, "mcp-session-id");
    if (sessionId !== undefined) {
      const session = table.get(sessionId);
      if (session === undefined) {
        return sendError(response, 404, "session not found; start a new one with initialize");
      }
      response.once("close", table.begin(sessionId));
      return sendWebResponse(response, await session.transport.handleRequest(webRequest()));
    }
    if (request.method !== "POST") {
      return sendError(response, 400, "Bad Request: Mcp-Session-Id header is required");
    }
    if (!table.reserve()) {
      return sendError(response, 503, `too many sessions (at most ${HTTP_MAX_SESSIONS}); end one first`);
    }
    const session = openSession();
    let answer: Response;
    try {
      await session.connect();
      answer = await session.transport.handleRequest(webRequest());
    } finally {
      // Anything but an initialize (a 2026-07-28 probe, a stray request) opens no session.
      if (table.get(session.id) === undefined) {
        table.release();
        void session.close();
      }
    }
    return sendWebResponse(response, answer);
  };

  const httpServer = createHttpServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      logToStderr(`HTTP request failed: ${errorMessage(error)}`);
      if (!response.headersSent) {
        sendError(response, 500, "internal error");
      } else {
        response.destroy();
      }
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(port, host, () => {
        httpServer.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    return startFailed(`cannot listen on ${host}:${port}: ${errorMessage(error)}`);
  }

  const sweeper = setInterval(() => {
    table.sweep().then(
      (expired) => {
        for (const id of expired) logToStderr(`[session ${id.slice(0, 8)}] session closed after being idle`);
      },
      (error: unknown) => logToStderr(`closing idle sessions failed: ${errorMessage(error)}`),
    );
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  let shuttingDown = false;
  const shutdown = (reason: string): void => {
    if (shuttingDown) {
      process.exit(0);
    }
    shuttingDown = true;
    logToStderr(`shutting down (${reason})`);
    const timer = setTimeout(() => {
      logToStderr("shutdown timed out; exiting");
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    clearInterval(sweeper);
    httpServer.close();
    void (async () => {
      await table.closeAll().catch(() => undefined);
      await Promise.all([...live].map((session) => session.close()));
      httpServer.closeAllConnections();
      process.exit(0);
    })();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));

  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  logToStderr(`serving MCP over Streamable HTTP at http://${hostInUrl}:${port}${MCP_PATH}`);
}

function startFailed(message: string): void {
  logToStderr(message);
  process.exitCode = 1;
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Answers with a JSON-RPC error body, as the SDK transport does for its own refusals. */
function sendError(response: ServerResponse, status: number, message: string): void {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (status === 401) {
    headers["www-authenticate"] = 'Bearer realm="hyperdb-mcp"';
  }
  response.writeHead(status, headers);
  response.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}
