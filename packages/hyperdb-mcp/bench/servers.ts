/**
 * The two servers under test and their isolated surroundings.
 *
 * - ours: this package's built `dist/hyperdb-mcp.js` (the `bin`), run by the current Node;
 * - upstream: the Rust `hyperdb-mcp`, found through `HYPERDB_MCP_UPSTREAM` (its hyperd through
 *   `UPSTREAM_HYPERD_PATH`, else `HYPERD_PATH`); absent when the variable is not set.
 *
 * Every server runs in a {@link Sandbox}: a temp folder that is its `HOME`, its state folder
 * (`HYPERDB_STATE_DIR`, where a daemon keeps `daemon.json`) and its data folder, plus a daemon
 * port of its own (`HYPERDB_DAEMON_PORT`), so the benchmark never meets a daemon of the user's.
 * {@link stopDaemon} stops whatever daemon a sandbox started: `hyperdb-mcp daemon stop` first,
 * then the processes named in `daemon.json`.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import * as os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package folder (…/packages/hyperdb-mcp). */
export const PACKAGE_DIR = fileURLToPath(new URL("../", import.meta.url));

/** How to start one server. */
export interface ServerSpec {
  /** `ours` or `upstream`. */
  readonly name: string;
  readonly command: string;
  /** Arguments before any mode flag. */
  readonly args: readonly string[];
  /** Extra environment (the hyperd to use). */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Our server as built into `dist/`, run from a private copy (`.bench/<pid>/dist`, inside the
 * package so its dependencies resolve as from `dist/`): a rebuild meanwhile cannot pull the
 * files from under a running benchmark. {@link removeOursCopy} deletes the copy.
 */
export async function oursSpec(): Promise<ServerSpec> {
  const dist = join(PACKAGE_DIR, "dist");
  if (!existsSync(join(dist, "hyperdb-mcp.js"))) {
    throw new Error(`${dist}/hyperdb-mcp.js is missing: build the package first (pnpm build)`);
  }
  const copy = join(oursCopyDir(), "dist");
  await cp(dist, copy, { recursive: true });
  const env: Record<string, string> = {};
  if (process.env.HYPERD_PATH) env.HYPERD_PATH = process.env.HYPERD_PATH;
  return { name: "ours", command: process.execPath, args: [join(copy, "hyperdb-mcp.js")], env };
}

function oursCopyDir(): string {
  return join(PACKAGE_DIR, ".bench", String(process.pid));
}

/** Deletes the private copy {@link oursSpec} made. */
export async function removeOursCopy(): Promise<void> {
  await rm(oursCopyDir(), { recursive: true, force: true });
}

/** The upstream server, or undefined when `HYPERDB_MCP_UPSTREAM` is not set. */
export function upstreamSpec(): ServerSpec | undefined {
  const command = process.env.HYPERDB_MCP_UPSTREAM;
  if (command === undefined || command === "") return undefined;
  if (!existsSync(command)) throw new Error(`HYPERDB_MCP_UPSTREAM is ${command}, which does not exist`);
  const hyperd = process.env.UPSTREAM_HYPERD_PATH || process.env.HYPERD_PATH;
  return { name: "upstream", command, args: [], env: hyperd ? { HYPERD_PATH: hyperd } : {} };
}

/** An isolated home, state folder and daemon port for one server. */
export interface Sandbox {
  readonly dir: string;
  readonly port: number;
  /** The full environment of a server process in this sandbox. */
  readonly env: Readonly<Record<string, string>>;
}

/** A free TCP port on the loopback interface (free when asked; good enough for a benchmark). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Creates a sandbox for `spec`. */
export async function createSandbox(spec: ServerSpec): Promise<Sandbox> {
  const dir = await mkdtemp(join(os.tmpdir(), `hyperdb-mcp-bench-${spec.name}-`));
  const state = join(dir, "state");
  await mkdir(state);
  const port = await freePort();
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // The user's data and state folders stay out of the sandbox.
    if (value !== undefined && !key.startsWith("XDG_") && !key.startsWith("HYPERDB_")) env[key] = value;
  }
  Object.assign(env, spec.env, {
    HOME: dir,
    HYPERDB_STATE_DIR: state,
    HYPERDB_DAEMON_PORT: String(port),
  });
  return { dir, port, env };
}

function run(command: string, args: readonly string[], env: Readonly<Record<string, string>>): Promise<void> {
  return new Promise((resolve) => {
    execFile(command, [...args], { env, timeout: 15_000 }, () => resolve());
  });
}

/** Whether `pid` runs; an exited process nobody reaped yet (a zombie, on Linux) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

/** Process ids named in a daemon discovery file (any numeric field whose name ends in "pid"). */
function pidsIn(value: unknown, found: number[] = []): number[] {
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === "number" && /pid$/i.test(key) && Number.isInteger(item) && item > 1)
        found.push(item);
      else pidsIn(item, found);
    }
  }
  return found;
}

/** The process ids named in the sandbox's `daemon.json`; empty when there is none. */
async function daemonPids(sandbox: Sandbox): Promise<number[]> {
  try {
    const discovery = join(sandbox.env.HYPERDB_STATE_DIR ?? sandbox.dir, "daemon.json");
    return pidsIn(JSON.parse(await readFile(discovery, "utf8")));
  } catch {
    return [];
  }
}

/** Whether a daemon of the sandbox runs (it published `daemon.json` and its processes live). */
export async function daemonRunning(sandbox: Sandbox): Promise<boolean> {
  const pids = await daemonPids(sandbox);
  return pids.length > 0 && pids.every(isAlive);
}

/** Stops the daemon `spec` started in `sandbox`, if any; never throws. */
export async function stopDaemon(spec: ServerSpec, sandbox: Sandbox): Promise<void> {
  // No discovery file: the stop command below still gets its chance.
  const pids = await daemonPids(sandbox);
  await run(spec.command, [...spec.args, "daemon", "stop"], sandbox.env);
  const deadline = Date.now() + 5_000;
  while (pids.some(isAlive) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (const pid of pids.filter(isAlive)) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // gone meanwhile
    }
  }
}

/** Stops the sandbox's daemon and deletes the sandbox. */
export async function removeSandbox(spec: ServerSpec, sandbox: Sandbox): Promise<void> {
  await stopDaemon(spec, sandbox);
  await rm(sandbox.dir, { recursive: true, force: true, maxRetries: 3 });
}

/** The `--version` line of a server, or "unknown". */
export function serverVersion(spec: ServerSpec): Promise<string> {
  return new Promise((resolve) => {
    execFile(spec.command, [...spec.args, "--version"], { timeout: 10_000 }, (error, stdout) => {
      resolve(error ? "unknown" : stdout.trim());
    });
  });
}
