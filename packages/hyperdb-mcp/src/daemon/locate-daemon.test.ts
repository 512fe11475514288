import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DaemonInfo } from "./daemon-info.ts";
import { writeDaemonFile } from "./discovery-file.ts";
import { locateDaemon } from "./locate-daemon.ts";

let root: string;
let stateDir: string;
let listener: Server;
let port: number;
let connections: number;

/** A loopback listener that counts connections and answers nothing (a probe would time out). */
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "hyperdb-ts-locate-"));
  stateDir = join(root, "state");
  connections = 0;
  listener = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  port = (listener.address() as { port: number }).port;
});

afterEach(async () => {
  await new Promise((resolve) => listener.close(resolve));
  await rm(root, { recursive: true, force: true });
});

function exitedPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid as number;
}

function claim(pid: number): DaemonInfo {
  return {
    pid,
    hyperd_endpoint: "127.0.0.1:40000",
    health_port: port,
    started_at: "2026-01-02T03:04:05.678Z",
    version: "0.1.0",
    identity: { token: "hyperdb-ts-mcp", state_dir: stateDir },
  };
}

describe("locateDaemon with the caller's own spawn", () => {
  it("reports the running spawn as starting, without probing, while there is no daemon.json", async () => {
    const found = await locateDaemon({ base: port, span: 1 }, { stateDir }, { pid: process.pid, port });
    expect(found).toEqual({ kind: "starting", port });
    expect(connections).toBe(0);
  });

  it("takes the spawn's own daemon.json as ready without probing", async () => {
    await writeDaemonFile(stateDir, claim(process.pid));
    const found = await locateDaemon({ base: port, span: 1 }, { stateDir }, { pid: process.pid, port });
    expect(found).toMatchObject({ kind: "ready", port, info: claim(process.pid) });
    expect(connections).toBe(0);
  });

  it("probes the ports once the spawn has exited", async () => {
    const found = await locateDaemon(
      { base: port, span: 1 },
      { stateDir, timeoutMs: 200 },
      { pid: exitedPid(), port },
    );
    expect(found).toEqual({ kind: "all-occupied", definite: false });
    expect(connections).toBeGreaterThan(0);
  });
});
