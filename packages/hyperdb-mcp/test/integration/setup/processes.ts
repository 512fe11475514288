/**
 * Test helper: finds processes by reading /proc (Linux): any that match a predicate on command
 * line and environment, and those of one isolated state folder — daemons (a `daemon` command
 * line with that HYPERDB_STATE_DIR in their environment) and the hyperds they own (their log
 * folder is inside the state folder).
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

/** A live process as /proc shows it. */
export interface ProcessInfo {
  readonly pid: number;
  /** Its arguments, the program first. */
  readonly cmdline: readonly string[];
  /** The environment it was started with (`NAME=value` entries). */
  readonly environ: readonly string[];
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "latin1");
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

/** Whether `pid` runs: it exists and is not a zombie (exited, waiting to be reaped). */
export function isRunning(pid: number): boolean {
  const stat = readProc(pid, "stat");
  return stat !== undefined && !stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
}

/** Running processes (not this one, no kernel threads) that `match` accepts. */
export function findProcesses(match: (process: ProcessInfo) => boolean): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!/^\d+$/.test(entry) || pid === process.pid) continue;
    const cmdline = (readProc(pid, "cmdline") ?? "").split("\0").filter((part) => part !== "");
    if (cmdline.length === 0 || !isRunning(pid)) continue;
    const candidate = { pid, cmdline, environ: (readProc(pid, "environ") ?? "").split("\0") };
    if (match(candidate)) found.push(candidate);
  }
  return found;
}

/** Daemons of our server running for `stateDir`. */
export function daemonsOf(stateDir: string): number[] {
  return findProcesses(
    ({ cmdline, environ }) =>
      cmdline.includes("daemon") &&
      cmdline.some((part) => part.endsWith(".js")) &&
      environ.includes(`HYPERDB_STATE_DIR=${stateDir}`),
  ).map(({ pid }) => pid);
}

/** hyperd processes whose arguments mention `folder` (their log folder lives there). */
export function hyperdsUnder(folder: string): number[] {
  return findProcesses(
    ({ cmdline }) => (cmdline[0] ?? "").endsWith("hyperd") && cmdline.some((part) => part.includes(folder)),
  ).map(({ pid }) => pid);
}

/**
 * Lowest port the kernel gives outgoing connections (Linux: ip_local_port_range; 32768 by
 * default). Test ports stay below it: with many connections open at once (the suite runs files
 * in parallel), a port chosen inside that range can be an outgoing connection's local port by
 * the time a daemon binds it, and the bind then fails.
 */
function ephemeralPortsStart(): number {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 12_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/** A base port with `span` consecutive free loopback ports, below the ephemeral range. */
export async function freePortRange(span: number): Promise<number> {
  const top = ephemeralPortsStart() - span;
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 10_000 + Math.floor(Math.random() * (top - 10_000));
    let free = true;
    for (let port = base; port < base + span && free; port++) {
      free = await isFree(port);
    }
    if (free) {
      return base;
    }
  }
  throw new Error(`no ${span} consecutive free ports found`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
