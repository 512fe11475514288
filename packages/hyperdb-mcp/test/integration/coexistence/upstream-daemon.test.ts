/**
 * Living next to the upstream Rust server: its daemon answers `PONG hyperdb-mcp <version>` on
 * its health port and keeps `~/.hyperdb/daemon.json`. Ours must neither adopt it, nor stop it,
 * nor touch its files, even when it sits on the first port of our range. The stand-in below
 * speaks the upstream's health protocol on that port and records every command it receives.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import {
  isAlive,
  isolatedHome,
  type ServerUnderTest,
  serverEntry,
  startServer,
} from "../server/mcp-client.ts";
import { daemonsOf, freePortRange, hyperdsUnder } from "../setup/processes.ts";

const run = promisify(execFile);
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

/** A stand-in for the upstream daemon's health port. */
async function upstreamDaemon(
  port: number,
  hyperdPort: number,
): Promise<{ server: Server; commands: string[] }> {
  const commands: string[] = [];
  const status = {
    pid: 424242,
    hyperd_endpoint: `127.0.0.1:${hyperdPort}`,
    health_port: port,
    started_at: "2026-11-24T10:00:00Z",
    version: "0.7.3",
    identity: {
      mcp_version: "0.7.3.r28c8813a",
      executable_path: { display: "/opt/hyperdb-mcp", encoding: "utf8" },
    },
  };
  const server = createServer((socket) => {
    let buffered = "";
    socket.on("data", (chunk) => {
      buffered += chunk.toString("utf8");
      for (let at = buffered.indexOf("\n"); at >= 0; at = buffered.indexOf("\n")) {
        const command = buffered.slice(0, at).trim();
        buffered = buffered.slice(at + 1);
        commands.push(command);
        const reply =
          command === "PING"
            ? "PONG hyperdb-mcp 0.7.3"
            : command === "STATUS"
              ? JSON.stringify(status)
              : command === "STOP"
                ? "STOPPING"
                : command === "HEARTBEAT" || command === "REPORT_HYPERD_ERROR"
                  ? "OK"
                  : "ERR unknown command";
        socket.write(`${reply}\n`);
      }
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, commands };
}

describe("next to the upstream daemon", () => {
  it("never adopts, stops or deletes the files of the upstream daemon on our base port", async () => {
    const home = isolatedHome();
    const base = await freePortRange(16);
    const upstream = await upstreamDaemon(base, 1);
    cleanups.push(() => new Promise((resolve) => upstream.server.close(() => resolve())));
    const upstreamState = join(home, ".hyperdb");
    mkdirSync(upstreamState, { recursive: true });
    const upstreamFile = join(upstreamState, "daemon.json");
    const upstreamText = `${JSON.stringify({ pid: 424242, hyperd_endpoint: "127.0.0.1:1", health_port: base, started_at: "2026-11-24T10:00:00Z", version: "0.7.3" })}\n`;
    writeFileSync(upstreamFile, upstreamText);

    const stateDir = join(home, ".hyperdb-ts");
    const env = { HOME: home, HYPERDB_STATE_DIR: stateDir, HYPERDB_DAEMON_BASE_PORT: String(base) };
    const server: ServerUnderTest = await startServer({ daemon: true, env, args: ["--ephemeral-only"] });
    cleanups.push(async () => {
      await server.client.close().catch(() => undefined);
      await run(process.execPath, [serverEntry(), "daemon", "stop"], {
        env: { ...process.env, ...env },
      }).catch(() => undefined);
      for (const pid of [...daemonsOf(stateDir), ...hyperdsUnder(stateDir)]) {
        if (isAlive(pid)) process.kill(pid, "SIGKILL");
      }
    });

    const answer = (await server.client.callTool({
      name: "query",
      arguments: { sql: "SELECT 1 AS one" },
    })) as CallToolResult;
    expect(answer.isError ?? false).toBe(false);
    const status = (await server.client.callTool({ name: "status", arguments: {} })) as CallToolResult;
    const engine = (status.structuredContent as { engine: { mode: string; daemon_health_port: number } })
      .engine;
    // Our own daemon, on a port above the upstream's, in our own state folder.
    expect(engine.mode).toBe("daemon");
    expect(engine.daemon_health_port).toBeGreaterThan(base);
    expect(daemonsOf(stateDir)).toHaveLength(1);
    const ours = JSON.parse(readFileSync(join(stateDir, "daemon.json"), "utf8")) as { health_port: number };
    expect(ours.health_port).toBe(engine.daemon_health_port);
    // The upstream was asked who it is, nothing else; its file is untouched.
    expect(upstream.commands.length).toBeGreaterThan(0);
    expect(upstream.commands.every((command) => command === "PING")).toBe(true);
    expect(readFileSync(upstreamFile, "utf8")).toBe(upstreamText);

    // `daemon stop` stops ours and leaves the upstream alone.
    const stopped = await run(process.execPath, [serverEntry(), "daemon", "stop"], {
      env: { ...process.env, ...env },
    });
    expect(stopped.stdout).toContain("STOPPING");
    expect(upstream.commands).not.toContain("STOP");
    expect(readFileSync(upstreamFile, "utf8")).toBe(upstreamText);
  });
});
