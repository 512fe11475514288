import { describe, expect, it } from "vitest";
import { checkReadOnly, scanSql } from "./read-only.ts";

function allowed(sql: string): boolean {
  return checkReadOnly(sql).ok;
}

describe("checkReadOnly", () => {
  it("allows read-only statements", () => {
    expect(allowed("SELECT 1")).toBe(true);
    expect(allowed("  select * from t;")).toBe(true);
    expect(allowed("WITH x AS (SELECT 1) SELECT * FROM x")).toBe(true);
    expect(allowed("VALUES (1), (2)")).toBe(true);
    expect(allowed("EXPLAIN SELECT 1")).toBe(true);
    expect(allowed("SHOW schema_search_path")).toBe(true);
    expect(allowed("-- leading comment\n/* block /* nested */ */ SELECT 1")).toBe(true);
  });

  it("ignores writing words inside literals, quoted names and comments", () => {
    expect(allowed("SELECT 'DELETE FROM t' AS s")).toBe(true);
    expect(allowed("SELECT 'it''s; DROP TABLE t' AS s")).toBe(true);
    expect(allowed('SELECT "update" FROM "insert"')).toBe(true);
    expect(allowed("SELECT 1 -- DROP TABLE t")).toBe(true);
    expect(allowed("SELECT 1 /* DELETE */")).toBe(true);
    expect(allowed("SELECT $$ DELETE $$, $q$ drop $q$")).toBe(true);
    expect(allowed("SELECT E'\\' DELETE'")).toBe(true);
  });

  it("refuses statements that start with a writing keyword", () => {
    expect(allowed("DELETE FROM t")).toBe(false);
    expect(allowed("insert into t values (1)")).toBe(false);
    expect(allowed("/* SELECT */ DROP TABLE t")).toBe(false);
    expect(allowed("CREATE TABLE t (a int)")).toBe(false);
    expect(allowed("SET schema_search_path = 'x'")).toBe(false);
    expect(allowed("BEGIN")).toBe(false);
  });

  it("refuses every other writing form", () => {
    // SELECT … INTO creates a table.
    expect(allowed("SELECT * INTO t2 FROM t")).toBe(false);
    expect(allowed("WITH x AS (SELECT 1 AS a) SELECT a INTO t2 FROM x")).toBe(false);
    // COPY TO a file, temporary tables, attaching and session settings.
    expect(allowed("COPY (SELECT 1) TO '/tmp/out.csv'")).toBe(false);
    expect(allowed("COPY t TO '/tmp/out.csv' WITH (FORMAT csv)")).toBe(false);
    expect(allowed("CREATE TEMP TABLE t AS SELECT 1")).toBe(false);
    expect(allowed("CREATE TEMPORARY TABLE t (a int)")).toBe(false);
    expect(allowed("ATTACH DATABASE '/tmp/x.hyper' AS x")).toBe(false);
    expect(allowed("DETACH DATABASE x")).toBe(false);
    expect(allowed("RESET schema_search_path")).toBe(false);
    expect(allowed("set schema_search_path = 'persistent'")).toBe(false);
    expect(allowed("SELECT set_config('schema_search_path', 'persistent', false)")).toBe(false);
    expect(allowed("EXPLAIN ANALYZE CREATE TABLE t AS SELECT 1")).toBe(false);
    // The same words quoted or inside literals are harmless.
    expect(allowed('SELECT \'SELECT 1 INTO t\' AS s, "into", "reset" FROM t')).toBe(true);
    expect(checkReadOnly("SELECT a INTO t2 FROM t")).toEqual({
      ok: false,
      reason: expect.stringContaining("INTO"),
    });
  });

  it("refuses DML hidden in a CTE or under EXPLAIN ANALYZE", () => {
    expect(allowed("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d")).toBe(false);
    expect(allowed("with x as (insert into t values (1) returning a) select 1")).toBe(false);
    expect(allowed("EXPLAIN ANALYZE DELETE FROM t")).toBe(false);
  });

  it("refuses several statements, empty text and unterminated literals", () => {
    expect(allowed("SELECT 1; SELECT 2")).toBe(false);
    expect(allowed("SELECT 1; -- trailing comment")).toBe(true);
    expect(allowed("")).toBe(false);
    expect(allowed("-- only a comment")).toBe(false);
    expect(allowed("SELECT 'open")).toBe(false);
    expect(allowed("SELECT 1 /* open")).toBe(false);
  });

  it("explains why a statement was refused", () => {
    const verdict = checkReadOnly("WITH d AS (DELETE FROM t) SELECT 1");
    expect(verdict).toEqual({ ok: false, reason: expect.stringContaining("DELETE") });
  });
});

describe("scanSql", () => {
  it("lists bare words upper-cased", () => {
    expect(scanSql("select a, \"b\" from t where c = 'd'").keywords).toEqual([
      "SELECT",
      "A",
      "FROM",
      "T",
      "WHERE",
      "C",
    ]);
  });
});

describe("checkReadOnly with a NUL character", () => {
  it("refuses it before hyperd sees it (hyperd would drop the connection)", () => {
    expect(checkReadOnly("SELECT 1\0")).toEqual({
      ok: false,
      reason: "The SQL text contains a NUL character.",
    });
  });
});
