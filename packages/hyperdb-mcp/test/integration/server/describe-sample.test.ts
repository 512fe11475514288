import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Connection } from "@hyperdb-ts/hyperdb-api";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { describeTables, isHiddenTable } from "../../../src/tools/describe.ts";
import { clampSampleSize, sampleTable } from "../../../src/tools/sample.ts";
import { type ServerUnderTest, startServer, waitForExit } from "./mcp-client.ts";

let directory: string;
let connection: Connection;

const TYPES_COLUMNS = [
  { name: "i", type: "INTEGER", nullable: false },
  { name: "s", type: "SMALLINT", nullable: true },
  { name: "b", type: "BIGINT", nullable: true },
  { name: "n", type: "NUMERIC(10,2)", nullable: true },
  { name: "d", type: "DOUBLE PRECISION", nullable: true },
  { name: "t", type: "TEXT", nullable: true },
  { name: "v", type: "VARCHAR(20)", nullable: true },
  { name: "bo", type: "BOOLEAN", nullable: true },
  { name: "dt", type: "DATE", nullable: true },
  { name: "ts", type: "TIMESTAMP", nullable: true },
  { name: "tz", type: "TIMESTAMP WITH TIME ZONE", nullable: true },
  { name: "by", type: "BYTEA", nullable: true },
];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "hyperdb-mcp-describe-"));
  const hyperd = inject("hyperd");
  connection = await Connection.connect({
    endpoint: `${hyperd.host}:${hyperd.port}`,
    database: join(directory, "scratch.hyper"),
    createMode: "CreateAndReplace",
  });
});

afterAll(async () => {
  await connection?.close();
  await rm(directory, { recursive: true, force: true });
});

describe("describeTables and sampleTable on a real hyperd", () => {
  it("returns no tables for an empty database", async () => {
    expect(await describeTables(connection)).toEqual([]);
    expect(await describeTables(connection, "nope")).toBeUndefined();
    expect(await sampleTable(connection, "nope")).toBeUndefined();
  });

  it("describes and samples tables of every common type", async () => {
    await connection.execute(
      "CREATE TABLE types (i INTEGER NOT NULL, s SMALLINT, b BIGINT, n NUMERIC(10,2), d DOUBLE PRECISION, t TEXT, v VARCHAR(20), bo BOOLEAN, dt DATE, ts TIMESTAMP, tz TIMESTAMPTZ, by BYTEA)",
    );
    await connection.execute(
      "INSERT INTO types VALUES (1, 2, 9007199254740993, 12.34, 1.5, 'hi', 'v', true, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05', NULL, 'hi'::bytea), (2, NULL, NULL, NULL, 'NaN'::double precision, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    );
    await connection.execute('CREATE TABLE "Mixed Case" ("Col A" INTEGER)');
    await connection.execute('INSERT INTO "Mixed Case" SELECT g FROM generate_series(1, 150) AS s(g)');
    await connection.execute("CREATE TABLE _hyperdb_kv_store (k TEXT, v TEXT)");

    expect(await describeTables(connection)).toEqual([
      { name: "Mixed Case", columns: [{ name: "Col A", type: "INTEGER", nullable: true }], row_count: 150 },
      { name: "types", columns: TYPES_COLUMNS, row_count: 2 },
    ]);
    expect(await describeTables(connection, "types")).toEqual([
      { name: "types", columns: TYPES_COLUMNS, row_count: 2 },
    ]);
    // Verbatim, case-sensitive names; internal tables do not exist for the tools.
    expect(await describeTables(connection, "mixed case")).toBeUndefined();
    expect(await describeTables(connection, '"Mixed Case"')).toBeUndefined();
    expect(await describeTables(connection, "_hyperdb_kv_store")).toBeUndefined();
    expect(await sampleTable(connection, "_hyperdb_kv_store")).toBeUndefined();
    expect(isHiddenTable("_hyperdb_kv_store")).toBe(true);

    const sample = await sampleTable(connection, "types", 10);
    expect(sample).toEqual({
      table: "types",
      row_count: 2,
      sample_size: 2,
      schema: TYPES_COLUMNS,
      rows: [
        {
          i: 1,
          s: 2,
          b: "9007199254740993",
          n: "12.34",
          d: 1.5,
          t: "hi",
          v: "v",
          bo: true,
          dt: "2024-01-02",
          ts: expect.stringMatching(/^2024-01-02[ T]03:04:05/),
          tz: null,
          by: "aGk=",
        },
        {
          i: 2,
          s: null,
          b: null,
          n: null,
          d: null,
          t: null,
          v: null,
          bo: null,
          dt: null,
          ts: null,
          tz: null,
          by: null,
        },
      ],
    });
    // JSON-safe.
    expect(JSON.parse(JSON.stringify(sample))).toEqual(sample);
  });

  it("clamps n to 1..100 with default 5", async () => {
    expect((await sampleTable(connection, "Mixed Case"))?.sample_size).toBe(5);
    expect((await sampleTable(connection, "Mixed Case", 0))?.sample_size).toBe(1);
    expect((await sampleTable(connection, "Mixed Case", -3))?.sample_size).toBe(1);
    expect((await sampleTable(connection, "Mixed Case", 1000))?.sample_size).toBe(100);
    const three = await sampleTable(connection, "Mixed Case", 3.9);
    expect(three?.sample_size).toBe(3);
    expect(three?.row_count).toBe(150);
    expect(three?.rows).toHaveLength(3);
    expect(Object.keys(three?.rows[0] ?? {})).toEqual(["Col A"]);
    expect(clampSampleSize(undefined)).toBe(5);
    expect(clampSampleSize(null)).toBe(5);
  });

  it("never splices the name into SQL unquoted", async () => {
    const evil = 'types" WHERE false; DROP TABLE types; --';
    expect(await describeTables(connection, evil)).toBeUndefined();
    expect(await sampleTable(connection, evil)).toBeUndefined();
    await connection.execute(`CREATE TABLE "we""ird.name" (x INTEGER)`);
    await connection.execute(`INSERT INTO "we""ird.name" VALUES (7)`);
    expect(await sampleTable(connection, 'we"ird.name')).toMatchObject({ row_count: 1, rows: [{ x: 7 }] });
    expect((await describeTables(connection))?.map((table) => table.name)).toEqual([
      "Mixed Case",
      "types",
      'we"ird.name',
    ]);
  });
});

interface ErrorBody {
  error: { code: string; message: string; suggestion?: string };
}

describe("describe and sample over stdio", () => {
  let server: ServerUnderTest;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    if (server !== undefined) {
      await server.client.close().catch(() => undefined);
      await waitForExit(server.pid, 15_000);
    }
  });

  it("lists describe and sample, describes the empty scratch database and reports missing tables", async () => {
    const { tools } = await server.client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(["describe", "sample"]));
    expect(tools.find((tool) => tool.name === "sample")?.inputSchema.required).toEqual(["table"]);

    const described = (await server.client.callTool({ name: "describe", arguments: {} })) as CallToolResult;
    expect(described.isError).toBeFalsy();
    expect(described.structuredContent).toEqual({ tables: [], resolved_database: "local" });

    const missing = (await server.client.callTool({
      name: "sample",
      arguments: { table: "no_such_table" },
    })) as CallToolResult;
    expect(missing.isError).toBe(true);
    expect((missing.structuredContent as unknown as ErrorBody).error.code).toBe("TABLE_NOT_FOUND");

    const missingDescribe = (await server.client.callTool({
      name: "describe",
      arguments: { table: "_hyperdb_kv_store" },
    })) as CallToolResult;
    expect(missingDescribe.isError).toBe(true);
    expect((missingDescribe.structuredContent as unknown as ErrorBody).error.code).toBe("TABLE_NOT_FOUND");
  });
});
