/**
 * `execute` and `get_readme` end to end: over stdio against the built server (its private
 * hyperd), plus database routing and the read-only guard through `runExecute` on a session
 * engine with a persistent database (the command line has no persistent-database flag yet).
 * Each stdio server starts its own hyperd, so the stdio tests share one server per describe.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExecute } from "../../../src/tools/execute.ts";
import { ONE_STATEMENT_SUGGESTION, TEXT_SUGGESTION } from "../../../src/tools/map-error.ts";
import { runQuery } from "../../../src/tools/query.ts";
import { README_TEXT } from "../../../src/tools/readme-text.ts";
import type { ToolContext } from "../../../src/tools/tool-context.ts";
import { errorOf, payload, testContext } from "../ingest/fixtures.ts";
import { type ServerUnderTest, startServer } from "./mcp-client.ts";

interface ExecutePayload {
  statements: number;
  affected_rows: number;
  per_statement: { sql: string; affected_rows: number; elapsed_ms: number }[];
  stats: { operation: string; elapsed_ms: number };
  resolved_database: string;
}

describe("execute over stdio", () => {
  let server: ServerUnderTest;

  beforeAll(async () => {
    server = await startServer({ args: ["--ephemeral-only"] });
  });

  afterAll(async () => {
    await server?.client.close().catch(() => undefined);
  });

  async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    return (await server.client.callTool({ name, arguments: args })) as CallToolResult;
  }

  async function execute(sql: string[], database?: string): Promise<CallToolResult> {
    return call("execute", database === undefined ? { sql } : { sql, database });
  }

  async function rows(sql: string): Promise<unknown[]> {
    return (payload(await call("query", { sql })) as { result: unknown[] }).result;
  }

  it("runs a single statement in auto-commit", async () => {
    const created = payload(
      await execute(["CREATE TABLE kv (k INTEGER, v TEXT);"]),
    ) as unknown as ExecutePayload;
    expect(created).toMatchObject({
      statements: 1,
      affected_rows: 0,
      per_statement: [{ sql: "CREATE TABLE kv (k INTEGER, v TEXT);", affected_rows: 0 }],
      stats: { operation: "command" },
      resolved_database: "local",
    });
    const inserted = payload(
      await execute(["INSERT INTO kv VALUES (1, 'a'), (2, 'b')"]),
    ) as unknown as ExecutePayload;
    expect(inserted).toMatchObject({ statements: 1, affected_rows: 2, stats: { operation: "command" } });
    // The text block carries the same JSON.
    const result = await execute(["UPDATE kv SET v = 'a' WHERE k = 1"]);
    const text = result.content[0];
    expect(text?.type === "text" ? JSON.parse(text.text) : undefined).toEqual(result.structuredContent);
    expect(await rows("SELECT k, v FROM kv ORDER BY k")).toEqual([
      { k: 1, v: "a" },
      { k: 2, v: "b" },
    ]);
  });

  it("commits a multi-statement upsert atomically", async () => {
    const upsert = payload(
      await execute(["DELETE FROM kv WHERE k IN (2, 3)", "INSERT INTO kv VALUES (2, 'B'), (3, 'c')"]),
    ) as unknown as ExecutePayload;
    expect(upsert.stats.operation).toBe("transaction");
    expect(upsert.statements).toBe(2);
    expect(upsert.per_statement.map((entry) => entry.affected_rows)).toEqual([1, 2]);
    expect(upsert.affected_rows).toBe(3);
    expect(await rows("SELECT k, v FROM kv ORDER BY k")).toEqual([
      { k: 1, v: "a" },
      { k: 2, v: "B" },
      { k: 3, v: "c" },
    ]);
  });

  it("rolls the whole batch back on the first failure", async () => {
    const error = errorOf(
      await execute([
        "INSERT INTO kv VALUES (10, 'x')",
        "DELETE FROM kv WHERE k = 1",
        "INSERT INTO missing_table VALUES (1)",
        "INSERT INTO kv VALUES (11, 'y')",
      ]),
    );
    expect(error.code).toBe("SQL_ERROR");
    expect(error.message).toMatch(/^statement 3 of 4 failed: server error \(42P01\)/);
    expect(error.suggestion).toContain("| Failing SQL: INSERT INTO missing_table VALUES (1)");
    expect(error.suggestion).toContain("All previous statements in this batch were rolled back.");
    expect(await rows("SELECT k FROM kv ORDER BY k")).toEqual([{ k: 1 }, { k: 2 }, { k: 3 }]);
    // The connection is usable afterwards (no transaction left open).
    expect(payload(await execute(["INSERT INTO kv VALUES (4, 'd')"])).affected_rows).toBe(1);
  });

  it("keeps the original code of a failing statement", async () => {
    const single = errorOf(await execute(["INSERT INTO kv VALUES ('not a number', 'x')"]));
    expect(single).toMatchObject({ code: "SCHEMA_MISMATCH", suggestion: TEXT_SUGGESTION });
    expect(single.message).toMatch(/^server error \(22P02\)/);
    const batch = errorOf(
      await execute(["INSERT INTO kv VALUES (5, 'e')", "INSERT INTO kv VALUES ('nope', 'x')"]),
    );
    expect(batch.code).toBe("SCHEMA_MISMATCH");
    expect(batch.message).toMatch(/^statement 2 of 2 failed: server error \(22P02\)/);
    expect(batch.suggestion).toMatch(new RegExp(`^${escapeRegExp(TEXT_SUGGESTION)} \\| Failing SQL: `));
    expect(await rows("SELECT count(*) AS n FROM kv WHERE k = 5")).toEqual([{ n: 0 }]);
  });

  it("refuses DDL mixed with DML before running anything", async () => {
    const error = errorOf(
      await execute(["CREATE TABLE mixed (a INTEGER)", "INSERT INTO kv VALUES (6, 'f')"]),
    );
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(await rows("SELECT count(*) AS n FROM kv WHERE k = 6")).toEqual([{ n: 0 }]);
    const tables = (payload(await call("describe", {})) as { tables: { name: string }[] }).tables;
    expect(tables.map((table) => table.name)).not.toContain("mixed");
  });

  it("refuses read-only, transaction-control and session statements", async () => {
    expect(errorOf(await execute(["SELECT * FROM kv"]))).toMatchObject({
      code: "SQL_ERROR",
      message: expect.stringMatching(/^`sql\[0\]` is a read-only statement/),
    });
    expect(errorOf(await execute(["BEGIN", "INSERT INTO kv VALUES (7, 'g')", "COMMIT"])).code).toBe(
      "INVALID_ARGUMENT",
    );
    expect(errorOf(await execute(["SET schema_search_path = 'nowhere'"])).code).toBe("INVALID_ARGUMENT");
    expect(errorOf(await execute([])).code).toBe("INVALID_ARGUMENT");
    expect(errorOf(await execute(["  -- nothing  "])).code).toBe("INVALID_ARGUMENT");
    expect(errorOf(await execute(["INSERT INTO kv VALUES (1, 'a')"], "persistent")).code).toBe(
      "INVALID_ARGUMENT",
    );
  });

  it("leaves semicolon-joined statements to Hyper, which refuses them", async () => {
    const error = errorOf(await execute(["INSERT INTO kv VALUES (8, 'h'); INSERT INTO kv VALUES (9, 'i')"]));
    expect(error).toMatchObject({ code: "SQL_ERROR", suggestion: ONE_STATEMENT_SUGGESTION });
    expect(error.message).toContain("(0A000)");
    expect(await rows("SELECT count(*) AS n FROM kv WHERE k IN (8, 9)")).toEqual([{ n: 0 }]);
  });
});

describe("get_readme over stdio", () => {
  let server: ServerUnderTest;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server?.client.close().catch(() => undefined);
  });

  it("returns the manual as one markdown text block that names every listed tool", async () => {
    const result = (await server.client.callTool({ name: "get_readme", arguments: {} })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toBeUndefined();
    expect(result.content).toEqual([{ type: "text", text: README_TEXT }]);
    const { tools } = await server.client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(12);
    for (const tool of tools) {
      expect(README_TEXT, `the manual does not mention ${tool.name}`).toContain(`\`${tool.name}\``);
    }
    expect(server.client.getInstructions()).toContain("get_readme");
  });
});

describe("execute routing and read-only guard", () => {
  let directory: string;
  let context: ToolContext;
  let readOnly: ToolContext;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "hyperdb-mcp-execute-"));
    context = testContext(join(directory, "persistent.hyper"));
    readOnly = testContext(null, { readOnly: true });
  });

  afterAll(async () => {
    await context?.engine.close();
    await readOnly?.engine.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("runs in the persistent database and puts the search path back", async () => {
    expect(
      payload(await runExecute(context, ["CREATE TABLE p (a INTEGER)"], "Persistent")).resolved_database,
    ).toBe("persistent");
    const batch = payload(
      await runExecute(context, ["INSERT INTO p VALUES (1)", "INSERT INTO p VALUES (2)"], "persistent"),
    );
    expect(batch).toMatchObject({ affected_rows: 2, resolved_database: "persistent" });
    expect(payload(await runQuery(context, "SELECT a FROM p ORDER BY a", "persistent")).result).toEqual([
      { a: 1 },
      { a: 2 },
    ]);
    // Unqualified names resolve in local again: p is not there.
    expect(errorOf(await runQuery(context, "SELECT a FROM p", undefined)).message).toContain("42P01");
    expect(
      payload(await runQuery(context, 'SELECT count(*) AS n FROM "persistent"."public"."p"', undefined))
        .result,
    ).toEqual([{ n: 2 }]);
    // A failed batch in persistent rolls back there too.
    const failed = errorOf(
      await runExecute(context, ["INSERT INTO p VALUES (3)", "INSERT INTO p VALUES ('x')"], "persistent"),
    );
    expect(failed.message).toMatch(/^statement 2 of 2 failed/);
    expect(payload(await runQuery(context, "SELECT count(*) AS n FROM p", "persistent")).result).toEqual([
      { n: 2 },
    ]);
  });

  it("cancels the running statement when the call is aborted, rolling the batch back", async () => {
    payload(await runExecute(context, ["CREATE TABLE c (n BIGINT)"], undefined));
    const endless =
      "INSERT INTO c SELECT count(*) FROM generate_series(1, 10000000) AS a(x), generate_series(1, 100000) AS b(y) WHERE (x::bigint * y) % 7 = 3";
    const started = performance.now();
    const error = errorOf(
      await runExecute(context, ["INSERT INTO c VALUES (1)", endless], undefined, AbortSignal.timeout(300)),
    );
    // Far below the minutes the statement would run without the cancel.
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(error.message).toMatch(/^statement 2 of 2 failed: server error \(57014\)/);
    expect(payload(await runQuery(context, "SELECT count(*) AS n FROM c", undefined)).result).toEqual([
      { n: 0 },
    ]);
  });

  it("refuses execute in read-only mode before validating or running anything", async () => {
    for (const sql of [[], ["CREATE TABLE ro (a INTEGER)"]]) {
      expect(errorOf(await runExecute(readOnly, sql, undefined))).toMatchObject({
        code: "READ_ONLY_VIOLATION",
        message: "Operation 'execute' is not permitted in read-only mode",
      });
    }
    expect(errorOf(await runQuery(readOnly, "SELECT * FROM ro", undefined)).message).toContain("42P01");
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
