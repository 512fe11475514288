/**
 * Test helpers for real daemons: an isolated sandbox (HOME, state directory, ports), starting the
 * built daemon entry, waiting for conditions with a bound, and finding every process a test
 * started through /proc so that none is left behind.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Connection, resolveHyperdPath } from "@hyperdb-ts/hyperdb-api";
import { afterEach, beforeEach, expect, inject } from "vitest";
import type { DaemonInfo } from "../../../src/daemon/daemon-info.ts";
import { readDaemonFile } from "../../../src/daemon/discovery-file.ts";
import { probeDaemon } from "../../../src/daemon/locate-daemon.ts";
import { findProcesses, isRunning } from "../setup/processes.ts";
import { unusedRange } from "./tcp-fixtures.ts";

/** The built daemon entry (next to the built hyperdb-mcp.js). */
export function daemonEntry(): string {
  return join(dirname(inject("serverEntry")), "daemon-entry.js");
}

/** An isolated environment for one test. */
export interface Sandbox {
  readonly root: string;
  readonly stateDir: string;
  /** First port of a free range of {@link PORT_SPAN} ports. */
  readonly basePort: number;
  /** Environment for processes of this test: own HOME, state dir, pinned port, real hyperd. */
  readonly env: NodeJS.ProcessEnv;
}

/** Ports reserved per sandbox. */
export const PORT_SPAN = 4;

/** Creates a sandbox; remove it with {@link cleanupSandbox}. */
export async function createSandbox(): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), "hyperdb-ts-daemon-"));
  const home = join(root, "home");
  const stateDir = join(root, "state");
  await mkdir(home, { recursive: true });
  const basePort = await unusedRange(PORT_SPAN);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    USERPROFILE: home,
    HYPERDB_STATE_DIR: stateDir,
    HYPERDB_DAEMON_PORT: String(basePort),
    HYPERD_PATH: resolveHyperdPath(),
  };
  delete env.HYPERDB_DAEMON_IDLE_TIMEOUT;
  return { root, stateDir, basePort, env };
}

/** A daemon started by a test. */
export interface TestDaemon {
  readonly child: ChildProcess;
  readonly port: number;
  /** Resolves with the exit code (or -1 for a signal). */
  readonly exit: Promise<number>;
  /** What it wrote to stderr so far. */
  stderr(): string;
}

/** Starts `daemon-entry.js daemon --port <port> ...args` as a child (not detached). */
export function startDaemonProcess(
  sandbox: Sandbox,
  port: number,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = sandbox.env,
): TestDaemon {
  const child = spawn(process.execPath, [daemonEntry(), "daemon", "--port", String(port), ...args], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<number>((resolve) => {
    child.once("exit", (code) => resolve(code ?? -1));
  });
  return { child, port, exit, stderr: () => stderr };
}

/** Polls `check` every 100 ms until it returns a value other than `undefined`, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until a ready daemon of the sandbox answers on `port` and returns its STATUS. */
export async function waitForReady(sandbox: Sandbox, port: number, timeoutMs = 30_000): Promise<DaemonInfo> {
  return await waitFor(`a ready daemon on port ${port}`, timeoutMs, async () => {
    const probe = await probeDaemon(port, { stateDir: sandbox.stateDir });
    return probe.kind === "ready" ? probe.info : undefined;
  });
}

/** Reads daemon.json of the sandbox. */
export function daemonFile(sandbox: Sandbox): Promise<DaemonInfo | null> {
  return readDaemonFile(sandbox.stateDir);
}

/** A process found in /proc. */
export interface FoundProcess {
  readonly pid: number;
  readonly kind: "daemon" | "hyperd" | "other";
  readonly cmdline: string;
}

/**
 * Every live process of this user whose environment names the sandbox's state directory (the
 * daemon and its hyperd inherit it; spawned clients too), classified by command line.
 */
export function sandboxProcesses(sandbox: Sandbox): FoundProcess[] {
  const marker = `HYPERDB_STATE_DIR=${sandbox.stateDir}`;
  return findProcesses(({ environ }) => environ.includes(marker)).map(({ pid, cmdline: args }) => {
    const cmdline = args.join(" ");
    const kind = cmdline.includes("daemon-entry")
      ? "daemon"
      : /hyperd\b.* run /.test(cmdline)
        ? "hyperd"
        : "other";
    return { pid, kind, cmdline };
  });
}

/** Whether a pid is alive (and not a zombie). */
export const isAlive = isRunning;

/**
 * Ends every process of the sandbox (SIGCONT, then SIGTERM, then SIGKILL after 10 s), removes
 * the sandbox and returns the pids that had to be killed forcibly or were still alive.
 * `seen` adds pids the test observed directly; all of them must be gone afterwards.
 */
export async function cleanupSandbox(sandbox: Sandbox, seen: Iterable<number> = []): Promise<number[]> {
  const pids = new Set<number>([...seen, ...sandboxProcesses(sandbox).map((process) => process.pid)]);
  for (const pid of pids) {
    signal(pid, "SIGCONT");
    signal(pid, "SIGTERM");
  }
  const deadline = Date.now() + 10_000;
  while ([...pids].some(isAlive) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stubborn = [...pids].filter(isAlive);
  for (const pid of stubborn) {
    signal(pid, "SIGKILL");
  }
  await rm(sandbox.root, { recursive: true, force: true });
  return stubborn;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/**
 * Gives each test of the file a fresh sandbox (call at the top level). After each test,
 * `beforeCleanup` runs (to close what the test opened), then every process of the sandbox and
 * every pid added to `seen` must end; the test fails if one had to be killed.
 * @returns the current test's sandbox
 */
export function useSandbox(
  seen: Set<number> = new Set(),
  beforeCleanup: () => Promise<unknown> = async () => undefined,
): () => Sandbox {
  let current: Sandbox | undefined;
  beforeEach(async () => {
    current = await createSandbox();
    seen.clear();
  });
  afterEach(async () => {
    await beforeCleanup();
    if (current === undefined) return;
    const stubborn = await cleanupSandbox(current, seen);
    expect(stubborn, "processes still alive after the test").toEqual([]);
  });
  return () => {
    if (current === undefined) throw new Error("useSandbox: no test is running");
    return current;
  };
}

/** `SELECT 1` on a fresh connection to `endpoint` (5 s connect timeout). */
export async function selectOne(endpoint: string): Promise<number> {
  const connection = await Connection.connect({ endpoint, connectTimeoutMs: 5000 });
  try {
    return Number(await connection.fetchScalar("SELECT 1"));
  } finally {
    await connection.close();
  }
}

/** The daemon's log file of the sandbox. */
export function daemonLog(sandbox: Sandbox): string {
  return readFileSync(join(sandbox.stateDir, "logs", "hyperdb-mcp-daemon.log"), "utf8");
}
