import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInspectFile } from "../../../src/tools/inspect-file.ts";
import { runLoadData } from "../../../src/tools/load-data.ts";
import { runLoadFile } from "../../../src/tools/load-file.ts";
import { runLoadFiles } from "../../../src/tools/load-files.ts";
import { runQuery } from "../../../src/tools/query.ts";
import { runQueryData } from "../../../src/tools/query-data.ts";
import { runQueryFile } from "../../../src/tools/query-file.ts";
import type { ToolContext } from "../../../src/tools/tool-context.ts";
import { errorOf, payload, testContext, writeFixture } from "./fixtures.ts";

let directory: string;
let context: ToolContext;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "hyperdb-mcp-ingest-tools-"));
  context = testContext(join(directory, "persistent.hyper"));
});

afterAll(async () => {
  await context?.engine.close();
  await rm(directory, { recursive: true, force: true });
});

async function queryRows(sql: string, database?: string): Promise<unknown> {
  return payload(await runQuery(context, sql, database)).result;
}

describe("load_data", () => {
  it("loads JSON into local and reports rows, schema, stats and resolved_database", async () => {
    const result = payload(
      await runLoadData(context, { table: "Mixed Case", data: '[{"b": 1, "a": "x"}, {"b": 2, "a": null}]' }),
    );
    expect(result).toMatchObject({
      rows: 2,
      schema: [
        { name: "a", type: "TEXT", nullable: true },
        { name: "b", type: "INTEGER", nullable: false },
      ],
      stats: { operation: "load_data", rows: 2, table: "Mixed Case", file_format: "json", bytes_stored: 0 },
      resolved_database: "local",
    });
    expect(await queryRows('SELECT b FROM "Mixed Case" ORDER BY b')).toEqual([{ b: 1 }, { b: 2 }]);
  });

  it("routes CSV to persistent with database or persist, case-insensitively", async () => {
    const first = payload(
      await runLoadData(context, { table: "p", data: "id,v\n1,a\n", format: "csv", database: "PERSISTENT" }),
    );
    expect(first.resolved_database).toBe("persistent");
    const second = payload(
      await runLoadData(context, { table: "p", data: "id,v\n2,b\n", mode: "append", persist: true }),
    );
    expect(second.rows).toBe(1);
    expect(await queryRows("SELECT id FROM p ORDER BY id", "persistent")).toEqual([{ id: 1 }, { id: 2 }]);
    // database "local" wins over persist.
    const local = payload(
      await runLoadData(context, { table: "p", data: "id\n9\n", database: "local", persist: true }),
    );
    expect(local.resolved_database).toBe("local");
    expect(await queryRows("SELECT id FROM p")).toEqual([{ id: 9 }]);
  });

  it("maps failures to the contract's codes", async () => {
    expect(errorOf(await runLoadData(context, { table: "e", data: "" })).code).toBe("EMPTY_DATA");
    expect(errorOf(await runLoadData(context, { table: "e", data: "[]" })).code).toBe("EMPTY_DATA");
    expect(errorOf(await runLoadData(context, { table: "e", data: '[{"a":1}]', schema: "{bad" })).code).toBe(
      "SCHEMA_MISMATCH",
    );
    expect(
      errorOf(await runLoadData(context, { table: "e", data: '[{"a":1}]', schema: { z: "INT" } })),
    ).toMatchObject({
      code: "SCHEMA_MISMATCH",
      message: "Schema override references unknown column 'z'. Known columns: a",
    });
    expect(
      errorOf(await runLoadData(context, { table: "e", data: '[{"a":1}]', schema: { a: "BLOB" } })),
    ).toMatchObject({
      code: "SCHEMA_MISMATCH",
      message: "Unknown type 'BLOB' for column 'a'",
    });
    expect(
      errorOf(await runLoadData(context, { table: "e", data: '[{"a":1}]', database: "nope" })).code,
    ).toBe("INVALID_ARGUMENT");
    // A value that does not fit an overridden type fails during COPY: nothing is left behind.
    const failed = errorOf(
      await runLoadData(context, { table: "e", data: "a\nx\n", schema: '{"a": "INT"}' }),
    );
    expect(failed.code).not.toBe("INTERNAL_ERROR");
    expect(
      await queryRows("SELECT count(*)::int AS n FROM pg_catalog.pg_tables WHERE tablename = 'e'"),
    ).toEqual([{ n: 0 }]);
  });

  it("is refused in read-only mode before anything runs", async () => {
    const readOnly = testContext(null, { readOnly: true });
    expect(errorOf(await runLoadData(readOnly, { table: "t", data: "[]" })).code).toBe("READ_ONLY_VIOLATION");
    expect(errorOf(await runLoadFile(readOnly, { table: "t", path: "x" })).code).toBe("READ_ONLY_VIOLATION");
    expect(errorOf(await runLoadFiles(readOnly, { files: [] })).code).toBe("READ_ONLY_VIOLATION");
    expect(readOnly.engine.snapshot().connections.open).toBe(0);
    await readOnly.engine.close();
  });
});

describe("load_file", () => {
  it("validates path and merge arguments", async () => {
    expect(errorOf(await runLoadFile(context, { table: "t", path: "rel/x.csv" }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: "Input path 'rel/x.csv' must be absolute",
    });
    expect(errorOf(await runLoadFile(context, { table: "t", path: join(directory, "none.csv") })).code).toBe(
      "FILE_NOT_FOUND",
    );
    const path = await writeFixture(directory, "k.csv", "id,v\n1,a\n");
    expect(errorOf(await runLoadFile(context, { table: "t", path, mode: "merge" })).code).toBe(
      "INVALID_ARGUMENT",
    );
    expect(errorOf(await runLoadFile(context, { table: "t", path, merge_key: "id" })).code).toBe(
      "INVALID_ARGUMENT",
    );
    expect(errorOf(await runLoadFile(context, { table: "t", path, mode: "merge", merge_key: [] })).code).toBe(
      "INVALID_ARGUMENT",
    );
  });

  it("merges into persistent and reports schema_changed", async () => {
    const a = await writeFixture(directory, "ma.json", '[{"id": 1, "v": "a"}, {"id": 2, "v": "b"}]');
    const b = await writeFixture(
      directory,
      "mb.jsonl",
      '{"id": 2, "v": "B", "w": 1.5}\n{"id": 3, "v": "c"}\n',
    );
    const created = payload(
      await runLoadFile(context, { table: "m", path: a, mode: "merge", merge_key: "id", persist: true }),
    );
    expect(created.stats).toMatchObject({ schema_changed: true, file_format: "json" });
    const merged = payload(
      await runLoadFile(context, {
        table: "m",
        path: b,
        mode: "merge",
        merge_key: ["id"],
        database: "persistent",
      }),
    );
    expect(merged).toMatchObject({ rows: 2, stats: { schema_changed: true, file_format: "jsonl" } });
    expect(await queryRows("SELECT id, v, w FROM m ORDER BY id", "persistent")).toEqual([
      { id: 1, v: "a", w: null },
      { id: 2, v: "B", w: 1.5 },
      { id: 3, v: "c", w: null },
    ]);
  });

  it("loads Parquet (replace twice into persistent) and Arrow, rejecting Arrow overrides", async () => {
    const parquet = join(directory, "p.parquet");
    await context.engine.use((connection) =>
      connection.execute(
        `COPY (SELECT g AS id, g * 2 AS twice FROM generate_series(1, 10) AS s(g)) TO '${parquet}' WITH (FORMAT parquet)`,
      ),
    );
    for (let i = 0; i < 2; i += 1) {
      expect(payload(await runLoadFile(context, { table: "pq", path: parquet, persist: true })).rows).toBe(
        10,
      );
    }
    const arrow = await writeFixture(
      directory,
      "a.feather",
      tableToIPC(tableFromArrays({ x: Int32Array.from([1, 2]) }), "file"),
    );
    expect(payload(await runLoadFile(context, { table: "ar", path: arrow })).stats).toMatchObject({
      file_format: "arrow_ipc",
    });
    expect(
      errorOf(await runLoadFile(context, { table: "ar", path: arrow, schema: { x: "BIGINT" } })).code,
    ).toBe("SCHEMA_MISMATCH");
  });
});

describe("load_files", () => {
  it("loads in parallel, reports per-file failures with CamelCase codes", async () => {
    const files = await Promise.all(
      Array.from({ length: 6 }, (_, i) => writeFixture(directory, `f${i}.csv`, `n\n${i}\n${i + 1}\n`)),
    );
    const bad = await writeFixture(directory, "bad.jsonl", '{"a": 1}\nnope\n');
    const result = payload(
      await runLoadFiles(context, {
        files: [...files.map((path, i) => ({ table: `f${i}`, path })), { table: "bad", path: bad }],
        persist: true,
      }),
    );
    expect(result.summary).toEqual({ total: 7, succeeded: 6, failed: 1, concurrency: 7 });
    const results = result.results as Record<string, unknown>[];
    expect(results[0]).toMatchObject({ table: "f0", rows: 2 });
    expect(results[6]).toMatchObject({
      table: "bad",
      error: { code: "SchemaMismatch", message: expect.stringContaining("Invalid JSON on line 2") },
    });
    expect(result.resolved_database).toBe("persistent");
    expect(await queryRows("SELECT sum(n)::int AS s FROM f5", "persistent")).toEqual([{ s: 11 }]);
  });

  it("checks every path first and refuses empty lists and merge", async () => {
    const good = await writeFixture(directory, "g.csv", "n\n1\n");
    expect(errorOf(await runLoadFiles(context, { files: [] })).code).toBe("EMPTY_DATA");
    expect(
      errorOf(
        await runLoadFiles(context, { files: [{ table: "g", path: good, mode: "merge", merge_key: "n" }] }),
      ).code,
    ).toBe("INVALID_ARGUMENT");
    expect(
      errorOf(
        await runLoadFiles(context, {
          files: [
            { table: "g", path: good },
            { table: "h", path: join(directory, "missing.csv") },
          ],
        }),
      ),
    ).toMatchObject({ code: "FILE_NOT_FOUND", message: expect.stringMatching(/^entry 1 \(table 'h'\): /) });
    expect(
      await queryRows("SELECT count(*)::int AS n FROM pg_catalog.pg_tables WHERE tablename = 'g'"),
    ).toEqual([{ n: 0 }]);
  });
});

describe("query_data and query_file", () => {
  it("runs the SQL unchanged over a temporary table that shadows a stored one", async () => {
    payload(await runLoadData(context, { table: "data", data: '[{"stored": 1}]' }));
    const result = payload(
      await runQueryData(context, {
        data: '[{"data_val": 2, "k": "a"}, {"data_val": 3, "k": "a"}]',
        sql: "SELECT k, sum(data_val)::int AS total FROM data GROUP BY k",
      }),
    );
    expect(result).toMatchObject({
      sql: "SELECT k, sum(data_val)::int AS total FROM data GROUP BY k",
      result: [{ k: "a", total: 5 }],
      stats: { operation: "query_data", rows: 2, table: "data" },
    });
    expect(result.resolved_database).toBeUndefined();
    // The stored table is untouched and the temporary one is gone.
    expect(await queryRows("SELECT * FROM data")).toEqual([{ stored: 1 }]);
  });

  it("names the table after the file stem, refuses writes and reports SQL errors", async () => {
    const path = await writeFixture(directory, "sales.csv", "region,amount\neu,10\nus,5\neu,1\n");
    expect(
      payload(
        await runQueryFile(context, {
          path,
          sql: "SELECT region, sum(amount)::int AS s FROM sales GROUP BY 1 ORDER BY 1",
        }),
      ).result,
    ).toEqual([
      { region: "eu", s: 11 },
      { region: "us", s: 5 },
    ]);
    expect(errorOf(await runQueryFile(context, { path, sql: "DROP TABLE sales" })).code).toBe("SQL_ERROR");
    expect(errorOf(await runQueryFile(context, { path, sql: "SELECT nope FROM sales" })).code).not.toBe(
      "INTERNAL_ERROR",
    );
    expect(errorOf(await runQueryFile(context, { path: "sales.csv", sql: "SELECT 1" })).code).toBe(
      "INVALID_ARGUMENT",
    );
    expect(errorOf(await runQueryData(context, { data: " ", sql: "SELECT 1" })).code).toBe("EMPTY_DATA");
    // After a failing query the temporary table is gone from every pooled connection.
    expect(
      await queryRows("SELECT count(*)::int AS n FROM pg_catalog.pg_tables WHERE tablename = 'sales'"),
    ).toEqual([{ n: 0 }]);
  });
});

describe("query_file on binary formats", () => {
  it("queries Parquet and Arrow files through a temporary table", async () => {
    const parquet = join(directory, "metrics.parquet");
    await context.engine.use((connection) =>
      connection.execute(
        `COPY (SELECT g AS v FROM generate_series(1, 100) AS s(g)) TO '${parquet}' WITH (FORMAT parquet)`,
      ),
    );
    expect(
      payload(await runQueryFile(context, { path: parquet, sql: "SELECT sum(v)::int AS s FROM metrics" })),
    ).toMatchObject({
      result: [{ s: 5050 }],
      stats: { operation: "query_file", rows: 100, file_format: "parquet", table: "metrics" },
    });
    const arrow = await writeFixture(
      directory,
      "points.arrow",
      tableToIPC(tableFromArrays({ x: Float64Array.from([1.5, 2.5]) }), "stream"),
    );
    expect(
      payload(
        await runQueryFile(context, { path: arrow, sql: "SELECT sum(x) AS s FROM pts", table_name: "pts" }),
      ).result,
    ).toEqual([{ s: 4 }]);
  });
});

describe("inspect_file", () => {
  it("profiles CSV with widened types, nulls and min/max", async () => {
    const lines = ["id,name,when"];
    for (let i = 1; i <= 1200; i += 1)
      lines.push(`${i},n${i},2024-01-${String((i % 28) + 1).padStart(2, "0")}`);
    lines.push("5000000000,,NA");
    const path = await writeFixture(directory, "inspect.csv", `${lines.join("\n")}\n`);
    const result = payload(await runInspectFile(context, { path, sample_rows: 2 }));
    expect(result).toMatchObject({
      row_count: 1201,
      file_format: "csv",
      sample_rows: [
        { id: "1", name: "n1", when: "2024-01-02" },
        { id: "2", name: "n2", when: "2024-01-03" },
      ],
    });
    const columns = result.columns as Record<string, unknown>[];
    expect(columns[0]).toMatchObject({
      name: "id",
      type: "BIGINT",
      null_count: 0,
      min: "1",
      max: "5000000000",
      min_f64: 1,
    });
    expect(columns[1]).toMatchObject({ name: "name", type: "TEXT", null_count: 1 });
    expect(columns[2]).toMatchObject({
      name: "when",
      type: "DATE",
      null_count: 1,
      min: "2024-01-01",
      max: "2024-01-28",
    });
  });

  it("tells JSON from JSONL, reads Parquet and reports missing files", async () => {
    const array = await writeFixture(directory, "i.json", '[{"a": 1}, {"a": null, "b": "x"}]');
    expect(payload(await runInspectFile(context, { path: array }))).toMatchObject({
      file_format: "json",
      row_count: 2,
      columns: [
        { name: "a", type: "INTEGER", nullable: true, null_count: 1 },
        { name: "b", type: "TEXT", nullable: true, null_count: 1 },
      ],
    });
    const lines = await writeFixture(directory, "i.log", '{"a": 1}\n{"a": 2}\n');
    expect(payload(await runInspectFile(context, { path: lines })).file_format).toBe("jsonl");
    const parquet = join(directory, "i.parquet");
    await context.engine.use((connection) =>
      connection.execute(
        `COPY (SELECT g AS id, CASE WHEN g % 2 = 0 THEN NULL ELSE 'x' END AS t FROM generate_series(1, 10) AS s(g)) TO '${parquet}' WITH (FORMAT parquet)`,
      ),
    );
    expect(payload(await runInspectFile(context, { path: parquet }))).toMatchObject({
      file_format: "parquet",
      row_count: 10,
      columns: [
        { name: "id", type: "INTEGER", null_count: 0, min_f64: 1, max_f64: 10 },
        { name: "t", type: "TEXT", null_count: 5 },
      ],
    });
    expect(errorOf(await runInspectFile(context, { path: join(directory, "gone.csv") })).code).toBe(
      "FILE_NOT_FOUND",
    );
  });
});
