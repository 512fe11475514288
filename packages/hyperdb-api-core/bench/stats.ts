/**
 * The benchmarks' kit (also used by the hyperdb-api and hyperdb-mcp benchmarks): timing, CPU
 * accounting, medians, number formatting, a plain-text table, the `BENCH <figure> <value> <unit>`
 * lines, what the figures depend on (the machine lines) and the `BENCH_*` counts.
 */

import { existsSync, readFileSync } from "node:fs";
import * as os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A positive whole number from the environment (`_` separators allowed), or `fallback`. */
export function envCount(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw.replaceAll("_", ""));
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

export interface Measurement {
  /** Rows read or written. */
  readonly rows: number;
  /** Bytes that crossed the socket (received for scans, sent for inserts). */
  readonly bytes: number;
  readonly seconds: number;
  /** CPU seconds this process used (user + system) during the run. */
  readonly clientCpu?: number;
  /** CPU seconds hyperd used during the run (Linux only, else NaN). */
  readonly serverCpu?: number;
}

export interface Summary {
  readonly rows: number;
  readonly seconds: number;
  readonly bytes: number;
  readonly rowsPerSec: number;
  readonly mbPerSec: number;
  readonly runs: readonly number[];
  /** Median CPU seconds of the client and of hyperd per run. */
  readonly clientCpu: number;
  readonly serverCpu: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median run by time (rates are derived from the median time, not averaged). */
export function summarize(runs: readonly Measurement[]): Summary {
  const seconds = median(runs.map((run) => run.seconds));
  const rows = runs[0]?.rows ?? 0;
  const bytes = median(runs.map((run) => run.bytes));
  return {
    rows,
    seconds,
    bytes,
    rowsPerSec: rows / seconds,
    mbPerSec: bytes / 1e6 / seconds,
    runs: runs.map((run) => run.seconds),
    clientCpu: median(runs.map((run) => run.clientCpu ?? Number.NaN)),
    serverCpu: median(runs.map((run) => run.serverCpu ?? Number.NaN)),
  };
}

let serverPid: number | null = null;
let clockTicks = 100;

/** Makes `timed` also account hyperd's CPU time (read from /proc; Linux only). */
export function watchServer(pid: number): void {
  serverPid = pid;
  // USER_HZ is 100 on every mainstream Linux build.
  clockTicks = Number(process.env.BENCH_CLK_TCK ?? 100);
}

function serverCpuSeconds(): number {
  if (serverPid === null || process.platform !== "linux") return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${serverPid}/stat`, "utf8");
    // Fields after the command name (which is in parentheses and may contain spaces).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return Number.NaN;
  }
}

export interface Timed<T> {
  readonly value: T;
  readonly seconds: number;
  readonly clientCpu: number;
  readonly serverCpu: number;
}

/** Runs `fn` with a monotonic clock after a full GC, and accounts client and hyperd CPU time. */
export async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const serverBefore = serverCpuSeconds();
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = await fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    value,
    seconds,
    clientCpu: (cpu.user + cpu.system) / 1e6,
    serverCpu: serverCpuSeconds() - serverBefore,
  };
}

export function fmtInt(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

export function fmtFixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

/** Seconds with three decimals, or "-" for NaN. */
export function fmtSeconds(value: number): string {
  return Number.isNaN(value) ? "-" : value.toFixed(3);
}

/** Plain text table with right-aligned numeric columns. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** One machine-readable figure: `BENCH <figure> <value> <unit>`. */
export function benchLine(figure: string, value: number, unit: string): string {
  const shown =
    Number.isInteger(value) || Math.abs(value) >= 1000 ? String(Math.round(value)) : value.toFixed(3);
  return `BENCH ${figure} ${shown} ${unit}`;
}

/**
 * Version of an installed package as seen from the module `from` (a file URL): the
 * `node_modules/<name>/package.json` nearest to it (also for packages whose `exports` hide
 * `package.json`), or "unknown".
 */
export function packageVersion(name: string, from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const candidate = join(dir, "node_modules", name, "package.json");
    if (existsSync(candidate)) {
      try {
        return (JSON.parse(readFileSync(candidate, "utf8")) as { version?: string }).version ?? "unknown";
      } catch {
        return "unknown";
      }
    }
    if (dirname(dir) === dir) return "unknown";
    dir = dirname(dir);
  }
}

/**
 * What the figures depend on: CPU, cores, memory, OS, versions and the load as the run starts.
 * `servers` names what was measured against (e.g. `hyperd <version>`); `packages` are looked up
 * from the module `from`.
 */
export function machineLines(
  servers: string,
  packages: readonly string[],
  from: string = import.meta.url,
): string[] {
  const cpus = os.cpus();
  const load = os.loadavg().map((value) => value.toFixed(2));
  const memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GB`;
  const versions = packages.map((name) => `${name} ${packageVersion(name, from)}`).join(", ");
  return [
    `machine: ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores, ${memory}, ${os.platform()} ${os.release()} ${os.arch()}`,
    `node ${process.version}, ${servers}, ${versions}, load avg ${load.join(" ")}`,
  ];
}
