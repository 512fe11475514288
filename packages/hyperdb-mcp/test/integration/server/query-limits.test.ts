/**
 * The bounds of the `query` tool on a real hyperd: the row cap with `total_rows`, the byte cap,
 * the optional time limit, the stricter read-only guard, and — over stdio — that a huge
 * unbounded SELECT answers with a truncated result while the server's memory stays flat.
 */
import { readFile } from "node:fs/promises";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_QUERY_LIMITS,
  MAX_QUERY_ROWS,
  MAX_RESULT_BYTES,
  type QueryLimits,
  runQuery,
} from "../../../src/tools/query.ts";
import type { ToolContext } from "../../../src/tools/tool-context.ts";
import { errorOf, payload, testContext } from "../ingest/fixtures.ts";
import { type ServerUnderTest, startServer } from "./mcp-client.ts";

interface QueryPayload {
  result: Record<string, unknown>[];
  stats: { rows_returned: number; result_size_bytes: number };
  truncated?: boolean;
  total_rows?: number;
  hint?: string;
}

/** A query that runs for a very long time (10^12 joined rows) unless cancelled. */
const ENDLESS_SQL =
  "SELECT count(*) AS n FROM generate_series(1, 10000000) AS a(x), generate_series(1, 100000) AS b(y) WHERE (x::bigint * y) % 7 = 3";

describe("query limits through runQuery", () => {
  let context: ToolContext;

  beforeAll(() => {
    context = testContext(null);
  });

  afterAll(async () => {
    await context?.engine.close();
  });

  function limits(overrides: Partial<QueryLimits>): QueryLimits {
    return { ...DEFAULT_QUERY_LIMITS, ...overrides };
  }

  async function run(sql: string, overrides: Partial<QueryLimits>): Promise<QueryPayload> {
    return payload(
      await runQuery(context, sql, undefined, undefined, limits(overrides)),
    ) as unknown as QueryPayload;
  }

  it("does not truncate a result of exactly the row cap", async () => {
    const body = await run("SELECT g FROM generate_series(1, 10) AS s(g)", { maxRows: 10 });
    expect(body.stats.rows_returned).toBe(10);
    expect(body.truncated).toBeUndefined();
    expect(body.total_rows).toBeUndefined();
  });

  it("reports total_rows when the rest could be counted within the budget", async () => {
    const body = await run("SELECT g FROM generate_series(1, 50) AS s(g)", {
      maxRows: 10,
      maxCountedRows: 100,
    });
    expect(body).toMatchObject({ truncated: true, total_rows: 50, stats: { rows_returned: 10 } });
    expect(body.result[9]).toEqual({ g: 10 });
    expect(body.hint).toMatch(/^The result has 50 rows; only the first 10 are returned/);
  });

  it("stops counting past the bound and omits total_rows", async () => {
    const body = await run("SELECT g FROM generate_series(1, 100000) AS s(g)", {
      maxRows: 10,
      maxCountedRows: 100,
    });
    expect(body.truncated).toBe(true);
    expect(body.total_rows).toBeUndefined();
    expect(body.stats.rows_returned).toBe(10);
    expect(body.hint).toMatch(/^The result has more than \d+ rows \(counting stopped there\)/);
    // The cancelled query left the connection usable.
    expect((await run("SELECT 1 AS one", {})).result).toEqual([{ one: 1 }]);
  });

  it("stops counting when the rest of the result is slow to come", async () => {
    const started = performance.now();
    const body = await run(
      `SELECT g::bigint AS g FROM generate_series(1, 10000) AS s(g) UNION ALL (${ENDLESS_SQL})`,
      {
        maxRows: 5,
        countBudgetMs: 200,
        // A safety net: without the counting budget this would fail as timed out.
        timeoutMs: 20_000,
      },
    );
    expect(body).toMatchObject({ truncated: true, stats: { rows_returned: 5 } });
    expect(body.total_rows).toBeUndefined();
    // Far below the time the endless part would take, or the 20 s safety net.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("caps the rendered bytes", async () => {
    const body = await run("SELECT g, repeat('x', 100) AS pad FROM generate_series(1, 1000) AS s(g)", {
      maxBytes: 2_000,
    });
    expect(body.truncated).toBe(true);
    expect(body.total_rows).toBe(1000);
    expect(body.stats.rows_returned).toBeGreaterThan(0);
    expect(body.stats.rows_returned).toBeLessThan(20);
    expect(body.stats.result_size_bytes).toBe(Buffer.byteLength(JSON.stringify(body.result)));
    expect(body.stats.result_size_bytes).toBeLessThanOrEqual(2_000);
    expect(body.hint).toContain("2000 bytes result limit");
  });

  it("cancels a query that runs past the time limit and stays usable", async () => {
    const error = errorOf(
      await runQuery(context, ENDLESS_SQL, undefined, undefined, limits({ timeoutMs: 300 })),
    );
    expect(error.code).toBe("SQL_ERROR");
    expect(error.message).toContain("300 ms limit (HYPERDB_QUERY_TIMEOUT_MS)");
    expect((await run("SELECT 2 AS two", {})).result).toEqual([{ two: 2 }]);
  });

  it("refuses SELECT INTO, set_config and RESET without running them", async () => {
    for (const sql of [
      "SELECT 1 AS a INTO made_by_query",
      "SELECT set_config('schema_search_path', 'nowhere', false)",
      "RESET schema_search_path",
    ]) {
      expect(errorOf(await runQuery(context, sql, undefined)).code).toBe("SQL_ERROR");
    }
    expect(errorOf(await runQuery(context, "SELECT * FROM made_by_query", undefined)).message).toContain(
      "42P01",
    );
  });
});

describe("query over stdio with a huge result", () => {
  let server: ServerUnderTest;

  beforeAll(async () => {
    server = await startServer({ env: { HYPERDB_QUERY_TIMEOUT_MS: "120000" } });
  });

  afterAll(async () => {
    await server?.client.close().catch(() => undefined);
  });

  async function memoryKiB(field: "VmRSS" | "VmHWM"): Promise<number> {
    const status = await readFile(`/proc/${server.pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    if (match === null) {
      throw new Error(`no ${field} in /proc/${server.pid}/status`);
    }
    return Number(match[1]);
  }

  it.runIf(process.platform === "linux")(
    "answers an unbounded SELECT over 1,000,000 rows with truncated: true and flat memory",
    async () => {
      const call = async (sql: string): Promise<CallToolResult> =>
        (await server.client.callTool({ name: "query", arguments: { sql } })) as CallToolResult;
      // Warm up: start the engine and load the code paths.
      expect(payload(await call("SELECT g FROM generate_series(1, 20000) AS s(g)")).truncated).toBe(true);
      const peakBefore = await memoryKiB("VmHWM");
      const started = performance.now();
      const result = await call(
        "SELECT g, g * 2 AS twice, 'row number ' || g AS label FROM generate_series(1, 1000000) AS s(g)",
      );
      const elapsed = performance.now() - started;
      const body = payload(result) as unknown as QueryPayload;
      expect(body.truncated).toBe(true);
      expect(body.stats.rows_returned).toBe(MAX_QUERY_ROWS);
      // Hyper streams the unordered result in parallel: any row, but whole and well-formed.
      const first = body.result[0] as { g: number; twice: number; label: string };
      expect(first).toEqual({ g: first.g, twice: first.g * 2, label: `row number ${first.g}` });
      // Counted to the end within the budget, or stopped counting; never a wrong total.
      if (body.total_rows !== undefined) {
        expect(body.total_rows).toBe(1_000_000);
      }
      expect(elapsed).toBeLessThan(30_000);
      const peakAfter = await memoryKiB("VmHWM");
      // Keeping 1,000,000 rendered rows would take several hundred MiB; a bounded result
      // stays within a small, generous margin of the warmed-up peak.
      expect(peakAfter - peakBefore).toBeLessThan(96 * 1024);
      // The configured time limit reaches the tool.
      const { tools } = await server.client.listTools();
      expect(tools.find((tool) => tool.name === "query")?.description).toContain(
        "longer than 120000 ms are cancelled",
      );
    },
  );

  it("lays the text block out one row per line, and declares rows as objects", async () => {
    const result = (await server.client.callTool({
      name: "query",
      arguments: { sql: "SELECT g, 'x\"' || g AS label FROM generate_series(1, 3) AS s(g) ORDER BY g" },
    })) as CallToolResult;
    const body = payload(result) as unknown as QueryPayload;
    const [block] = result.content;
    const text = block?.type === "text" ? block.text : "";
    expect(JSON.parse(text)).toEqual(body);
    const lines = text.split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "{",
      '  "result": [',
      '    {"g":1,"label":"x\\"1"},',
      '    {"g":2,"label":"x\\"2"},',
      '    {"g":3,"label":"x\\"3"}',
    ]);
    expect(lines[5]).toBe("  ],");
    const { tools } = await server.client.listTools();
    const schema = tools.find((tool) => tool.name === "query")?.outputSchema as {
      properties: { result: { type: string; items: { type: string } } };
    };
    expect(schema.properties.result).toMatchObject({ type: "array", items: { type: "object" } });
  });

  it("keeps an answer at the byte cap under a client's 10 MiB message limit", async () => {
    // 100 rows of 100,000 characters: about 10 MB of rendered rows, cut at the byte cap.
    const result = (await server.client.callTool({
      name: "query",
      arguments: { sql: "SELECT g, repeat('\"', 100000) AS wide FROM generate_series(1, 100) AS s(g)" },
    })) as CallToolResult;
    const body = payload(result) as unknown as QueryPayload;
    expect(body.truncated).toBe(true);
    expect(body.stats.result_size_bytes).toBeLessThanOrEqual(MAX_RESULT_BYTES);
    expect(body.hint).toContain("3 MiB");
    const message = JSON.stringify({ jsonrpc: "2.0", id: 1, result });
    expect(Buffer.byteLength(message)).toBeLessThan(10 * 1024 * 1024);
  });

  it("reads a client message larger than 10 MiB (a big inline load_data) and answers it", async () => {
    const line = `${"y".repeat(1000)}\n`;
    const data = `v\n${line.repeat(12 * 1024)}`;
    const result = (await server.client.callTool({
      name: "load_data",
      arguments: { table: "big_inline", data },
    })) as CallToolResult;
    expect(payload(result)).toMatchObject({ rows: 12 * 1024 });
    const count = payload(
      (await server.client.callTool({
        name: "query",
        arguments: { sql: "SELECT count(*) AS n FROM big_inline" },
      })) as CallToolResult,
    ) as unknown as QueryPayload;
    expect(count.result).toEqual([{ n: 12 * 1024 }]);
  });
});
