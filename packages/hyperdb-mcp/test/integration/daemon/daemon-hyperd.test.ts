import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DaemonHyperd } from "../../../src/engine/daemon-hyperd.ts";
import { PrivateHyperd } from "../../../src/engine/private-hyperd.ts";
import {
  daemonEntry,
  daemonFile,
  isAlive,
  PORT_SPAN,
  sandboxProcesses,
  selectOne,
  useSandbox,
  waitFor,
} from "./daemon-fixtures.ts";
import { startForeignServer } from "./tcp-fixtures.ts";

const seen = new Set<number>();
const sources: DaemonHyperd[] = [];
const sandbox = useSandbox(seen, async () => {
  await Promise.all(sources.splice(0).map((source) => source.close()));
});

function source(entryPath = daemonEntry(), lines: string[] = []): DaemonHyperd {
  const created = new DaemonHyperd({
    stateDir: sandbox().stateDir,
    entryPath,
    env: sandbox().env,
    range: { base: sandbox().basePort, span: PORT_SPAN },
    readyTimeoutMs: 3000,
    log: (line) => lines.push(line),
    fallback: () =>
      new PrivateHyperd({
        hyperdPath: sandbox().env.HYPERD_PATH,
        logDir: async () => {
          const dir = join(sandbox().root, "private-logs");
          await mkdir(dir, { recursive: true });
          return dir;
        },
      }),
  });
  sources.push(created);
  return created;
}

describe("DaemonHyperd", () => {
  it("shares one daemon start, follows a restarted hyperd after a report and leaves the daemon resident", async () => {
    const hyperd = source();
    expect(hyperd.current()).toBeNull();
    const [first, second] = await Promise.all([hyperd.target(), hyperd.target()]);
    expect(second).toEqual(first);
    expect(hyperd.mode).toBe("daemon");
    expect(hyperd.isRunning()).toBe(true);
    expect(hyperd.healthPort()).toBe(sandbox().basePort);
    expect(first.logDir).toBe(join(sandbox().stateDir, "logs"));
    expect(await selectOne(first.endpoint)).toBe(1);
    const processes = sandboxProcesses(sandbox());
    for (const process of processes) seen.add(process.pid);
    expect(processes.filter((process) => process.kind === "daemon")).toHaveLength(1);
    const oldHyperd = processes.find((process) => process.kind === "hyperd")?.pid ?? 0;

    process.kill(oldHyperd, "SIGKILL");
    await waitFor("hyperd to die", 10_000, () => (isAlive(oldHyperd) ? undefined : true));
    hyperd.reportUnhealthy("test: connection refused");
    expect(hyperd.isRunning()).toBe(false);
    const next = await hyperd.target();
    expect(next.endpoint).not.toBe(first.endpoint);
    expect(await selectOne(next.endpoint)).toBe(1);
    expect(hyperd.isRunning()).toBe(true);
    expect(isAlive(oldHyperd)).toBe(false);

    await hyperd.close();
    const daemon = await daemonFile(sandbox());
    expect(daemon?.hyperd_endpoint).toBe(next.endpoint);
    expect(isAlive(daemon?.pid ?? 0)).toBe(true); // resident: closing a session stops nothing
  });

  it("reports a hung hyperd to the port the daemon was found on and picks up its replacement", async () => {
    // Something else holds the base port, so the daemon lands above it.
    const foreign = await startForeignServer(() => "HELLO", sandbox().basePort);
    try {
      const hyperd = source();
      const first = await hyperd.target();
      expect(hyperd.healthPort()).toBe(sandbox().basePort + 1);
      const processes = sandboxProcesses(sandbox());
      for (const process of processes) seen.add(process.pid);
      const hung = processes.find((process) => process.kind === "hyperd")?.pid ?? 0;
      process.kill(hung, "SIGSTOP");
      try {
        hyperd.reportUnhealthy("test: probe query timed out");
        const next = await hyperd.target();
        expect(next.endpoint).not.toBe(first.endpoint);
        expect(await selectOne(next.endpoint)).toBe(1);
        const log = readFileSync(join(sandbox().stateDir, "logs", "hyperdb-mcp-daemon.log"), "utf8");
        expect(log).toContain("checking hyperd now: a client reported a hyperd error");
        expect(log).toContain("although hyperd is running (hung)");
      } finally {
        try {
          process.kill(hung, "SIGCONT");
        } catch {
          // already gone
        }
      }
    } finally {
      await foreign.close();
    }
  });

  it("falls back to a private hyperd when no daemon can be started", async () => {
    const broken = join(sandbox().root, "broken-entry.js");
    await writeFile(broken, "process.exit(1);\n");
    const lines: string[] = [];
    const hyperd = source(broken, lines);
    const target = await hyperd.target();
    expect(hyperd.mode).toBe("local");
    expect(hyperd.healthPort()).toBeNull();
    expect(target.pid).not.toBeNull();
    seen.add(target.pid ?? 0);
    expect(await selectOne(target.endpoint)).toBe(1);
    expect(lines.join("\n")).toContain("the shared daemon is unavailable");
    await hyperd.close();
    expect(isAlive(target.pid ?? 0)).toBe(false);
  });
});
