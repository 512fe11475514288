import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { DaemonInfo } from "../../../src/daemon/daemon-info.ts";
import { DaemonUnavailableError } from "../../../src/daemon/daemon-unavailable-error.ts";
import { writeDaemonFile } from "../../../src/daemon/discovery-file.ts";
import { spawnDaemonEarly } from "../../../src/daemon/early-daemon.ts";
import { daemonStop, ensureDaemon } from "../../../src/daemon/ensure-daemon.ts";
import { DAEMON_IDENTITY_TOKEN } from "../../../src/daemon/health-protocol.ts";
import {
  daemonEntry,
  daemonFile,
  isAlive,
  PORT_SPAN,
  sandboxProcesses,
  startDaemonProcess,
  useSandbox,
  waitFor,
  waitForReady,
} from "./daemon-fixtures.ts";
import { type Closable, startForeignServer } from "./tcp-fixtures.ts";

const run = promisify(execFile);
const seen = new Set<number>();
const closables: Closable[] = [];
const sandbox = useSandbox(seen, async () => {
  await Promise.all(closables.splice(0).map((closable) => closable.close()));
});

function ensure(overrides: Partial<Parameters<typeof ensureDaemon>[0]> = {}): Promise<DaemonInfo> {
  return ensureDaemon({
    stateDir: sandbox().stateDir,
    entryPath: daemonEntry(),
    env: sandbox().env,
    range: { base: sandbox().basePort, span: PORT_SPAN },
    ...overrides,
  });
}

function counts(): { daemons: number; hyperds: number } {
  const found = sandboxProcesses(sandbox());
  for (const process of found) seen.add(process.pid);
  return {
    daemons: found.filter((process) => process.kind === "daemon").length,
    hyperds: found.filter((process) => process.kind === "hyperd").length,
  };
}

/**
 * A stand-in daemon: binds the health port, never answers on it, and publishes a daemon.json
 * naming itself (`FAKE_NAMES=self`) or the process that spawned it (`parent`).
 */
function silentDaemonScript(): string {
  return [
    'import { createServer } from "node:net";',
    'import { mkdirSync, renameSync, writeFileSync } from "node:fs";',
    'const port = Number(process.argv[process.argv.indexOf("--port") + 1]);',
    "const stateDir = process.env.HYPERDB_STATE_DIR;",
    'const pid = process.env.FAKE_NAMES === "parent" ? process.ppid : process.pid;',
    'createServer(() => {}).listen(port, "127.0.0.1", () => {',
    "  mkdirSync(stateDir, { recursive: true, mode: 0o700 });",
    `  const info = { pid, hyperd_endpoint: "127.0.0.1:1", health_port: port, started_at: new Date().toISOString(), version: "0.0.0", identity: { token: ${JSON.stringify(DAEMON_IDENTITY_TOKEN)}, state_dir: stateDir } };`,
    '  writeFileSync(stateDir + "/daemon.json.tmp", JSON.stringify(info));',
    '  renameSync(stateDir + "/daemon.json.tmp", stateDir + "/daemon.json");',
    "});",
    "setTimeout(() => process.exit(0), 30_000);",
  ].join("\n");
}

describe("ensureDaemon", () => {
  it("spawns a detached daemon on the base port once and reuses it", async () => {
    const first = await ensure();
    seen.add(first.pid);
    expect(first.health_port).toBe(sandbox().basePort);
    expect(first.identity.state_dir).toBe(sandbox().stateDir);
    expect(await daemonFile(sandbox())).toEqual(first);
    expect(await ensure()).toEqual(first);
    expect(counts()).toEqual({ daemons: 1, hyperds: 1 });

    const stopped = await daemonStop(sandbox().stateDir, sandbox().basePort);
    expect(stopped).toMatchObject({ exitCode: 0, lines: ["Daemon responded: STOPPING"] });
    expect(isAlive(first.pid)).toBe(false);
    expect(sandboxProcesses(sandbox())).toEqual([]);
  });

  it("adopts the daemon spawned early by the launcher instead of spawning a second one", async () => {
    const early = await spawnDaemonEarly({
      entryPath: daemonEntry(),
      stateDir: sandbox().stateDir,
      env: sandbox().env,
    });
    expect(early?.port).toBe(sandbox().basePort);
    const logged: string[] = [];
    const info = await ensure({ log: (line) => logged.push(line) });
    seen.add(info.pid);
    expect(info.pid).toBe(early?.pid);
    expect(logged.filter((line) => line.startsWith("spawned daemon"))).toEqual([]);
    expect(info.health_port).toBe(sandbox().basePort);
    expect(counts()).toEqual({ daemons: 1, hyperds: 1 });
  });

  it("uses the daemon.json its own spawn published without asking the health port", async () => {
    const fake = join(sandbox().root, "silent-daemon.mjs");
    await writeFile(fake, silentDaemonScript());
    const env = { ...sandbox().env, FAKE_NAMES: "self" };
    const early = await spawnDaemonEarly({ entryPath: fake, stateDir: sandbox().stateDir, env });
    const own = early?.pid as number;
    seen.add(own);
    const info = await ensure({ entryPath: fake, env, readyTimeoutMs: 5000 });
    expect(info.pid).toBe(own);
    expect(info.health_port).toBe(sandbox().basePort);
  });

  it("checks on the health port a daemon.json that names another process than its spawn", async () => {
    // The same stand-in, publishing a file that names the process that spawned it.
    const fake = join(sandbox().root, "silent-daemon.mjs");
    await writeFile(fake, silentDaemonScript());
    await expect(
      ensure({ entryPath: fake, env: { ...sandbox().env, FAKE_NAMES: "parent" }, readyTimeoutMs: 1500 }),
    ).rejects.toThrow(DaemonUnavailableError);
  });

  it("spawns nothing early when the first port is taken, and ensureDaemon then uses the next one", async () => {
    const foreign = await startForeignServer(() => "ERR unknown command", sandbox().basePort);
    closables.push(foreign);
    const early = await spawnDaemonEarly({
      entryPath: daemonEntry(),
      stateDir: sandbox().stateDir,
      env: sandbox().env,
    });
    expect(early).toBeUndefined();
    const info = await ensure();
    seen.add(info.pid);
    expect(info.health_port).toBe(sandbox().basePort + 1);
    expect(counts()).toEqual({ daemons: 1, hyperds: 1 });
  });

  it("never adopts a foreign listener and deletes a daemon.json that points at one", async () => {
    const received: string[] = [];
    const foreign = await startForeignServer((line) => {
      received.push(line);
      return line === "PING" ? "PONG hyperdb-mcp 0.7.3" : "ERR unknown command";
    }, sandbox().basePort);
    closables.push(foreign);
    await writeDaemonFile(sandbox().stateDir, {
      pid: 999_999,
      hyperd_endpoint: "127.0.0.1:1",
      health_port: sandbox().basePort,
      started_at: "2026-01-01T00:00:00Z",
      version: "0.0.0",
      identity: { token: "hyperdb-ts-mcp", state_dir: sandbox().stateDir },
    });

    const info = await ensure();
    seen.add(info.pid);
    expect(info.health_port).toBe(sandbox().basePort + 1);
    expect((await daemonFile(sandbox()))?.pid).toBe(info.pid);
    expect(received).not.toContain("STOP");
    expect(received).not.toContain("HEARTBEAT");

    expect((await daemonStop(sandbox().stateDir, undefined, { env: sandbox().env })).exitCode).toBe(0);
    // With only the foreign port to choose from there is no daemon to be had, and no long wait.
    const started = Date.now();
    await expect(ensure({ range: { base: sandbox().basePort, span: 1 } })).rejects.toThrow(
      DaemonUnavailableError,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(received).not.toContain("STOP");
  });

  it("looks again at a port that only did not answer in time, and takes it once it is free", async () => {
    // A listener that accepts and never answers: not known to be foreign, only slow.
    const silent = await startForeignServer(() => undefined, sandbox().basePort);
    setTimeout(() => void silent.close(), 800);
    const info = await ensure({ range: { base: sandbox().basePort, span: 1 }, readyTimeoutMs: 8000 });
    seen.add(info.pid);
    expect(info.health_port).toBe(sandbox().basePort);
    expect((await daemonStop(sandbox().stateDir, undefined, { env: sandbox().env })).exitCode).toBe(0);
  });

  it("does not adopt a daemon of another state directory on the same ports", async () => {
    const otherState = join(sandbox().root, "other-state");
    const other = startDaemonProcess(sandbox(), sandbox().basePort, [], {
      ...sandbox().env,
      HYPERDB_STATE_DIR: otherState,
    });
    seen.add(other.child.pid ?? 0);
    await waitFor("the other daemon", 30_000, async () =>
      (await daemonFile({ ...sandbox(), stateDir: otherState })) === null ? undefined : true,
    );
    const info = await ensure();
    seen.add(info.pid);
    expect(info.health_port).toBe(sandbox().basePort + 1);
    expect(isAlive(other.child.pid ?? 0)).toBe(true);
    other.child.kill("SIGTERM");
    expect(await other.exit).toBe(0);
  });

  it("removes a stale daemon.json and starts a daemon", async () => {
    await writeDaemonFile(sandbox().stateDir, {
      pid: 999_999,
      hyperd_endpoint: "127.0.0.1:1",
      health_port: sandbox().basePort + 2,
      started_at: "2026-01-01T00:00:00Z",
      version: "0.0.0",
      identity: { token: "hyperdb-ts-mcp", state_dir: sandbox().stateDir },
    });
    const info = await ensure();
    seen.add(info.pid);
    expect(info.health_port).toBe(sandbox().basePort);
    expect((await daemonFile(sandbox()))?.pid).toBe(info.pid);
  });

  it("stops a duplicate daemon above the base port and adopts the lower one", async () => {
    const low = startDaemonProcess(sandbox(), sandbox().basePort);
    seen.add(low.child.pid ?? 0);
    const lowInfo = await waitForReady(sandbox(), sandbox().basePort);
    const high = startDaemonProcess(sandbox(), sandbox().basePort + 2);
    seen.add(high.child.pid ?? 0);
    await waitForReady(sandbox(), sandbox().basePort + 2);
    expect((await daemonFile(sandbox()))?.health_port).toBe(sandbox().basePort + 2); // the later one published last
    expect(counts()).toEqual({ daemons: 2, hyperds: 2 });

    expect(await ensure()).toEqual(lowInfo);
    expect(await high.exit).toBe(0);
    await waitFor("one daemon and one hyperd", 10_000, () => {
      const now = counts();
      return now.daemons === 1 && now.hyperds === 1 ? true : undefined;
    });
  });

  it("replaces an older daemon when the client is strictly newer, and reuses it otherwise", async () => {
    const old = startDaemonProcess(sandbox(), sandbox().basePort);
    seen.add(old.child.pid ?? 0);
    const oldInfo = await waitForReady(sandbox(), sandbox().basePort);
    expect(await ensure({ version: oldInfo.version })).toEqual(oldInfo);
    expect(await ensure({ version: "0.0.0-alpha" })).toEqual(oldInfo);

    const newer = await ensure({ version: "99.0.0" });
    seen.add(newer.pid);
    expect(await old.exit).toBe(0);
    expect(newer.pid).not.toBe(oldInfo.pid);
    expect(newer.health_port).toBe(sandbox().basePort);
    expect(await daemonFile(sandbox())).toEqual(newer);
    expect(counts()).toEqual({ daemons: 1, hyperds: 1 });
  });

  it("fails with DaemonUnavailableError, within its bound, when daemons cannot start", async () => {
    const broken = join(sandbox().root, "broken-entry.js");
    await writeFile(broken, "process.exit(1);\n");
    const started = Date.now();
    await expect(ensure({ entryPath: broken, readyTimeoutMs: 3000 })).rejects.toThrow(DaemonUnavailableError);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await daemonFile(sandbox())).toBeNull();
  });

  it("ends with exactly one daemon and one hyperd when 8 clients start at the same instant", async () => {
    const client = fileURLToPath(new URL("./ensure-client.ts", import.meta.url));
    const env = { ...sandbox().env };
    delete env.HYPERDB_DAEMON_PORT;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        run(
          process.execPath,
          [client, sandbox().stateDir, String(sandbox().basePort), String(PORT_SPAN), daemonEntry()],
          { env, timeout: 45_000 },
        ),
      ),
    );
    const infos = results.map((result) => JSON.parse(result.stdout.trim()) as DaemonInfo);
    for (const info of infos) seen.add(info.pid);
    const endpoints = new Set(infos.map((info) => info.hyperd_endpoint));
    const pids = new Set(infos.map((info) => info.pid));
    expect(endpoints.size).toBe(1);
    expect(pids.size).toBe(1);
    expect(infos[0]?.health_port).toBe(sandbox().basePort);
    // Losers of the bind race have exited by now or do so promptly.
    await waitFor("the losing daemons to exit", 10_000, () => {
      const now = counts();
      return now.daemons === 1 ? now : undefined;
    });
    expect(counts()).toEqual({ daemons: 1, hyperds: 1 });
    expect(await daemonFile(sandbox())).toEqual(infos[0]);
  });
});
