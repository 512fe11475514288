/**
 * Small helpers of the benchmark: medians, number formatting, a plain-text table, the
 * `BENCH <figure> <value> <unit>` lines and what the figures depend on (the machine lines).
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Seconds with three decimals, or "-" for NaN. */
export function fmtSeconds(value: number): string {
  return Number.isNaN(value) ? "-" : value.toFixed(3);
}

/** Plain text table with a left-aligned first column and right-aligned others. */
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
 * Version of an installed package, or "unknown". Packages whose `exports` hide `package.json`
 * are found by walking up from their resolved entry point.
 */
export function packageVersion(name: string): string {
  try {
    return (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;
  } catch {
    // not exported; try the entry point
  }
  try {
    let dir = dirname(fileURLToPath(import.meta.resolve(name)));
    for (;;) {
      const candidate = join(dir, "package.json");
      if (existsSync(candidate)) {
        const parsed = JSON.parse(readFileSync(candidate, "utf8")) as { name?: unknown; version?: unknown };
        if (parsed.name === name && typeof parsed.version === "string") return parsed.version;
      }
      if (dirname(dir) === dir) return "unknown";
      dir = dirname(dir);
    }
  } catch {
    return "unknown";
  }
}

/** What the figures depend on: CPU, cores, memory, OS, versions and the load as the run starts. */
export function machineLines(servers: string, packages: readonly string[]): string[] {
  const cpus = os.cpus();
  const load = os.loadavg().map((value) => value.toFixed(2));
  const memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GB`;
  const versions = packages.map((name) => `${name} ${packageVersion(name)}`).join(", ");
  return [
    `machine: ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores, ${memory}, ${os.platform()} ${os.release()} ${os.arch()}`,
    `node ${process.version}, ${servers}, ${versions}, load avg ${load.join(" ")}`,
  ];
}
