/**
 * Helpers the fault tests share: calling tools on a server under test, reading results, timing,
 * and waiting with a bound.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { expect } from "vitest";
import type { ServerUnderTest } from "../integration/server/mcp-client.ts";

/** Calls a tool (the SDK's request timeout raised to `timeoutMs`, 5 min by default). */
export async function call(
  server: ServerUnderTest,
  name: string,
  args: Record<string, unknown>,
  timeoutMs = 300_000,
): Promise<CallToolResult> {
  return (await server.client.callTool({ name, arguments: args }, { timeout: timeoutMs })) as CallToolResult;
}

/** The structured result of a call that must have succeeded. */
export function ok(result: CallToolResult): Record<string, unknown> {
  expect(result.isError ?? false, JSON.stringify(result.structuredContent)).toBe(false);
  return result.structuredContent as Record<string, unknown>;
}

/** The error code of a failed call, if it has one. */
export function errorCode(result: CallToolResult): string | undefined {
  return (result.structuredContent as { error?: { code?: string } } | undefined)?.error?.code;
}

/** `SELECT count(*)` of a table through the `query` tool. */
export async function count(server: ServerUnderTest, table: string, database?: string): Promise<number> {
  const result = ok(
    await call(server, "query", {
      sql: `SELECT count(*) AS n FROM ${table}`,
      ...(database === undefined ? {} : { database }),
    }),
  );
  return Number((result.result as { n: number }[])[0]?.n);
}

/** Awaits `work` and says how long it took, in whole ms. */
export async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: Math.round(performance.now() - started) };
}

/** Polls `check` until it holds or `ms` passed; whether it held. */
export async function waitUntil(check: () => boolean, ms: number, pollMs = 20): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return check();
}

/** `promise`, or an error naming `what` as a hang after `ms`. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms (hang)`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
