import { describe, expect, it } from "vitest";
import { type BatchVerdict, classifyStatement, firstKeyword, validateBatch } from "./statement-kind.ts";

function refusal(verdict: BatchVerdict): { code: string; message: string } {
  if (verdict.ok) {
    throw new Error("expected the batch to be refused");
  }
  return { code: verdict.code, message: verdict.message };
}

describe("classifyStatement", () => {
  it("classifies by the first keyword after whitespace and comments", () => {
    expect(firstKeyword("  -- note\n /* a /* nested */ b */ insert into t values (1)")).toBe("INSERT");
    expect(classifyStatement("CREATE TABLE t (a int)")).toBe("ddl");
    expect(classifyStatement("drop table t")).toBe("ddl");
    expect(classifyStatement("ALTER TABLE t ADD COLUMN b int")).toBe("ddl");
    expect(classifyStatement("TRUNCATE t")).toBe("ddl");
    expect(classifyStatement("INSERT INTO t VALUES (1)")).toBe("dml");
    expect(classifyStatement("UPDATE t SET a = 2")).toBe("dml");
    expect(classifyStatement("DELETE FROM t")).toBe("dml");
    expect(classifyStatement("COPY t FROM '/tmp/x.csv'")).toBe("dml");
    expect(classifyStatement("SELECT 1")).toBe("read");
    expect(classifyStatement("VALUES (1)")).toBe("read");
    expect(classifyStatement("BEGIN")).toBe("transaction");
    expect(classifyStatement("SET schema_search_path = 'x'")).toBe("session");
    expect(classifyStatement("   \n\t")).toBe("empty");
    expect(classifyStatement("-- nothing")).toBe("empty");
    expect(classifyStatement("GRANT SELECT ON t TO u")).toBe("other");
  });

  it("sees data-modifying CTEs and SELECT INTO as writes", () => {
    expect(classifyStatement("WITH s AS (SELECT 1 AS a) INSERT INTO t SELECT a FROM s")).toBe("dml");
    expect(classifyStatement("SELECT * INTO t2 FROM t")).toBe("ddl");
    // A comment hiding a DROP is not read-only.
    expect(classifyStatement("/* SELECT */ DROP TABLE t")).toBe("ddl");
  });
});

describe("validateBatch", () => {
  it("refuses an empty array and empty or comment-only elements", () => {
    expect(refusal(validateBatch([])).code).toBe("INVALID_ARGUMENT");
    expect(refusal(validateBatch(["INSERT INTO t VALUES (1)", "   "]))).toEqual({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("`sql[1]`"),
    });
    expect(refusal(validateBatch(["/* only */ -- comments"])).code).toBe("INVALID_ARGUMENT");
  });

  it("refuses read-only elements with SQL_ERROR", () => {
    expect(refusal(validateBatch(["INSERT INTO t VALUES (1)", "SELECT * FROM t"]))).toEqual({
      code: "SQL_ERROR",
      message: expect.stringMatching(/^`sql\[1\]` is a read-only statement/),
    });
    expect(refusal(validateBatch(["WITH x AS (SELECT 1) SELECT * FROM x"])).code).toBe("SQL_ERROR");
  });

  it("refuses transaction control, in a batch and alone", () => {
    for (const keyword of [
      "BEGIN",
      "START TRANSACTION",
      "COMMIT",
      "END",
      "ROLLBACK",
      "ABORT",
      "SAVEPOINT s",
      "RELEASE s",
    ]) {
      expect(refusal(validateBatch([keyword])).code).toBe("INVALID_ARGUMENT");
      expect(refusal(validateBatch(["INSERT INTO t VALUES (1)", keyword])).code).toBe("INVALID_ARGUMENT");
    }
  });

  it("refuses ATTACH, DETACH, SET and RESET", () => {
    for (const sql of [
      "ATTACH DATABASE '/x.hyper' AS x",
      "DETACH DATABASE x",
      "SET schema_search_path = 'x'",
      "RESET ALL",
      "SELECT set_config('schema_search_path', 'x', false)",
    ]) {
      expect(refusal(validateBatch([sql]))).toEqual({
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining("pooled connection"),
      });
    }
  });

  it("refuses DDL mixed with DML and more than one DDL", () => {
    expect(refusal(validateBatch(["CREATE TABLE t (a int)", "INSERT INTO t VALUES (1)"]))).toEqual({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("mixes DDL"),
    });
    expect(refusal(validateBatch(["CREATE TABLE a (x int)", "CREATE TABLE b (x int)"]))).toEqual({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("2 DDL statements"),
    });
  });

  it("accepts one DDL, several DML, unknown kinds and trailing semicolons", () => {
    expect(validateBatch(["CREATE TABLE t (a int);"])).toEqual({ ok: true, kinds: ["ddl"] });
    expect(
      validateBatch(["INSERT INTO t VALUES (1);", "UPDATE t SET a = 2", "DELETE FROM t WHERE a = 3"]),
    ).toEqual({
      ok: true,
      kinds: ["dml", "dml", "dml"],
    });
    expect(validateBatch(["GRANT SELECT ON t TO u", "INSERT INTO t VALUES (1)"])).toEqual({
      ok: true,
      kinds: ["other", "dml"],
    });
    expect(validateBatch(["CREATE TABLE t (a int)", "COMMENT ON TABLE t IS 'x'"]).ok).toBe(true);
  });
});

describe("validateBatch with a NUL character", () => {
  it("refuses the statement that has one as INVALID_ARGUMENT, naming it", () => {
    expect(refusal(validateBatch(["CREATE TABLE t (a text)", "INSERT INTO t VALUES ('a\0')"]))).toEqual({
      code: "INVALID_ARGUMENT",
      message: "`sql[1]` contains a NUL character.",
    });
  });
});
