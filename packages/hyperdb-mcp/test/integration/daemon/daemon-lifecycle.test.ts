import { existsSync, lstatSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { daemonFilePath } from "../../../src/daemon/discovery-file.ts";
import { daemonStatus, daemonStop } from "../../../src/daemon/ensure-daemon.ts";
import { openHealthSession, sendCommand } from "../../../src/daemon/health-client.ts";
import {
  daemonFile,
  daemonLog,
  isAlive,
  sandboxProcesses,
  selectOne,
  startDaemonProcess,
  useSandbox,
  waitFor,
  waitForReady,
} from "./daemon-fixtures.ts";

const seen = new Set<number>();
const sandbox = useSandbox(seen);

describe("daemon process", () => {
  it("starts hyperd, publishes daemon.json, answers STATUS and stops promptly on STOP", async () => {
    const daemon = startDaemonProcess(sandbox(), sandbox().basePort);
    seen.add(daemon.child.pid ?? 0);
    const info = await waitForReady(sandbox(), sandbox().basePort);
    expect(info.pid).toBe(daemon.child.pid);
    expect(info.health_port).toBe(sandbox().basePort);
    expect(info.identity).toEqual({ token: "hyperdb-ts-mcp", state_dir: sandbox().stateDir });
    expect(info.hyperd_endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await daemonFile(sandbox())).toEqual(info);
    expect(await selectOne(info.hyperd_endpoint)).toBe(1);
    const hyperds = sandboxProcesses(sandbox()).filter((process) => process.kind === "hyperd");
    expect(hyperds).toHaveLength(1);
    for (const hyperd of hyperds) seen.add(hyperd.pid);

    // A second daemon on the same port loses the lock before starting anything.
    const second = startDaemonProcess(sandbox(), sandbox().basePort);
    seen.add(second.child.pid ?? 0);
    expect(await second.exit).toBe(1);
    expect(second.stderr()).toContain(
      `Another hyperdb-mcp daemon is already running on port ${sandbox().basePort}`,
    );
    expect(await daemonFile(sandbox())).toEqual(info);
    expect(sandboxProcesses(sandbox()).filter((process) => process.kind === "hyperd")).toHaveLength(1);
    // ...and leaves the winner's hyperd socket (the watchdog's way in) where it is.
    const watchdogSocket = /watchdog probes hyperd at (\/\S+\/hyper)$/m.exec(daemonLog(sandbox()))?.[1];
    expect(watchdogSocket !== undefined && lstatSync(watchdogSocket).isSocket()).toBe(true);

    const status = await daemonStatus(sandbox().stateDir, { env: sandbox().env });
    expect(status.exitCode).toBe(0);
    expect(status.lines).toEqual([
      `PID:             ${info.pid}`,
      `Hyperd endpoint: ${info.hyperd_endpoint}`,
      `Health port:     ${info.health_port}`,
      `Started:         ${info.started_at}`,
      `Version:         ${info.version}`,
    ]);

    const started = Date.now();
    const stopped = await daemonStop(sandbox().stateDir, undefined, { env: sandbox().env });
    expect(stopped.lines[0]).toBe("Daemon responded: STOPPING");
    expect(stopped.exitCode).toBe(0);
    expect(await daemon.exit).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000); // no monitor-tick delay of up to 5 s on top
    expect(existsSync(daemonFilePath(sandbox().stateDir))).toBe(false);
    expect(sandboxProcesses(sandbox())).toEqual([]);
    expect(daemonLog(sandbox())).toContain("shutting down: STOP command");
    // The watchdog's socket folder goes with the daemon.
    const socketPath = /watchdog probes hyperd at (\/\S+\/hyper)$/m.exec(daemonLog(sandbox()))?.[1];
    expect(socketPath).toBeDefined();
    expect(existsSync(dirname(socketPath ?? ""))).toBe(false);

    expect(await daemonStatus(sandbox().stateDir, { env: sandbox().env })).toMatchObject({
      exitCode: 1,
      lines: ["No daemon is currently running."],
    });
    expect((await daemonStop(sandbox().stateDir, undefined, { env: sandbox().env })).exitCode).toBe(1);
  });

  it.each(["SIGTERM", "SIGINT"] as const)("shuts down gracefully on %s", async (signal) => {
    const daemon = startDaemonProcess(sandbox(), sandbox().basePort);
    seen.add(daemon.child.pid ?? 0);
    await waitForReady(sandbox(), sandbox().basePort);
    for (const process of sandboxProcesses(sandbox())) seen.add(process.pid);
    daemon.child.kill(signal);
    expect(await daemon.exit).toBe(0);
    expect(await daemonFile(sandbox())).toBeNull();
    await waitFor("hyperd to exit", 10_000, () => ([...seen].some(isAlive) ? undefined : true));
  });

  it("exits after the idle timeout", async () => {
    const daemon = startDaemonProcess(sandbox(), sandbox().basePort, ["--idle-timeout", "2"]);
    seen.add(daemon.child.pid ?? 0);
    await waitForReady(sandbox(), sandbox().basePort);
    const exitCode = await Promise.race([
      daemon.exit,
      new Promise<string>((resolve) => setTimeout(() => resolve("still running"), 20_000)),
    ]);
    expect(exitCode).toBe(0);
    expect(await daemonFile(sandbox())).toBeNull();
    expect(daemonLog(sandbox())).toContain("shutting down: idle for 2 s");
  });

  it("takes the idle timeout from HYPERDB_DAEMON_IDLE_TIMEOUT and stays up while it gets heartbeats", async () => {
    const daemon = startDaemonProcess(sandbox(), sandbox().basePort, [], {
      ...sandbox().env,
      HYPERDB_DAEMON_IDLE_TIMEOUT: "3",
    });
    seen.add(daemon.child.pid ?? 0);
    await waitForReady(sandbox(), sandbox().basePort);
    let exited = false;
    void daemon.exit.then(() => {
      exited = true;
    });
    using session = await openHealthSession(sandbox().basePort);
    for (let second = 0; second < 8; second++) {
      expect(await session.send("HEARTBEAT")).toBe("OK");
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(exited).toBe(false);
    expect(await sendCommand(sandbox().basePort, "PING")).toMatch(/^PONG hyperdb-ts-mcp /);
    session.close();
    expect(await daemon.exit).toBe(0);
    expect(daemonLog(sandbox())).toContain("idle timeout 3 s");
    expect(daemonLog(sandbox())).toContain("shutting down: idle for 3 s");
  });

  it("refuses a malformed idle timeout without starting anything", async () => {
    const daemon = startDaemonProcess(sandbox(), sandbox().basePort, ["--idle-timeout", "soon"]);
    seen.add(daemon.child.pid ?? 0);
    expect(await daemon.exit).toBe(2);
    expect(daemon.stderr()).toContain("--idle-timeout");
    expect(existsSync(sandbox().stateDir)).toBe(false);
  });
});
