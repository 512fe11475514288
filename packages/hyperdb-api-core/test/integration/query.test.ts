import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Connection, HyperError, SqlState, TypeOid } from "../../src/index.ts";
import { connectToTestHyperd } from "./test-hyperd.ts";

/** A statement that keeps hyperd busy for several seconds. */
const SLOW_QUERY =
  "SELECT count(*) FROM (SELECT a.x FROM generate_series(1, 300000) a(x), generate_series(1, 30000) b(y)) s";

describe("queries", () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await connectToTestHyperd();
  });

  afterAll(async () => {
    await connection.close();
  });

  it.each([2, 1, 0] as const)("decodes int, bigint, double and text in result format %i", async (format) => {
    const { rows, columns, command } = await connection
      .query(
        "SELECT 1::int AS i, 9007199254740993::bigint AS b, 1.5::double precision AS d, 'héllo'::text AS t",
        {
          format,
        },
      )
      .all();
    expect(rows).toEqual([[1, 9007199254740993n, 1.5, "héllo"]]);
    expect(columns.map((c) => [c.name, c.typeOid])).toEqual([
      ["i", TypeOid.int4],
      ["b", TypeOid.int8],
      ["d", TypeOid.float8],
      ["t", TypeOid.text],
    ]);
    expect(command).toBe("SELECT 1");
  });

  it("runs simple queries with text-decoded values", async () => {
    const [result] = await connection.simpleQuery("SELECT 42::bigint AS answer, NULL::text AS nothing");
    expect(result?.rows).toEqual([[42n, null]]);
    expect(result?.command).toBe("SELECT 1");
  });

  it("binds parameters of every JS kind without splicing them into the SQL", async () => {
    const { rows } = await connection
      .query(
        "SELECT $1::int + 1, $2::bigint * 2, $3::double precision, $4::text, $5::boolean, $6::bytea, $7::text IS NULL",
        {
          params: [41, 2n ** 61n, 0.25, "it's; DROP TABLE x --", true, new Uint8Array([0, 1, 255]), null],
        },
      )
      .all();
    expect(rows).toEqual([
      [42, 2n ** 62n, 0.25, "it's; DROP TABLE x --", true, new Uint8Array([0, 1, 255]), true],
    ]);
  });

  it("types untyped string parameters from their context", async () => {
    const { rows } = await connection
      .query("SELECT $1 = 'abc', $2::date", { params: ["abc", "2024-06-15"] })
      .all();
    expect(rows[0]?.[0]).toBe(true);
    expect(String(rows[0]?.[1])).toBe("2024-06-15");
  });

  it("keeps NUMERIC parameters exact (sent as text, never as float)", async () => {
    const { rows } = await connection
      .query("SELECT $1::numeric(38,10) + $2::numeric(38,10)", {
        params: ["12345678901234567890.0123456789", "0.0000000001"],
      })
      .all();
    expect(rows).toEqual([["12345678901234567890.0123456790"]]);
  });

  it("runs prepared statements many times", async () => {
    await using statement = await connection.prepare("SELECT $1::int * 2 AS doubled");
    // hyperd echoes the declared parameter types; undeclared ones stay 0 (inferred per call)
    expect(statement.parameterTypes).toEqual([0]);
    expect(statement.columns.map((c) => c.name)).toEqual(["doubled"]);
    for (const n of [1, 2, 3]) {
      expect((await statement.query([n]).all()).rows).toEqual([[n * 2]]);
    }
    await using typed = await connection.prepare("SELECT $1 || '!' AS shout", [TypeOid.text]);
    expect(typed.parameterTypes).toEqual([TypeOid.text]);
    expect((await typed.query(["hey"]).all()).rows).toEqual([["hey!"]]);
  });

  it("runs operations started together in order on one connection", async () => {
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => connection.query(`SELECT ${n}`).all()));
    expect(results.map((r) => r.rows[0]?.[0])).toEqual([1, 2, 3, 4, 5]);
  });

  it("streams a large result in batches", async () => {
    let count = 0;
    let sum = 0n;
    let largestBatch = 0;
    const result = connection.query("SELECT x::bigint FROM generate_series(1, 200000) t(x)", {
      batchSize: 1000,
    });
    for await (const batch of result.batches()) {
      largestBatch = Math.max(largestBatch, batch.length);
      for (const row of batch) {
        count++;
        sum += row[0] as bigint;
      }
    }
    expect(count).toBe(200000);
    expect(sum).toBe((200000n * 200001n) / 2n);
    expect(largestBatch).toBeLessThanOrEqual(1000);
    expect(result.rowCount).toBe(200000);
  });

  it("cancels the statement when a loop is left early, and the connection stays usable", async () => {
    const cancels = vi.spyOn(connection, "cancel");
    const started = performance.now();
    let seen = 0;
    try {
      for await (const row of connection.query("SELECT x FROM generate_series(1, 100000000) t(x)")) {
        expect(typeof row[0]).toBe("number");
        if (++seen === 10) break;
      }
      expect(cancels).toHaveBeenCalledTimes(1);
    } finally {
      cancels.mockRestore();
    }
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((await connection.query("SELECT 'still usable'").all()).rows).toEqual([["still usable"]]);
  });

  it("leaving a loop after the statement completed sends no cancel request", async () => {
    // hyperd answers Sync with a write of its own, so ReadyForQuery often arrives after the rows
    // and CommandComplete were handed out; a cancel then could only race the next statement.
    const cancels = vi.spyOn(connection, "cancel");
    try {
      for (let round = 0; round < 200; round++) {
        for await (const row of connection.query(`SELECT ${round} AS n`)) {
          expect(row[0]).toBe(round);
          break;
        }
        for await (const _batch of connection.query("SELECT x FROM generate_series(1, 3) t(x)").batches())
          break;
      }
      expect(cancels).not.toHaveBeenCalled();
    } finally {
      cancels.mockRestore();
    }
  });

  it("leaving a loop early inside a transaction drains instead of cancelling, so the transaction survives", async () => {
    await connection.execute("BEGIN");
    for (let round = 0; round < 20; round++) {
      for await (const _row of connection.query("SELECT x FROM generate_series(1, 3) t(x)")) break;
      for await (const _row of connection.query("SELECT x FROM generate_series(1, 200000) t(x)")) break;
      expect(connection.transactionStatus).toBe("transaction");
    }
    await connection.execute("COMMIT");
    expect(connection.transactionStatus).toBe("idle");
  });

  it("cancels a running statement through an AbortSignal (57014) and stays usable", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = performance.now();
    const outcome = await connection
      .query(SLOW_QUERY, { signal: controller.signal })
      .all()
      .catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(HyperError);
    expect((outcome as HyperError).sqlstate).toBe(SqlState.queryCanceled);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((await connection.query("SELECT 7").all()).rows).toEqual([[7]]);
  });

  it("treats a cancel while idle as harmless", async () => {
    await connection.cancel();
    expect((await connection.query("SELECT 8").all()).rows).toEqual([[8]]);
  });

  it("reports commands without rows", async () => {
    const { columns, rows, command } = await connection.query("SET TIME ZONE 'UTC'").all();
    expect(columns).toEqual([]);
    expect(rows).toEqual([]);
    expect(command).toBe("SET");
  });

  it("describes NUMERIC precision and scale in the column typmod", async () => {
    const { columns, rows } = await connection.query("SELECT 12.34::numeric(10,2) AS amount").all();
    expect(columns[0]?.typmod).toBe(((10 << 16) | 2) + 4);
    expect(rows).toEqual([["12.34"]]);
  });
});
