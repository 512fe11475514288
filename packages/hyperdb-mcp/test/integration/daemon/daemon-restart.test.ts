import { lstatSync, readFileSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DaemonInfo } from "../../../src/daemon/daemon-info.ts";
import { sendCommand } from "../../../src/daemon/health-client.ts";
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

function onlyHyperd(): number {
  const hyperds = sandboxProcesses(sandbox()).filter((process) => process.kind === "hyperd");
  expect(hyperds).toHaveLength(1);
  const pid = hyperds[0]?.pid ?? 0;
  seen.add(pid);
  return pid;
}

interface HyperdLogEntry {
  readonly sess: string;
  readonly k: string;
  readonly v: Record<string, unknown>;
}

/**
 * How hyperd accepted the daemon watchdog's connection, from hyperd's own log: the
 * `domain-socket-client-accept` or `tcp-ip-client-allowed` entry of the session whose
 * application name is the watchdog's; `undefined` while there is none yet.
 */
function watchdogAccept(): HyperdLogEntry | undefined {
  const entries: HyperdLogEntry[] = [];
  for (const line of readFileSync(join(sandbox().stateDir, "logs", "hyperd.log"), "utf8").split("\n")) {
    try {
      entries.push(JSON.parse(line) as HyperdLogEntry);
    } catch {
      // an empty or half-written line
    }
  }
  const session = entries.find(
    (entry) =>
      entry.k === "connection-startup-options" &&
      (entry.v.parameters as { application_name?: string } | undefined)?.application_name ===
        "hyperdb-ts-mcp-daemon-watchdog",
  )?.sess;
  return entries.find(
    (entry) =>
      entry.sess === session &&
      (entry.k === "domain-socket-client-accept" || entry.k === "tcp-ip-client-allowed"),
  );
}

/** Waits until STATUS and daemon.json both advertise an endpoint other than `old`. */
async function waitForNewEndpoint(old: DaemonInfo, timeoutMs: number): Promise<DaemonInfo> {
  return await waitFor("a restarted hyperd", timeoutMs, async () => {
    const status = await sendCommand(sandbox().basePort, "STATUS").catch(() => "");
    const file = await daemonFile(sandbox());
    if (status === "" || file === null || file.hyperd_endpoint === old.hyperd_endpoint) {
      return undefined;
    }
    const info = JSON.parse(status) as DaemonInfo;
    return info.hyperd_endpoint === file.hyperd_endpoint ? info : undefined;
  });
}

describe("daemon hyperd monitor", () => {
  it("restarts a killed hyperd and republishes the new endpoint", async () => {
    const daemon = startDaemonProcess(sandbox(), sandbox().basePort);
    seen.add(daemon.child.pid ?? 0);
    const before = await waitForReady(sandbox(), sandbox().basePort);
    const oldHyperd = onlyHyperd();
    process.kill(oldHyperd, "SIGKILL");
    const after = await waitForNewEndpoint(before, 30_000);
    expect(after.pid).toBe(before.pid);
    expect(after.started_at).toBe(before.started_at);
    expect(isAlive(oldHyperd)).toBe(false);
    expect(onlyHyperd()).not.toBe(oldHyperd);
    expect(Number(await selectOne(after.hyperd_endpoint))).toBe(1);
    expect(daemonLog(sandbox())).toMatch(
      /restarting hyperd \(attempt 1 of 3 in 60 s\): hyperd pid \d+ exited \(signal SIGKILL\)/,
    );
  });

  it("detects a hung (stopped) hyperd with the watchdog and replaces it", async () => {
    const daemon = startDaemonProcess(sandbox(), sandbox().basePort);
    seen.add(daemon.child.pid ?? 0);
    const before = await waitForReady(sandbox(), sandbox().basePort);
    const oldHyperd = onlyHyperd();
    process.kill(oldHyperd, "SIGSTOP");
    try {
      // Nobody reports anything: the daemon's own probe (every 10 s, 5 s deadline) must notice.
      const after = await waitForNewEndpoint(before, 45_000);
      expect(Number(await selectOne(after.hyperd_endpoint))).toBe(1);
      expect(daemonLog(sandbox())).toContain(
        "did not answer within 5000 ms although hyperd is running (hung)",
      );
      await waitFor("the hung hyperd to be killed", 10_000, () => (isAlive(oldHyperd) ? undefined : true));
    } finally {
      try {
        process.kill(oldHyperd, "SIGCONT");
      } catch {
        // already gone
      }
    }
  });

  it("answers REPORT_HYPERD_ERROR with a check, not a blind restart", async () => {
    const daemon = startDaemonProcess(sandbox(), sandbox().basePort);
    seen.add(daemon.child.pid ?? 0);
    const before = await waitForReady(sandbox(), sandbox().basePort);
    const hyperd = onlyHyperd();
    expect(await sendCommand(sandbox().basePort, "REPORT_HYPERD_ERROR")).toBe("OK");
    await waitFor("the check to finish", 10_000, () =>
      daemonLog(sandbox()).includes("answers SELECT 1; no restart") ? true : undefined,
    );
    expect(daemonLog(sandbox())).toContain("checking hyperd now: a client reported a hyperd error");
    expect(daemonLog(sandbox())).not.toContain("restarting hyperd");
    expect(onlyHyperd()).toBe(hyperd);
    expect(await daemonFile(sandbox())).toEqual(before);
    // The check went through hyperd's Unix socket, not the TCP port clients use (and that
    // daemon.json advertises): a network fault there must not get a healthy hyperd restarted.
    expect(before.hyperd_endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    const socketPath = /watchdog probes hyperd at (\/\S+\/hyper)$/m.exec(daemonLog(sandbox()))?.[1] ?? "";
    expect(lstatSync(socketPath).isSocket()).toBe(true);
    const accepted = await waitFor("hyperd to log the watchdog connection", 5000, watchdogAccept);
    expect(accepted.k).toBe("domain-socket-client-accept");
    expect(accepted.v["domain-socket-file"]).toBe(socketPath);
  });

  it("gives up after 3 restart attempts in 60 s: exits and removes daemon.json", async () => {
    // A hyperd that starts once and then refuses to start again.
    const fakeDir = join(sandbox().root, "fake-hyperd");
    await mkdir(fakeDir);
    const marker = join(sandbox().root, "started-once");
    const script = join(fakeDir, "hyperd");
    await writeFile(
      script,
      `#!/bin/sh\nif [ -e '${marker}' ]; then echo 'refusing to start' >&2; exit 3; fi\n: > '${marker}'\nexec '${sandbox().env.HYPERD_PATH}' "$@"\n`,
    );
    await chmod(script, 0o755);
    const daemon = startDaemonProcess(sandbox(), sandbox().basePort, [], {
      ...sandbox().env,
      HYPERD_PATH: script,
    });
    seen.add(daemon.child.pid ?? 0);
    await waitForReady(sandbox(), sandbox().basePort);
    process.kill(onlyHyperd(), "SIGKILL");
    expect(await daemon.exit).toBe(1);
    expect(await daemonFile(sandbox())).toBeNull();
    const log = daemonLog(sandbox());
    expect(log.match(/restarting hyperd \(attempt \d of 3/g)).toHaveLength(3);
    expect(log).toContain("restart budget spent (3 attempts in 60 s), giving up");
    expect(sandboxProcesses(sandbox())).toEqual([]);
  });
});
