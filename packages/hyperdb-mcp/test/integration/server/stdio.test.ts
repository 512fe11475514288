import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOL_SUMMARIES } from "../../../src/tools/readme-text.ts";
import { isAlive, PACKAGE_DIR, type ServerUnderTest, startServer, waitForExit } from "./mcp-client.ts";

interface ErrorBody {
  error: { code: string; message: string; suggestion?: string };
}

function structured<T>(result: CallToolResult): T {
  expect(result.structuredContent).toBeDefined();
  // The text block carries the same JSON.
  const first = result.content[0];
  expect(first?.type).toBe("text");
  if (first?.type === "text") {
    expect(JSON.parse(first.text)).toEqual(result.structuredContent);
  }
  return result.structuredContent as T;
}

async function query(server: ServerUnderTest, sql: string): Promise<CallToolResult> {
  return (await server.client.callTool({ name: "query", arguments: { sql } })) as CallToolResult;
}

/** The 33 tools of the upstream Rust hyperdb-mcp 0.7.3. */
const UPSTREAM_TOOLS = [
  "attach_database",
  "chart",
  "copy_query",
  "delete_query",
  "describe",
  "detach_database",
  "execute",
  "export",
  "get_readme",
  "inspect_file",
  "kv_clear",
  "kv_delete",
  "kv_get",
  "kv_list",
  "kv_list_stores",
  "kv_pop",
  "kv_set",
  "kv_set_many",
  "kv_size",
  "list_attached_databases",
  "load_data",
  "load_file",
  "load_files",
  "load_iceberg",
  "query",
  "query_data",
  "query_file",
  "sample",
  "save_query",
  "set_table_metadata",
  "status",
  "unwatch_directory",
  "watch_directory",
];

describe("hyperdb-mcp over stdio", () => {
  let server: ServerUnderTest;
  let initializeMs = 0;

  beforeAll(async () => {
    const started = performance.now();
    server = await startServer();
    initializeMs = performance.now() - started;
  });

  afterAll(async () => {
    await server?.client.close().catch(() => undefined);
  });

  it("answers initialize quickly, before hyperd starts", async () => {
    expect(initializeMs).toBeLessThan(1000);
    expect(server.client.getServerVersion()?.name).toBe("hyperdb-mcp");
    // Diagnostics also reach 2025-era clients as MCP log messages.
    expect(server.client.getServerCapabilities()?.logging).toEqual({});
    const status = structured<{ engine: { started: boolean; mode: string }; hyperd_running: boolean }>(
      (await server.client.callTool({ name: "status", arguments: {} })) as CallToolResult,
    );
    expect(status.engine).toMatchObject({ mode: "local", started: false });
    expect(status.hyperd_running).toBe(false);
  });

  it("lists the documented tools with input schemas", async () => {
    const { tools } = await server.client.listTools();
    const names = tools.map((tool) => tool.name).sort();
    // Exactly the tools the manual (get_readme) documents, and at least the core ones.
    expect(names).toEqual(TOOL_SUMMARIES.map((tool) => tool.name).sort());
    expect(names).toEqual(
      expect.arrayContaining(["status", "query", "execute", "describe", "sample", "load_file"]),
    );
    // Every tool of the upstream server (0.7.3), so prompts written for it work here.
    expect(names).toEqual(expect.arrayContaining(UPSTREAM_TOOLS));
    // The package README's tool table names every tool too.
    const readme = readFileSync(join(PACKAGE_DIR, "README.md"), "utf8");
    expect(names.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
    const queryTool = tools.find((tool) => tool.name === "query");
    expect(queryTool?.inputSchema.type).toBe("object");
    expect(queryTool?.inputSchema.properties).toHaveProperty("sql");
    expect(queryTool?.inputSchema.required).toEqual(["sql"]);
    expect(tools.find((tool) => tool.name === "status")?.inputSchema.type).toBe("object");
  });

  it("returns exact JSON values", async () => {
    const result = await query(
      server,
      "SELECT 1 AS one, 9007199254740993::bigint AS big, 12.34::numeric(10,2) AS n, DATE '2024-01-02' AS d",
    );
    expect(result.isError).toBeFalsy();
    const body = structured<{ result: unknown[]; stats: Record<string, unknown>; resolved_database: string }>(
      result,
    );
    expect(body.result).toEqual([{ one: 1, big: "9007199254740993", n: "12.34", d: "2024-01-02" }]);
    expect(body.resolved_database).toBe("local");
    expect(body.stats).toMatchObject({ operation: "query", rows_returned: 1 });
    expect(body).not.toHaveProperty("truncated");
  });

  it("renders times, timestamps, intervals, bytes, doubles and NULL", async () => {
    const result = await query(
      server,
      "SELECT TIME '12:34:56.5' AS t, TIMESTAMP '2024-01-02 03:04:05' AS ts, INTERVAL '1 day' AS i, 'hi'::bytea AS b, 'NaN'::double precision AS nan, NULL::int AS z",
    );
    expect(result.isError).toBeFalsy();
    const body = structured<{
      result: { t: string; ts: string; i: unknown; b: string; nan: null; z: null }[];
    }>(result);
    const row = body.result[0];
    expect(row?.t).toMatch(/^12:34:56\.5/);
    expect(row?.ts).toMatch(/^2024-01-02[ T]03:04:05/);
    expect(typeof row?.i).toBe("string");
    expect(row?.b).toBe("aGk=");
    expect(row?.nan).toBeNull();
    expect(row?.z).toBeNull();
  });

  it("truncates at 10,000 rows and answers quickly", async () => {
    const started = performance.now();
    const result = await query(server, "SELECT g FROM generate_series(1, 20000) AS s(g)");
    const elapsed = performance.now() - started;
    const body = structured<{
      result: unknown[];
      truncated?: boolean;
      hint?: string;
      stats: { rows_returned: number };
    }>(result);
    expect(body.result).toHaveLength(10_000);
    expect(body.truncated).toBe(true);
    expect(body.stats.rows_returned).toBe(10_000);
    expect(body.hint).toMatch(/10000/);
    expect(elapsed).toBeLessThan(5000);
    // The connection is still usable after the cancelled query.
    const after = structured<{ result: unknown[] }>(await query(server, "SELECT 2 AS two"));
    expect(after.result).toEqual([{ two: 2 }]);
  });

  it("reports bad SQL as SQL_ERROR and keeps serving", async () => {
    const result = await query(server, "SELECT * FROM no_such_table");
    expect(result.isError).toBe(true);
    const body = structured<ErrorBody>(result);
    expect(body.error.code).toBe("SQL_ERROR");
    expect(body.error.message).toMatch(/42P01/);
    const after = structured<{ result: unknown[] }>(await query(server, "SELECT 3 AS three"));
    expect(after.result).toEqual([{ three: 3 }]);
  });

  it("refuses writes, also inside a CTE", async () => {
    for (const sql of [
      "DELETE FROM t",
      "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
      "CREATE TABLE x (a int)",
      "SELECT 1; SELECT 2",
    ]) {
      const result = await query(server, sql);
      expect(result.isError, sql).toBe(true);
      expect(structured<ErrorBody>(result).error.code, sql).toBe("SQL_ERROR");
    }
  });

  it("cancels a running query when the request is cancelled", async () => {
    const controller = new AbortController();
    const pending = server.client.callTool(
      {
        name: "query",
        arguments: { sql: "SELECT count(*) AS c FROM generate_series(1, 100000000000) AS s(g)" },
      },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 300);
    await expect(pending).rejects.toThrow();
    const started = performance.now();
    const after = structured<{ result: unknown[] }>(await query(server, "SELECT 4 AS four"));
    expect(after.result).toEqual([{ four: 4 }]);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("refuses unknown databases with INVALID_ARGUMENT", async () => {
    const result = (await server.client.callTool({
      name: "query",
      arguments: { sql: "SELECT 1", database: "nope" },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(structured<ErrorBody>(result).error.code).toBe("INVALID_ARGUMENT");
  });

  it("exits with its hyperd when the client closes", async () => {
    const status = structured<{
      engine: { started: boolean; hyperd_pid: number | null };
      hyperd_running: boolean;
      ephemeral_path: string | null;
    }>((await server.client.callTool({ name: "status", arguments: {} })) as CallToolResult);
    expect(status.engine.started).toBe(true);
    const scratchDir = dirname(status.ephemeral_path as string);
    expect(existsSync(status.ephemeral_path as string)).toBe(true);
    expect(status.hyperd_running).toBe(true);
    const hyperdPid = status.engine.hyperd_pid;
    expect(hyperdPid).toBeTypeOf("number");
    expect(isAlive(hyperdPid as number)).toBe(true);

    await server.client.close();
    expect(await waitForExit(server.pid, 15_000)).toBe(true);
    expect(await waitForExit(hyperdPid as number, 15_000)).toBe(true);
    expect(server.stderr()).toMatch(/shutting down/);
    expect(existsSync(scratchDir)).toBe(false);
  });
});

describe("signals", () => {
  it("stops hyperd and exits on SIGTERM", async () => {
    const server = await startServer();
    const first = (await server.client.callTool({
      name: "query",
      arguments: { sql: "SELECT 1 AS one" },
    })) as CallToolResult;
    expect(first.isError).toBeFalsy();
    const status = structured<{ engine: { hyperd_pid: number | null } }>(
      (await server.client.callTool({ name: "status", arguments: {} })) as CallToolResult,
    );
    const hyperdPid = status.engine.hyperd_pid as number;
    expect(isAlive(hyperdPid)).toBe(true);
    process.kill(server.pid, "SIGTERM");
    expect(await waitForExit(server.pid, 15_000)).toBe(true);
    expect(await waitForExit(hyperdPid, 15_000)).toBe(true);
    expect(server.stderr()).toMatch(/shutting down \(SIGTERM\)/);
    await server.client.close().catch(() => undefined);
  });
});

describe("protocol version negotiation", () => {
  it("negotiates 2025-06-18 when the client offers only that", async () => {
    const server = await startServer({ protocolVersions: ["2025-06-18"] });
    try {
      expect(server.client.getNegotiatedProtocolVersion()).toBe("2025-06-18");
      const result = (await server.client.callTool({
        name: "query",
        arguments: { sql: "SELECT 1 AS one" },
      })) as CallToolResult;
      expect(result.structuredContent).toEqual(expect.objectContaining({ result: [{ one: 1 }] }));
    } finally {
      await server.client.close();
    }
    expect(await waitForExit(server.pid, 15_000)).toBe(true);
  });
});
