/**
 * Test helpers: real loopback TCP listeners standing in for daemons and for foreign programs.
 */

import { createServer, type Server, type Socket } from "node:net";
import type { DaemonInfo } from "../../../src/daemon/daemon-info.ts";
import { type HealthServer, startHealthServer } from "../../../src/daemon/health-server.ts";
import { freePortRange } from "../setup/processes.ts";

/** A listener that can be closed. */
export interface Closable {
  readonly port: number;
  close(): Promise<void>;
}

/** A valid DaemonInfo for a daemon on `port`. */
export function sampleInfo(port: number): DaemonInfo {
  return {
    pid: process.pid,
    hyperd_endpoint: "127.0.0.1:40000",
    health_port: port,
    started_at: "2026-01-02T03:04:05.678Z",
    version: "0.1.0",
    identity: { token: "hyperdb-ts-mcp", state_dir: "/tmp/hyperdb-ts-test" },
  };
}

/** Calls recorded by {@link startTestDaemon}. */
export interface HandlerCalls {
  heartbeat: number;
  stop: number;
  reportHyperdError: number;
}

/** Our health server with counting handlers. */
export async function startTestDaemon(port = 0): Promise<{ server: HealthServer; calls: HandlerCalls }> {
  const calls: HandlerCalls = { heartbeat: 0, stop: 0, reportHyperdError: 0 };
  let boundPort = port;
  const server = await startHealthServer({
    port,
    version: "0.1.0",
    handlers: {
      status: () => sampleInfo(boundPort),
      heartbeat: () => {
        calls.heartbeat++;
      },
      stop: () => {
        calls.stop++;
      },
      reportHyperdError: () => {
        calls.reportHyperdError++;
      },
    },
  });
  boundPort = server.port;
  return { server, calls };
}

/**
 * A plain TCP server that is not our daemon: `reply(line)` gives the line to answer each received
 * line with (`undefined` = stay silent, `null` = hang up).
 */
export async function startForeignServer(
  reply: (line: string) => string | null | undefined,
  port = 0,
): Promise<Closable> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.setEncoding("utf8");
    let buffered = "";
    socket.on("data", (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf("\n");
      while (newline !== -1) {
        const answer = reply(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        if (answer === null) {
          socket.destroy();
          return;
        }
        if (answer !== undefined) {
          socket.write(`${answer}\n`);
        }
        newline = buffered.indexOf("\n");
      }
    });
  });
  await listen(server, port);
  const address = server.address();
  const boundPort = typeof address === "object" && address !== null ? address.port : port;
  return {
    port: boundPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) {
          socket.destroy();
        }
      }),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** A loopback port nothing listens on (bound then released; racy only in theory). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await listen(server, 0);
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) {
    throw new Error("no address");
  }
  return address.port;
}

/**
 * Finds `span` consecutive loopback ports that are all currently unused (each briefly bound to
 * check), so that a scan range can be populated deliberately.
 */
export async function unusedRange(span: number): Promise<number> {
  return freePortRange(span);
}
