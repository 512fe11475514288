/**
 * Helpers of the session tests: typed tool calls, a query hyperd really works on for seconds,
 * and a reading of hyperd's CPU time (to tell a cancelled query from one still running).
 */
import { readFileSync } from "node:fs";
import type { CallToolResult, Client } from "@modelcontextprotocol/client";
import { expect } from "vitest";

/**
 * A query that keeps hyperd's worker threads busy: a cross join of `outerRows` × `innerRows`
 * whose sum needs every pair (pg_sleep is disabled in hyperd). Two noisy cores manage about
 * 8·10^8 pairs a second, so 70,000 × 40,000 runs ~5 s and 400,000 × 40,000 ~20 s. The values
 * stay small (`int` arithmetic overflows past 2^31, which would end the query early).
 */
export function heavyQuery(outerRows: number, innerRows = 40_000): string {
  return `SELECT sum((a.g + b.g) % 10) AS s FROM generate_series(1, ${outerRows}) AS a(g), generate_series(1, ${innerRows}) AS b(g)`;
}

/** Calls a tool and returns its result. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
  options: { signal?: AbortSignal } = {},
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, options)) as CallToolResult;
}

/** The structured content of a successful result. */
export function structured<T>(result: CallToolResult): T {
  expect(result.isError, JSON.stringify(result.structuredContent)).toBeFalsy();
  return result.structuredContent as T;
}

/** The `status` fields the session tests look at. */
export interface StatusBody {
  hyperd_running: boolean;
  engine: {
    started: boolean;
    hyperd_pid: number | null;
    connections_open: number;
    connections_in_use: number;
  };
}

/** Calls `status`. */
export async function status(client: Client): Promise<StatusBody> {
  return structured<StatusBody>(await callTool(client, "status"));
}

/** Runs `work` and returns its value with the wall time it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** CPU time (user + system, all threads) a process has used so far, in clock ticks (Linux). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are
  // fixed: state is field 3, utime field 14 and stime field 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** How many clock ticks of CPU `pid` uses during the next `ms` milliseconds. */
export async function cpuTicksDuring(pid: number, ms: number): Promise<number> {
  const before = cpuTicks(pid);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return cpuTicks(pid) - before;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
