/**
 * Read-only: statements that write, hidden in every way the read-only guard has to see through
 * (DML inside CTEs, several statements, COPY to a file, ATTACH and DETACH, CREATE TEMP, SET and
 * set_config, EXPLAIN ANALYZE of DML, `SELECT … INTO`, case, comment, whitespace and parenthesis
 * tricks) must not succeed:
 *
 * - on a server started with `--read-only`, through every tool that can write (execute,
 *   load_data, load_file, load_files: `READ_ONLY_VIOLATION`) and through the reading tools
 *   (query, query_data, query_file: their guard refuses the statement with `SQL_ERROR`);
 * - on a normal server, through query, query_data and query_file (`SQL_ERROR` from the guard).
 *
 * Each refusal must come from the guard (its message, not hyperd's), and nothing may have
 * happened: the table keeps its rows, no file written by COPY or created by ATTACH exists, the
 * attached databases, the tables of both databases and the search path are as before.
 * Prints `FAULT read-only statements=<n> refused=<n> effects=<n>`.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive, type ServerUnderTest, startServer, waitForExit } from "../integration/server/mcp-client.ts";

const CALL_DEADLINE_MS = 30_000;

/** The guard's refusals (src/engine/read-only.ts), as opposed to an error from hyperd. */
const GUARD_MESSAGE =
  /only runs read-only statements|Only one statement per call|unterminated string|NUL character|empty or contains only comments/;

const dir = mkdtempSync(join(tmpdir(), "hyperdb-read-only-"));
let fileCounter = 0;
/** A path nothing may create; checked at the end. */
const forbidden: string[] = [];
function forbiddenPath(extension: string): string {
  fileCounter += 1;
  const path = join(dir, `written-${fileCounter}.${extension}`);
  forbidden.push(path);
  return path;
}

/** Statements that would write, each in a form the guard has to see through. */
function writingStatements(): string[] {
  return [
    // DML inside CTEs
    "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
    "WITH i AS (INSERT INTO t VALUES (9) RETURNING *) SELECT 1",
    "WITH u AS (UPDATE t SET a = 0 RETURNING a) SELECT count(*) FROM u",
    "WITH x AS (SELECT 1) DELETE FROM t",
    "WITH x AS (SELECT 1 AS a) INSERT INTO t SELECT a FROM x",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) INSERT INTO t SELECT n FROM r",
    // several statements
    "SELECT 1; DROP TABLE t",
    "SELECT 1; DELETE FROM t",
    "SELECT 1 -- comment\n; DROP TABLE t",
    "SELECT 1;/* */DROP TABLE t",
    "select/**/1;drop/**/table/**/t",
    "VALUES (1); TRUNCATE t",
    "SHOW schema_search_path; DROP TABLE t",
    'SELECT 1 AS "a;b"; DROP TABLE t',
    "SELECT 'it''s'; DELETE FROM t",
    "SELECT E'a\\'b'; DELETE FROM t",
    "SELECT $$a;b$$; DELETE FROM t",
    "SELECT $tag$ ; $tag$; DELETE FROM t",
    "SELECT 1;;;DELETE FROM t",
    // COPY to a file
    `COPY t TO '${forbiddenPath("csv")}'`,
    `COPY (SELECT 1) TO '${forbiddenPath("csv")}'`,
    `COPY t TO '${forbiddenPath("parquet")}' WITH (FORMAT parquet)`,
    `copy (select * from t) to '${forbiddenPath("csv")}' with (format csv, header true)`,
    `WITH c AS (SELECT 1) COPY (SELECT * FROM c) TO '${forbiddenPath("csv")}'`,
    // ATTACH and DETACH
    `ATTACH DATABASE '${forbiddenPath("hyper")}' AS x`,
    `SELECT 1; ATTACH DATABASE '${forbiddenPath("hyper")}' AS y`,
    "DETACH DATABASE persistent",
    "DETACH DATABASE scratch",
    `CREATE DATABASE '${forbiddenPath("hyper")}'`,
    // temporary tables and tables from queries
    "CREATE TEMP TABLE x (a int)",
    "CREATE TEMPORARY TABLE x2 AS SELECT * FROM t",
    "create temp table x3 as select 1 as a",
    "SELECT * INTO t_copy FROM t",
    "SELECT a INTO TEMP t_copy2 FROM t",
    "WITH s AS (SELECT * FROM t) SELECT * INTO t_copy3 FROM s",
    "CREATE TABLE x4 AS SELECT 1 AS a",
    // session settings
    "SET schema_search_path = 'persistent'",
    "SET LOCAL schema_search_path = 'persistent'",
    "RESET schema_search_path",
    "SELECT set_config('schema_search_path', 'persistent', false)",
    "SELECT pg_catalog.set_config('schema_search_path', 'persistent', false)",
    "SELECT SET_CONFIG('schema_search_path', 'persistent', false) AS s FROM t",
    // EXPLAIN of DML
    "EXPLAIN ANALYZE DELETE FROM t",
    "EXPLAIN ANALYZE INSERT INTO t VALUES (9)",
    "EXPLAIN DELETE FROM t",
    "EXPLAIN (ANALYZE) UPDATE t SET a = 0",
    // plain writes, with case, comment, whitespace and parenthesis tricks
    "DELETE FROM t",
    "DeLeTe FrOm t",
    "/* */ delete from t",
    "/* nested /* comment */ */ DELETE FROM t",
    "-- line comment\nDELETE FROM t",
    "\nWITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
    "\t \r\n  WITH i AS (INSERT INTO t VALUES (9) RETURNING *) SELECT 1",
    "(DELETE FROM t)",
    "(WITH d AS (DELETE FROM t RETURNING a) SELECT a FROM d)",
    "((SELECT 1)); DELETE FROM t",
    "insert into t values (9)",
    "UPDATE t SET a = 0",
    "TRUNCATE t",
    "DROP TABLE t",
    "ALTER TABLE t RENAME TO t_renamed",
    "MERGE INTO t USING (SELECT 9 AS a) s ON t.a = s.a WHEN NOT MATCHED THEN INSERT VALUES (s.a)",
    "GRANT SELECT ON t TO public",
    "BEGIN",
    "COMMIT",
    // unterminated quoting that would hide a second statement from a naive scanner
    "SELECT 'unterminated; DELETE FROM t",
    'SELECT "unterminated; DELETE FROM t',
    "SELECT /* unterminated; DELETE FROM t",
    "SELECT 1\u0000; DELETE FROM t",
  ];
}

interface Counters {
  statements: number;
  refused: number;
  effects: number;
}
const counters: Counters = { statements: 0, refused: 0, effects: 0 };

async function call(
  server: ServerUnderTest,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      server.client.callTool(
        { name, arguments: args },
        { timeout: CALL_DEADLINE_MS },
      ) as Promise<CallToolResult>,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${name} hung`)), CALL_DEADLINE_MS + 5000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function ok(
  server: ServerUnderTest,
  name: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = await call(server, name, args);
  expect(
    result.isError ?? false,
    `${name} ${JSON.stringify(args)}: ${JSON.stringify(result.structuredContent)}`,
  ).toBe(false);
  return result.structuredContent as Record<string, unknown>;
}

async function rows<T = Record<string, unknown>>(
  server: ServerUnderTest,
  sql: string,
  database?: string,
): Promise<T[]> {
  return (await ok(server, "query", database === undefined ? { sql } : { sql, database })).result as T[];
}

/** Expects a refusal with `code` (and, for the guard, its message); counts it. */
async function expectRefused(
  server: ServerUnderTest,
  name: string,
  args: Record<string, unknown>,
  code: string,
): Promise<void> {
  counters.statements += 1;
  const result = await call(server, name, args);
  const what = `${name} ${JSON.stringify(args)}`;
  expect(result.isError, `${what} succeeded: ${JSON.stringify(result.structuredContent)}`).toBe(true);
  const error = (result.structuredContent as { error: { code: string; message: string } }).error;
  expect(error.code, `${what}: ${error.message}`).toBe(code);
  if (code === "SQL_ERROR") expect(error.message, what).toMatch(GUARD_MESSAGE);
  if (code === "READ_ONLY_VIOLATION") expect(error.message, what).toMatch(/not permitted in read-only mode/);
  counters.refused += 1;
}

/** What must not change: the table's rows, the tables, the attachments, the search path. */
interface Snapshot {
  readonly rows: unknown[];
  readonly scratchTables: unknown[];
  readonly persistentTables: unknown[];
  readonly attached: unknown[];
  readonly searchPaths: unknown[];
}

async function snapshot(server: ServerUnderTest, database: "local" | "persistent"): Promise<Snapshot> {
  // Several calls, so that more than one pooled connection is likely asked.
  const searchPaths = await Promise.all(
    Array.from({ length: 4 }, async () => (await rows(server, "SHOW schema_search_path"))[0]),
  );
  return {
    rows: await rows(server, "SELECT a FROM t ORDER BY a", database),
    scratchTables: await rows(
      server,
      "SELECT schemaname, tablename FROM scratch.pg_catalog.pg_tables ORDER BY 1, 2",
    ),
    persistentTables: await rows(
      server,
      "SELECT schemaname, tablename FROM persistent.pg_catalog.pg_tables ORDER BY 1, 2",
    ),
    attached: await rows(server, "SELECT database_alias FROM pg_catalog.hyper_attached_database ORDER BY 1"),
    searchPaths,
  };
}

/** Compares with the snapshot taken before; every difference counts as an effect. */
async function expectNoEffect(
  server: ServerUnderTest,
  database: "local" | "persistent",
  before: Snapshot,
): Promise<void> {
  const after = await snapshot(server, database);
  for (const key of Object.keys(before) as (keyof Snapshot)[]) {
    if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) counters.effects += 1;
    expect(after[key], key).toEqual(before[key]);
  }
  const written = forbidden.filter((path) => existsSync(path));
  counters.effects += written.length;
  expect(written).toEqual([]);
  expect(readdirSync(dir).filter((name) => name.startsWith("written-"))).toEqual([]);
}

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `FAULT read-only statements=${counters.statements} refused=${counters.refused} effects=${counters.effects}`,
  );
});

const dataCsv = join(dir, "data.csv");
writeFileSync(dataCsv, "a\n1\n2\n");

describe("a server started with --read-only", () => {
  let server: ServerUnderTest;
  const persistentDb = join(dir, "workspace.hyper");

  beforeAll(async () => {
    // The table lives in a persistent database written by a normal server first.
    const writer = await startServer({ args: ["--persistent-db", persistentDb] });
    await ok(writer, "execute", { sql: ["CREATE TABLE t (a INTEGER)"], database: "persistent" });
    await ok(writer, "execute", { sql: ["INSERT INTO t VALUES (1), (2), (3)"], database: "persistent" });
    await writer.client.close();
    expect(await waitForExit(writer.pid, 15_000)).toBe(true);
    server = await startServer({ args: ["--read-only", "--persistent-db", persistentDb] });
    expect((await ok(server, "status", {})).read_only).toBe(true);
  });

  afterAll(async () => {
    await server?.client.close().catch(() => undefined);
  });

  it("refuses every writing statement through every tool, and nothing changes", async () => {
    const before = await snapshot(server, "persistent");
    expect(before.rows).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    for (const sql of writingStatements()) {
      await expectRefused(server, "execute", { sql: [sql] }, "READ_ONLY_VIOLATION");
      await expectRefused(server, "execute", { sql: [sql], database: "persistent" }, "READ_ONLY_VIOLATION");
      await expectRefused(server, "query", { sql, database: "persistent" }, "SQL_ERROR");
      await expectRefused(server, "query", { sql }, "SQL_ERROR");
      await expectRefused(server, "query_data", { data: "a\n1\n", table_name: "t", sql }, "SQL_ERROR");
      await expectRefused(server, "query_file", { path: dataCsv, table_name: "t", sql }, "SQL_ERROR");
    }
    // A harmless-looking execute is refused as well: the tool never runs under --read-only.
    await expectRefused(server, "execute", { sql: ["CREATE TABLE y (a int)"] }, "READ_ONLY_VIOLATION");
    await expectRefused(server, "execute", { sql: ["SELECT 1"] }, "READ_ONLY_VIOLATION");
    // The loading tools, in every mode, into a new table and onto t.
    for (const database of ["local", "persistent"]) {
      for (const mode of ["replace", "append", "merge"]) {
        const merge = mode === "merge" ? { merge_key: "a" } : {};
        for (const table of ["t", "new_table"]) {
          await expectRefused(
            server,
            "load_data",
            { table, data: "a\n9\n", mode: mode === "merge" ? "append" : mode, database },
            "READ_ONLY_VIOLATION",
          );
          await expectRefused(
            server,
            "load_file",
            { table, path: dataCsv, mode, database, ...merge },
            "READ_ONLY_VIOLATION",
          );
          await expectRefused(
            server,
            "load_files",
            { files: [{ table, path: dataCsv, mode: mode === "merge" ? "append" : mode }], database },
            "READ_ONLY_VIOLATION",
          );
        }
      }
    }
    await expectRefused(
      server,
      "load_data",
      { table: "t", data: "a\n9\n", persist: true },
      "READ_ONLY_VIOLATION",
    );
    // Reading still works.
    expect(await rows(server, "SELECT count(*) AS n FROM t", "persistent")).toEqual([{ n: 3 }]);
    await expectNoEffect(server, "persistent", before);
    expect(isAlive(server.pid)).toBe(true);
  });
});

describe("query on a normal server", () => {
  let server: ServerUnderTest;

  beforeAll(async () => {
    server = await startServer({ args: ["--persistent-db", join(dir, "normal.hyper")] });
    expect((await ok(server, "status", {})).read_only).toBe(false);
    await ok(server, "execute", { sql: ["CREATE TABLE t (a INTEGER)"] });
    await ok(server, "execute", { sql: ["INSERT INTO t VALUES (1), (2), (3)"] });
    await ok(server, "execute", { sql: ["CREATE TABLE t (a INTEGER)"], database: "persistent" });
    await ok(server, "execute", { sql: ["INSERT INTO t VALUES (1), (2), (3)"], database: "persistent" });
  });

  afterAll(async () => {
    await server?.client.close().catch(() => undefined);
  });

  it("refuses every writing statement through query, query_data and query_file, and nothing changes", async () => {
    const before = await snapshot(server, "local");
    const beforePersistent = await snapshot(server, "persistent");
    expect(before.rows).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    for (const sql of writingStatements()) {
      await expectRefused(server, "query", { sql }, "SQL_ERROR");
      await expectRefused(server, "query", { sql, database: "persistent" }, "SQL_ERROR");
      await expectRefused(server, "query_data", { data: "a\n1\n", table_name: "t", sql }, "SQL_ERROR");
      await expectRefused(
        server,
        "query_data",
        { data: '[{"a":1}]', sql: sql.replaceAll(" t", " data") },
        "SQL_ERROR",
      );
      await expectRefused(server, "query_file", { path: dataCsv, table_name: "t", sql }, "SQL_ERROR");
    }
    await expectNoEffect(server, "local", before);
    await expectNoEffect(server, "persistent", beforePersistent);
    // The same server still writes through execute, which is where writes belong; and a COPY
    // there does write its file, so the checks above would have seen one.
    await ok(server, "execute", { sql: ["INSERT INTO t VALUES (4)"] });
    const copied = join(dir, "copied-by-execute.csv");
    await ok(server, "execute", { sql: [`COPY (SELECT 1) TO '${copied}'`] });
    expect(existsSync(copied)).toBe(true);
    expect(await rows(server, "SELECT count(*) AS n FROM t")).toEqual([{ n: 4 }]);
  });
});
