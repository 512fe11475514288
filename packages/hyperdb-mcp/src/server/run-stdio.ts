/**
 * Runs the MCP server over stdio until the client goes away.
 *
 * stdout carries only protocol messages; diagnostics go to stderr. The server shuts down —
 * closing the engine, which stops hyperd and deletes the scratch directory — when stdin ends
 * (the transport closes), on SIGINT or SIGTERM. Shutdown runs once; a second signal while it
 * runs exits at once.
 *
 * @module
 */
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import type { ServerConfig } from "../config/server-config.ts";
import { createEngine } from "../engine/create-engine.ts";
import { createServer, logToStderr } from "./create-server.ts";

/** How long shutdown may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Starts the stdio server; resolves once it is connected (the process then lives on). */
export async function runStdioServer(config: ServerConfig): Promise<void> {
  const engine = createEngine(config, logToStderr);
  const server = createServer({ engine, config, log: logToStderr });
  const transport = new StdioServerTransport();

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
      await server.close().catch(() => undefined);
      await engine
        .close()
        .catch((error: unknown) => logToStderr(`closing the engine failed: ${String(error)}`));
      process.exit(exitCode);
    })();
  };

  transport.onclose = () => shutdown("stdin closed", 0);
  process.on("SIGINT", () => shutdown("SIGINT", 130));
  process.on("SIGTERM", () => shutdown("SIGTERM", 143));

  await server.connect(transport);
  logToStderr("serving MCP over stdio");
}
