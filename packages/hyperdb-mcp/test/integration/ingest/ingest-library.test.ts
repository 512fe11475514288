import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Connection } from "@hyperdb-ts/hyperdb-api";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ingest } from "../../../src/ingest/ingest.ts";
import { IngestError } from "../../../src/ingest/ingest-error.ts";
import { prepareFileSource, prepareInlineSource } from "../../../src/ingest/ingest-source.ts";
import { resolveInputFile } from "../../../src/ingest/input-path.ts";
import { parseSchemaArgument } from "../../../src/ingest/schema-override.ts";
import { temporaryTable, userTable } from "../../../src/ingest/table-ref.ts";

let directory: string;
let connection: Connection;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "hyperdb-mcp-ingest-"));
  const hyperd = inject("hyperd");
  connection = await Connection.connect({
    endpoint: `${hyperd.host}:${hyperd.port}`,
    database: join(directory, "scratch.hyper"),
    alias: "scratch",
    createMode: "CreateAndReplace",
  });
  await connection.attachDatabase(join(directory, "persistent.hyper"), {
    alias: "persistent",
    createMode: "CreateAndReplace",
  });
  await connection.setPrimaryDatabase("scratch");
});

afterAll(async () => {
  await connection?.close();
  await rm(directory, { recursive: true, force: true });
});

async function fixture(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, content);
  return path;
}

async function loadFile(
  alias: string,
  table: string,
  path: string,
  mode: "replace" | "append" | "merge" = "replace",
  options: { schema?: unknown; keys?: string[]; extract?: string } = {},
) {
  const source = await prepareFileSource(await resolveInputFile(path), {
    overrides: parseSchemaArgument(options.schema),
    jsonExtractPath: options.extract,
  });
  try {
    return await ingest(connection, userTable(alias, table), source, mode, options.keys);
  } finally {
    await source.cleanup();
  }
}

function rowsOf(sql: string): Promise<Record<string, unknown>[]> {
  return connection.fetchAll<Record<string, unknown>>(sql);
}

async function tableNames(alias: string): Promise<string[]> {
  const rows = await rowsOf(
    `SELECT tablename FROM "${alias}"."pg_catalog"."pg_tables" WHERE schemaname = 'public' ORDER BY tablename`,
  );
  return rows.map((row) => String(row.tablename));
}

describe("JSON ingest", () => {
  it("loads inline JSON with exact integers, nested values as JSON text, alphabetical columns", async () => {
    const source = await prepareInlineSource(
      JSON.stringify([
        {
          name: "a",
          id: 1,
          big: 9007199254740993n.toString(),
          nested: { x: [1, 2] },
          flag: true,
          day: "2024-01-02",
        },
        { name: "b", id: 2, score: 1.5, flag: false, day: "2024-01-03" },
      ]).replace('"9007199254740993"', "9007199254740993"),
      "json",
      undefined,
    );
    const outcome = await ingest(connection, userTable("scratch", "people"), source, "replace");
    expect(outcome.rows).toBe(2);
    expect(outcome.schema).toEqual([
      { name: "big", type: "BIGINT", nullable: true },
      { name: "day", type: "DATE", nullable: false },
      { name: "flag", type: "BOOLEAN", nullable: false },
      { name: "id", type: "INTEGER", nullable: false },
      { name: "name", type: "TEXT", nullable: false },
      { name: "nested", type: "TEXT", nullable: true },
      { name: "score", type: "DOUBLE PRECISION", nullable: true },
    ]);
    const rows = await rowsOf("SELECT big::text AS big, nested, day::text AS day FROM people ORDER BY id");
    expect(rows).toEqual([
      { big: "9007199254740993", nested: '{"x":[1,2]}', day: "2024-01-02" },
      { big: null, nested: null, day: "2024-01-03" },
    ]);
  });

  it("appends and reports the table's actual schema, and applies overrides", async () => {
    const first = await prepareInlineSource('[{"id": 1, "v": "x"}, {"id": 2, "v": "y"}]', "json", undefined);
    await ingest(connection, userTable("scratch", "acc"), first, "replace");
    const second = await prepareInlineSource('[{"id": 3, "v": "2024-01-01"}]', "json", undefined);
    const outcome = await ingest(connection, userTable("scratch", "acc"), second, "append");
    expect(outcome.rows).toBe(1);
    // The table's schema, not the incoming one (which infers "v" as DATE).
    expect(outcome.schema).toEqual([
      { name: "id", type: "INTEGER", nullable: false },
      { name: "v", type: "TEXT", nullable: false },
    ]);
    expect(await rowsOf("SELECT count(*)::int AS n FROM acc")).toEqual([{ n: 3 }]);
    const missing = await prepareInlineSource('[{"id": 4}]', "json", undefined);
    await expect(ingest(connection, userTable("scratch", "acc"), missing, "append")).rejects.toMatchObject({
      code: "SCHEMA_MISMATCH",
    });
    expect(await rowsOf("SELECT count(*)::int AS n FROM acc")).toEqual([{ n: 3 }]);

    const overridden = await prepareInlineSource(
      '[{"id": 1}]',
      "json",
      parseSchemaArgument('{"id": "text"}'),
    );
    const result = await ingest(connection, userTable("scratch", "ov"), overridden, "replace");
    expect(result.schema).toEqual([{ name: "id", type: "TEXT", nullable: false }]);
    expect(await rowsOf("SELECT id FROM ov")).toEqual([{ id: "1" }]);
  });

  it("loads 1,000 rows in bulk quickly", async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      id: i,
      name: `n${i}`,
      score: i / 3,
      ok: i % 2 === 0,
    }));
    const started = performance.now();
    const source = await prepareInlineSource(JSON.stringify(rows), "json", undefined);
    const outcome = await ingest(connection, userTable("scratch", "bulk"), source, "replace");
    const elapsed = performance.now() - started;
    expect(outcome.rows).toBe(1000);
    // Generous bound for a shared machine; the one-INSERT-per-row approach takes about a second.
    expect(elapsed).toBeLessThan(500);
    expect(await rowsOf("SELECT sum(id)::bigint AS s FROM bulk")).toEqual([{ s: 499500n }]);
  });

  it("reads JSON array, JSONL and sniffed .log files, and reports the bad JSONL line", async () => {
    const array = await fixture("rows.json", '[{"a": 1}, {"a": 2}]');
    expect((await loadFile("scratch", "arr", array)).rows).toBe(2);
    const lines = await fixture("rows.jsonl", '{"a": 1}\n\n{"a": 2, "b": "x"}\n');
    const outcome = await loadFile("scratch", "lines", lines);
    expect(outcome.rows).toBe(2);
    expect(outcome.schema.map((c) => c.nullable)).toEqual([false, true]);
    const log = await fixture("app.log", '{"level": "info"}\n{"level": "warn"}\n');
    expect((await loadFile("scratch", "logs", log)).rows).toBe(2);
    const bad = await fixture("bad.jsonl", '{"a": 1}\n{"a": 2\n');
    await expect(loadFile("scratch", "bad", bad)).rejects.toMatchObject({
      code: "SCHEMA_MISMATCH",
      message: expect.stringMatching(/^Invalid JSON on line 2: /),
    });
    expect(await tableNames("scratch")).not.toContain("bad");
  });

  it("extracts rows below json_extract_path", async () => {
    const path = await fixture(
      "wrapped.json",
      JSON.stringify({ data: { items: JSON.stringify([{ k: 1 }, { k: 2 }]) } }),
    );
    expect((await loadFile("scratch", "wrapped", path, "replace", { extract: "data.items" })).rows).toBe(2);
    await expect(
      loadFile("scratch", "wrapped2", path, "replace", { extract: "data.nope" }),
    ).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });
});

describe("CSV ingest", () => {
  it("loads through COPY: empty cells NULL, quoted empty strings kept, NA/null tokens NULL", async () => {
    const path = await fixture("cells.csv", 'id,name,score\n1,"",1.5\n2,,NA\nnull,x,2\n');
    const outcome = await loadFile("scratch", "cells", path);
    expect(outcome.rows).toBe(3);
    expect(outcome.schema).toEqual([
      { name: "id", type: "INTEGER", nullable: true },
      { name: "name", type: "TEXT", nullable: true },
      { name: "score", type: "DOUBLE PRECISION", nullable: true },
    ]);
    expect(await rowsOf("SELECT id, name, score FROM cells ORDER BY score NULLS FIRST")).toEqual([
      { id: 2, name: null, score: null },
      { id: 1, name: "", score: 1.5 },
      { id: null, name: "x", score: 2 },
    ]);
  });

  it("widens late big values and loads them exactly", async () => {
    const lines = ["a,b,c"];
    for (let i = 0; i < 1500; i += 1) lines.push(`${i},${i},${i}`);
    lines.push("9223372036854775807,99999999999999999999,3.5");
    const outcome = await loadFile("scratch", "wide", await fixture("wide.csv", `${lines.join("\n")}\n`));
    expect(outcome.schema.map((c) => c.type)).toEqual(["BIGINT", "NUMERIC(38,0)", "DOUBLE PRECISION"]);
    expect(await rowsOf("SELECT a::text AS a, b::text AS b FROM wide WHERE c = 3.5")).toEqual([
      { a: "9223372036854775807", b: "99999999999999999999" },
    ]);
  });

  it("types a large CSV from its first rows, and widens and loads again when a late value does not fit", async () => {
    // Over 1 MiB: the first attempt uses types from the first rows only.
    const lines = ["a,b,c,d"];
    for (let i = 0; i < 60_000; i += 1) lines.push(`${i},${i % 100},${i},2020-01-01`);
    const plain = await fixture("plain-large.csv", `${lines.join("\n")}\n`);
    const first = await loadFile("scratch", "large_plain", plain);
    expect(first.rows).toBe(60_000);
    expect(first.schema.map((c) => c.type)).toEqual(["INTEGER", "INTEGER", "INTEGER", "DATE"]);
    lines.push("9223372036854775807,2.5,NA,2020-01-02");
    const late = await fixture("late-large.csv", `${lines.join("\n")}\n`);
    for (const mode of ["replace", "append", "merge"] as const) {
      const table = `large_late_${mode}`;
      const outcome = await loadFile(
        "persistent",
        table,
        late,
        mode,
        mode === "merge" ? { keys: ["a"] } : {},
      );
      expect(outcome.rows).toBe(60_001);
      expect(outcome.schema.map((c) => c.type)).toEqual(["BIGINT", "DOUBLE PRECISION", "INTEGER", "DATE"]);
      expect(
        await rowsOf(`SELECT a::text AS a, b, c FROM persistent.public.${table} WHERE d = DATE '2020-01-02'`),
      ).toEqual([{ a: "9223372036854775807", b: 2.5, c: null }]);
    }
    expect((await tableNames("persistent")).filter((name) => name.startsWith("_hyperdb_"))).toEqual([]);
  });

  it("loads inline CSV and rejects empty data", async () => {
    const source = await prepareInlineSource("x,y\n1,a\n2,\n", "csv", undefined);
    const outcome = await ingest(connection, userTable("scratch", "inline_csv"), source, "replace");
    await source.cleanup();
    expect(outcome.rows).toBe(2);
    await expect(prepareInlineSource("   ", "csv", undefined)).rejects.toMatchObject({ code: "EMPTY_DATA" });
    await expect(prepareInlineSource("x,y\n", "csv", undefined)).rejects.toMatchObject({
      code: "EMPTY_DATA",
    });
  });

  it("keeps the old table when a replace fails, and leaves no staging table", async () => {
    const good = await fixture("good.csv", "id,v\n1,a\n2,b\n");
    await loadFile("scratch", "keep", good);
    const bad = await fixture("bad.csv", "id,v\n1,a\nx,b\n");
    // Forcing INTEGER on a column holding "x" fails inside hyperd's COPY.
    await expect(loadFile("scratch", "keep", bad, "replace", { schema: { id: "INT" } })).rejects.toThrow();
    expect(await rowsOf("SELECT count(*)::int AS n FROM keep")).toEqual([{ n: 2 }]);
    expect((await tableNames("scratch")).filter((name) => name.startsWith("_hyperdb_"))).toEqual([]);
  });
});

describe("Parquet and Arrow ingest", () => {
  it("loads Parquet into persistent in replace and append mode, with casts for overrides", async () => {
    const path = join(directory, "big.parquet");
    await connection.execute(
      `COPY (SELECT g AS id, 'n' || g AS name, (g % 7)::numeric(10,2) AS amount FROM generate_series(1, 140000) AS s(g)) TO '${path}' WITH (FORMAT parquet)`,
    );
    const outcome = await loadFile("persistent", "pq", path);
    expect(outcome.rows).toBe(140000);
    expect(outcome.schema.map((c) => c.type)).toEqual(["INTEGER", "TEXT", "NUMERIC(10,2)"]);
    expect(await rowsOf('SELECT count(*)::int AS n FROM "persistent"."public"."pq"')).toEqual([
      { n: 140000 },
    ]);
    // Replace into persistent a second time (the upstream fails here with 42P01).
    expect(
      (await loadFile("persistent", "pq", path, "replace", { schema: { id: "BIGINT" } })).schema[0],
    ).toEqual({
      name: "id",
      type: "BIGINT",
      nullable: true,
    });
    const appended = await loadFile("persistent", "pq", path, "append");
    expect(appended.rows).toBe(140000);
    expect(await rowsOf('SELECT count(*)::int AS n FROM "persistent"."public"."pq"')).toEqual([
      { n: 280000 },
    ]);
    expect(await tableNames("scratch")).not.toContain("pq");
  });

  it("loads Arrow IPC files and streams, and rejects overrides", async () => {
    const table = tableFromArrays({
      id: Int32Array.from([1, 2, 3]),
      score: Float32Array.from([0.5, 1.5, 2.5]),
    });
    const filePath = await fixture("t.arrow", tableToIPC(table, "file"));
    const streamPath = await fixture("t.ipc", tableToIPC(table, "stream"));
    const fromFile = await loadFile("scratch", "arrow_file", filePath);
    expect(fromFile.rows).toBe(3);
    expect(fromFile.schema.map((c) => c.type)).toEqual(["INTEGER", "DOUBLE PRECISION"]);
    expect((await loadFile("scratch", "arrow_file", streamPath, "append")).rows).toBe(3);
    expect(await rowsOf("SELECT sum(score) AS s FROM arrow_file")).toEqual([{ s: 9 }]);
    await expect(
      loadFile("scratch", "arrow_x", filePath, "replace", { schema: { id: "BIGINT" } }),
    ).rejects.toMatchObject({
      code: "SCHEMA_MISMATCH",
    });
  });
});

describe("Parquet and Arrow details", () => {
  it("keeps NOT NULL decimals of Parquet and merges Parquet and Arrow files", async () => {
    const path = join(directory, "dec.parquet");
    await connection.execute(
      `COPY (SELECT g AS id, (g * 1.25)::numeric(12,2) AS price FROM generate_series(1, 4) AS s(g)) TO '${path}' WITH (FORMAT parquet)`,
    );
    const loaded = await loadFile("scratch", "dec", path, "merge", { keys: ["id"] });
    expect(loaded).toMatchObject({ rows: 4, schemaChanged: true });
    expect(await rowsOf("SELECT price::text AS p FROM dec WHERE id = 3")).toEqual([{ p: "3.75" }]);
    const arrow = await fixture(
      "upd.arrow",
      tableToIPC(
        tableFromArrays({ id: Int32Array.from([3, 9]), price: Float64Array.from([1, 2]) }),
        "stream",
      ),
    );
    // DOUBLE PRECISION does not fit NUMERIC(12,2) without a cast: refused, nothing changed.
    await expect(loadFile("scratch", "dec", arrow, "merge", { keys: ["id"] })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    const ids = await fixture(
      "ids.arrow",
      tableToIPC(tableFromArrays({ id: Int32Array.from([3, 9]) }), "file"),
    );
    expect((await loadFile("scratch", "dec", ids, "merge", { keys: ["id"] })).rows).toBe(2);
    expect(await rowsOf("SELECT id, price::text AS p FROM dec WHERE id >= 3 ORDER BY id")).toEqual([
      { id: 3, p: null },
      { id: 4, p: "5.00" },
      { id: 9, p: null },
    ]);
  });

  it("maps Arrow types to Hyper types", async () => {
    const table = tableFromArrays({
      i64: BigInt64Array.from([1n, 2n]),
      s: ["a", null],
      b: [true, false],
      f: Float64Array.from([0.5, 1]),
    });
    const outcome = await loadFile(
      "scratch",
      "arrow_types",
      await fixture("types.arrow", tableToIPC(table, "file")),
    );
    expect(outcome.schema.map((c) => [c.name, c.type])).toEqual([
      ["i64", "BIGINT"],
      ["s", "TEXT"],
      ["b", "BOOLEAN"],
      ["f", "DOUBLE PRECISION"],
    ]);
    expect(await rowsOf("SELECT i64::text AS i, s, b FROM arrow_types ORDER BY i64")).toEqual([
      { i: "1", s: "a", b: true },
      { i: "2", s: null, b: false },
    ]);
  });
});

describe("merge", () => {
  it("creates, upserts, adds columns and validates keys without leaving staging tables", async () => {
    const first = await fixture("m1.csv", "id,region,v\n1,eu,a\n2,us,b\n");
    const created = await loadFile("persistent", "merged", first, "merge", { keys: ["id"] });
    expect(created).toMatchObject({ rows: 2, schemaChanged: true });
    const second = await fixture("m2.csv", "id,region,v,extra\n2,us,B,x\n3,eu,c,y\n");
    const merged = await loadFile("persistent", "merged", second, "merge", { keys: ["id", "region"] });
    expect(merged).toMatchObject({ rows: 2, schemaChanged: true });
    expect(merged.schema.map((c) => c.name)).toEqual(["id", "region", "v", "extra"]);
    expect(await rowsOf('SELECT id, v, extra FROM "persistent"."public"."merged" ORDER BY id')).toEqual([
      { id: 1, v: "a", extra: null },
      { id: 2, v: "B", extra: "x" },
      { id: 3, v: "c", extra: "y" },
    ]);
    await expect(loadFile("persistent", "merged", second, "merge", { keys: ["nope"] })).rejects.toMatchObject(
      {
        code: "INVALID_ARGUMENT",
      },
    );
    const textKey = await fixture("m3.csv", "id,v\nabc,z\n");
    await expect(loadFile("persistent", "merged", textKey, "merge", { keys: ["id"] })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("merge key 'id' has type TEXT"),
    });
    expect((await tableNames("persistent")).filter((name) => name.startsWith("_hyperdb_"))).toEqual([]);
  });
});

describe("temporary tables for query_data", () => {
  it("shadows a same-named table and is dropped afterwards", async () => {
    await connection.execute('CREATE TABLE "data" (q INT)');
    const source = await prepareInlineSource("data_val,x\n1,2\n", "csv", undefined);
    await ingest(connection, temporaryTable("data"), source, "replace");
    await source.cleanup();
    expect(await rowsOf("SELECT data_val FROM data")).toEqual([{ data_val: 1 }]);
    await connection.execute('DROP TABLE "pg_temp"."data"');
    expect(await rowsOf("SELECT count(*)::int AS n FROM data")).toEqual([{ n: 0 }]);
  });

  it("fails typed for bad inputs", async () => {
    await expect(resolveInputFile("relative.csv")).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: "Input path 'relative.csv' must be absolute",
    });
    await expect(resolveInputFile(join(directory, "missing.csv"))).rejects.toBeInstanceOf(IngestError);
  });
});
