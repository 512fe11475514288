/**
 * Runs the MCP server over stdio until the client goes away.
 *
 * The connection is served by the SDK's `serveStdio`, which reads the opening message and
 * picks the protocol era for the whole connection: `initialize` (2025-06-18, 2025-11-25)
 * pins a 2025-era server instance; a `server/discover` or any request carrying the 2026-07-28
 * `_meta` envelope pins a 2026-era one (no handshake: every request names its version).
 * A hand-wired `McpServer.connect(transport)` only speaks the 2025 era (it answers the
 * discover probe as a 2025 server and a pinned 2026 client gives up). Each instance comes from
 * {@link createServer} over the one engine of this process; the engine outlives a discarded
 * probe instance and is closed only at shutdown.
 *
 * stdout carries only protocol messages; diagnostics go to stderr. The server shuts down —
 * closing the engine, which stops hyperd and deletes the scratch directory — when stdin ends
 * (the transport closes), on SIGINT or SIGTERM. Shutdown runs once; a second signal while it
 * runs exits at once.
 *
 * @module
 */
import type { Readable, Writable } from "node:stream";
import { StdioServerTransport, serveStdio } from "@modelcontextprotocol/server/stdio";
import type { ServerConfig } from "../config/server-config.ts";
import { createEngine } from "../engine/create-engine.ts";
import type { SessionEngine } from "../engine/session-engine.ts";
import { createServer, logToStderr } from "./create-server.ts";

/** How long shutdown may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * Largest message the server reads from the client. The SDK's default (10 MiB) closes the
 * connection on a bigger one, which would end the server over one large inline `load_data`;
 * the upstream accepts inline data beyond 50 MB.
 */
export const MAX_CLIENT_MESSAGE_BYTES = 256 * 1024 * 1024;

/** Where the stdio server reads and writes; default the process's stdin and stdout. */
export interface StdioStreams {
  readonly input: Readable;
  readonly output: Writable;
}

/** Starts the stdio server; resolves once it is connected (the process then lives on). */
export async function runStdioServer(
  config: ServerConfig,
  streams: StdioStreams = { input: process.stdin, output: process.stdout },
  engine: SessionEngine = createEngine(config, logToStderr),
): Promise<void> {
  const transport = new StdioServerTransport(streams.input, streams.output, {
    maxBufferSize: MAX_CLIENT_MESSAGE_BYTES,
  });

  let shuttingDown = false;
  const shutdown = (reason: string, exitCode: number): void => {
    if (shuttingDown) {
      if (reason === "SIGINT" || reason === "SIGTERM") {
        process.exit(exitCode);
      }
      return;
    }
    shuttingDown = true;
    logToStderr(`shutting down (${reason})`);
    const timer = setTimeout(() => {
      logToStderr("shutdown timed out; exiting");
      process.exit(exitCode);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    void (async () => {
      await connection.close().catch(() => undefined);
      await engine
        .close()
        .catch((error: unknown) => logToStderr(`closing the engine failed: ${String(error)}`));
      process.exit(exitCode);
    })();
  };

  const connection = serveStdio(() => createServer({ engine, config, log: logToStderr }), {
    transport,
    onerror: (error) => logToStderr(`MCP transport: ${error.message}`),
  });
  // serveStdio installs its own close handler on the transport; chain ours after it so that the
  // end of stdin still shuts the process down (with the engine and its hyperd).
  const closeConnection = transport.onclose;
  transport.onclose = () => {
    closeConnection?.();
    shutdown("stdin closed", 0);
  };
  process.on("SIGINT", () => shutdown("SIGINT", 130));
  process.on("SIGTERM", () => shutdown("SIGTERM", 143));
  logToStderr("serving MCP over stdio");
}
