import { join } from "node:path";
import {
  Int64,
  LargeUtf8,
  makeData,
  makeVector,
  type RecordBatch,
  Table,
  TimestampNanosecond,
  tableFromArrays,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArrowInserter, arrowSchemaFor, queryToArrow } from "../../../src/arrow.ts";
import { Catalog } from "../../../src/catalog/catalog.ts";
import {
  type Connection,
  HyperError,
  InvalidArgumentError,
  NotFoundError,
  UsageError,
} from "../../../src/index.ts";
import { openScratchDatabase, type ScratchDatabase } from "../scratch-database.ts";

let scratch: ScratchDatabase;
let connection: Connection;

beforeAll(async () => {
  scratch = await openScratchDatabase("hyperdb-api-arrow-inserter-", "arrow.hyper");
  connection = scratch.connection;
});

afterAll(async () => {
  await scratch?.close();
});

/** Every Hyper type a table can hold, except GEOGRAPHY (tested on its own). */
const ALL_TYPES = `id INT NOT NULL, i INT, b BIGINT, d DOUBLE PRECISION, t TEXT, dt DATE, ts TIMESTAMP,
  tz TIMESTAMP WITH TIME ZONE, bo BOOLEAN, n NUMERIC(18,3), nw NUMERIC(38,6), s SMALLINT, r REAL,
  v VARCHAR(12), c CHARACTER(4), c1 CHARACTER(1), j JSON, by BYTEA, tm TIME, iv INTERVAL, o OID`;

/** Values for ALL_TYPES from row number `g`; NULL in every nullable column of each 7th row. */
const ALL_VALUES = [
  "g * 3 - 15000",
  "g::bigint * 1000000007",
  "g::double precision / 7",
  "'text ' || g || ' é✓'",
  "DATE '1990-01-01' + g",
  "TIMESTAMP '2000-01-01 00:00:00' + g * INTERVAL '1 minute 1.000123 second'",
  "TIMESTAMPTZ '2000-01-01 00:00:00+00' + g * INTERVAL '1 hour 0.000007 second'",
  "g % 2 = 0",
  "(g * 1.001)::numeric(18,3)",
  "(g * 12345.678901)::numeric(38,6)",
  "(g % 30000)::smallint",
  "(g / 3.0)::real",
  "('v' || g)::varchar(12)",
  "('c' || (g % 100))::char(4)",
  "(CASE WHEN g % 2 = 0 THEN 'x' ELSE 'y' END)::char(1)",
  `('{"g":' || g || '}')::json`,
  "CAST('ab' || g AS BYTEA)",
  "TIME '00:00:00' + g * INTERVAL '1.5 second'",
  "g * INTERVAL '1 day 1 second'",
  "g::oid",
];

let tableCounter = 0;

async function createTable(columns: string): Promise<string> {
  const name = `a${++tableCounter}`;
  await connection.execute(`CREATE TABLE ${name} (${columns})`);
  return name;
}

async function filledSource(rows: number): Promise<string> {
  const table = await createTable(ALL_TYPES);
  const values = ALL_VALUES.map((value) => `CASE WHEN g % 7 = 0 THEN NULL ELSE ${value} END`);
  await connection.execute(
    `INSERT INTO ${table} SELECT g, ${values.join(", ")} FROM generate_series(1, ${rows}) g`,
  );
  return table;
}

/** Rows in one table and not in the other, both ways. */
async function differingRows(left: string, right: string): Promise<bigint> {
  return connection.fetchScalar<bigint>(
    `SELECT (SELECT count(*) FROM (SELECT * FROM ${left} EXCEPT ALL SELECT * FROM ${right}) l)
          + (SELECT count(*) FROM (SELECT * FROM ${right} EXCEPT ALL SELECT * FROM ${left}) r)`,
  );
}

async function count(table: string): Promise<bigint> {
  return connection.fetchScalar<bigint>(`SELECT count(*) FROM ${table}`);
}

async function expectUsable(): Promise<void> {
  expect(connection.transactionStatus).toBe("idle");
  expect(await connection.fetchScalar("SELECT 1")).toBe(1);
}

describe("ArrowInserter: round trips", () => {
  it("copies every type through queryToArrow and insertTable", async () => {
    const source = await filledSource(10_000);
    const exported = await queryToArrow(connection, `SELECT * FROM ${source}`);
    expect(exported.numRows).toBe(10_000);
    expect(exported.batches.length).toBeGreaterThan(0);

    const target = await createTable(ALL_TYPES);
    await using inserter = new ArrowInserter(connection, target);
    await inserter.insertTable(exported);
    expect(inserter.rowCount).toBe(10_000);
    expect(inserter.statement).toBe(
      `COPY "public"."${target}" (${exported.schema.fields.map((f) => `"${f.name}"`).join(", ")}) FROM STDIN WITH (FORMAT arrowstream)`,
    );
    expect(await inserter.execute()).toBe(10_000);
    expect(await count(target)).toBe(10_000n);
    expect(await differingRows(source, target)).toBe(0n);
  });

  it("sends hyperd's own IPC stream without decoding it", async () => {
    const source = await filledSource(5000);
    const chunks: Buffer[] = [];
    for await (const chunk of connection.core.copyOut(
      `COPY (SELECT * FROM ${source}) TO STDOUT WITH (FORMAT arrowstream)`,
    )) {
      chunks.push(chunk);
    }
    const target = await createTable(ALL_TYPES);
    await using inserter = new ArrowInserter(connection, target);
    await inserter.insertIpc(Buffer.concat(chunks));
    await inserter.insertIpc(Buffer.concat(chunks));
    expect(await inserter.execute()).toBe(10_000);
    expect(await connection.fetchScalar(`SELECT count(DISTINCT id) FROM ${target}`)).toBe(5000n);
    expect(
      await connection.fetchScalar(
        `SELECT count(*) FROM (SELECT * FROM ${source} UNION ALL SELECT * FROM ${source} EXCEPT ALL SELECT * FROM ${target}) x`,
      ),
    ).toBe(0n);
  });

  it("loads tables built with tableFromArrays (dictionary strings, typed arrays, dates)", async () => {
    const target = await createTable(
      "id INT NOT NULL, big BIGINT, score DOUBLE PRECISION, city TEXT, code VARCHAR(3), doc JSON, at TIMESTAMP",
    );
    const rows = 1000;
    const ids = Int32Array.from({ length: rows }, (_, i) => i);
    const data = tableFromArrays({
      id: ids,
      big: BigInt64Array.from({ length: rows }, (_, i) => BigInt(i) * 10_000_000_000n),
      score: Float64Array.from({ length: rows }, (_, i) => i / 4),
      city: Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? null : ["Oslo", "Rome", "Köln"][i % 3]!)),
      code: Array.from({ length: rows }, (_, i) => `c${i % 50}`),
      doc: Array.from({ length: rows }, (_, i) => JSON.stringify({ i })),
      // apache-arrow makes JS Dates Timestamp(ms): right for TIMESTAMP columns (DATE needs Date32/Date64).
      at: Array.from({ length: rows }, (_, i) => new Date(Date.UTC(2024, 0, 1 + (i % 365), 12))),
    });
    expect(String(data.schema.fields[3]!.type)).toMatch(/^Dictionary/);
    await using inserter = new ArrowInserter(connection, target);
    await inserter.insertTable(data);
    expect(await inserter.execute()).toBe(rows);
    expect(
      await connection.fetchAll(
        `SELECT id, big, score, city, code, doc, at::text AS at FROM ${target} WHERE id IN (0, 7) ORDER BY id`,
      ),
    ).toEqual([
      { id: 0, big: 0n, score: 0, city: null, code: "c0", doc: '{"i":0}', at: "2024-01-01 12:00:00" },
      {
        id: 7,
        big: 70_000_000_000n,
        score: 1.75,
        city: "Rome",
        code: "c7",
        doc: '{"i":7}',
        at: "2024-01-08 12:00:00",
      },
    ]);
    expect(await connection.fetchScalar(`SELECT count(city) FROM ${target}`)).toBe(800n);
  });

  it("converts large strings and nanosecond timestamps", async () => {
    const target = await createTable("label TEXT, at TIMESTAMP");
    const nanos = BigInt64Array.of(1_704_164_645_123_456_789n, -1_500n);
    const data = new Table({
      label: vectorFromArray(["x", "y"], new LargeUtf8()),
      at: makeVector(makeData({ type: new TimestampNanosecond(), length: 2, nullCount: 0, data: nanos })),
    });
    await using inserter = new ArrowInserter(connection, target);
    await inserter.insertTable(data);
    expect(await inserter.execute()).toBe(2);
    expect(await connection.fetchAll(`SELECT label, at::text AS at FROM ${target} ORDER BY label`)).toEqual([
      { label: "x", at: "2024-01-02 03:04:05.123456" },
      { label: "y", at: "1969-12-31 23:59:59.999998" },
    ]);
  });

  it("inserts tables, batch streams and IPC bytes of one schema into one COPY", async () => {
    const target = await createTable("id INT NOT NULL, label TEXT");
    const make = (from: number, count: number): Table =>
      tableFromArrays({
        id: Int32Array.from({ length: count }, (_, i) => from + i),
        label: Array.from({ length: count }, (_, i) => `row ${from + i}`),
      });
    async function* batches(): AsyncGenerator<RecordBatch> {
      for (let part = 0; part < 10; part++) {
        await new Promise((resolve) => setImmediate(resolve));
        yield* make(1000 + part * 100, 100).batches;
      }
    }
    await using inserter = new ArrowInserter(connection, target, { flushBytes: 1024 });
    const first = inserter.insertTable(make(0, 1000));
    const second = inserter.insertBatches(batches());
    const third = inserter.insertIpc(tableToIPC(make(2000, 500), "stream"));
    await Promise.all([first, second, third]);
    await inserter.insertTable(make(0, 10).slice(0, 0));
    expect(inserter.rowCount).toBe(2500);
    expect(await inserter.execute()).toBe(2500);
    expect(
      await connection.fetchOne(
        `SELECT count(*) AS n, count(DISTINCT id) AS ids, max(id) AS hi FROM ${target}`,
      ),
    ).toEqual({ n: 2500n, ids: 2500n, hi: 2499 });
  });

  it("inserts a subset of the columns into a table of another database", async () => {
    await connection.attachDatabase(join(scratch.directory, "other.hyper"), {
      alias: "other",
      createMode: "CreateIfNotExists",
    });
    try {
      await connection.execute(
        `CREATE TABLE other.public."Things" (id INT NOT NULL, name TEXT, weight DOUBLE PRECISION)`,
      );
      await using inserter = new ArrowInserter(connection, 'other.public."Things"');
      await inserter.insertTable(
        tableFromArrays({ weight: Float64Array.of(1.5, 2.5), id: Int32Array.of(1, 2) }),
      );
      expect(inserter.table.toString()).toBe('"other"."public"."Things"');
      expect(await inserter.execute()).toBe(2);
      expect(await connection.fetchAll(`SELECT * FROM other.public."Things" ORDER BY id`)).toEqual([
        { id: 1, name: null, weight: 1.5 },
        { id: 2, name: null, weight: 2.5 },
      ]);
    } finally {
      await connection.detachDatabase("other");
    }
  });

  it("builds data against arrowSchemaFor", async () => {
    const target = await createTable("id INT NOT NULL, code CHARACTER(3), n NUMERIC(10,2)");
    const definition = await new Catalog(connection).getTableDefinition(target);
    const schema = arrowSchemaFor(definition);
    const data = new Table(
      schema,
      [
        new Table({
          id: makeVector(Int32Array.of(1, 2)),
          code: vectorFromArray(["ab", "xyz"], new Utf8()),
          n: makeVector(
            makeData({
              type: schema.fields[2]!.type,
              length: 2,
              nullCount: 0,
              data: Uint32Array.of(1234, 0, 0, 0, 5, 0, 0, 0),
            }),
          ),
        }).batches[0]!,
      ].map((batch) => batch),
    );
    await using inserter = new ArrowInserter(connection, definition);
    await inserter.insertTable(data);
    expect(await inserter.execute()).toBe(2);
    expect(await connection.fetchAll(`SELECT * FROM ${target} ORDER BY id`)).toEqual([
      { id: 1, code: "ab ", n: "12.34" },
      { id: 2, code: "xyz", n: "0.05" },
    ]);
  });
});

describe("ArrowInserter: errors and cancelling", () => {
  const twoColumns = (from = 0, count = 3): Table =>
    tableFromArrays({
      id: Int32Array.from({ length: count }, (_, i) => from + i),
      label: Array.from({ length: count }, (_, i) => `r${from + i}`),
    });

  it("rejects a different schema in a later insert and stays usable", async () => {
    const target = await createTable("id INT NOT NULL, label TEXT");
    await using inserter = new ArrowInserter(connection, target);
    await inserter.insertTable(twoColumns());
    const reordered = tableFromArrays({ label: ["x"], id: Int32Array.of(9) });
    await expect(inserter.insertTable(reordered)).rejects.toThrow(/differs from the one sent first/);
    const retyped = new Table({
      id: vectorFromArray([9n], new Int64()),
      label: vectorFromArray(["x"], new Utf8()),
    });
    await expect(inserter.insertTable(retyped)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(inserter.insertIpc(tableToIPC(reordered, "stream"))).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await inserter.insertTable(twoColumns(3));
    expect(await inserter.execute()).toBe(6);
    await expect(inserter.execute()).rejects.toBeInstanceOf(UsageError);
    await expect(inserter.insertTable(twoColumns())).rejects.toBeInstanceOf(UsageError);
  });

  it("checks the data before anything is sent", async () => {
    const target = await createTable("id INT NOT NULL, code VARCHAR(2)");
    await using inserter = new ArrowInserter(connection, target);
    const withNull = new Table({
      id: vectorFromArray([1, null]),
      code: vectorFromArray(["a", "b"], new Utf8()),
    });
    await expect(inserter.insertTable(withNull)).rejects.toThrow(
      /"id" is NOT NULL, but the Arrow data has 1 nulls/,
    );
    const tooLong = new Table({
      id: makeVector(Int32Array.of(1)),
      code: vectorFromArray(["abc"], new Utf8()),
    });
    await expect(inserter.insertTable(tooLong)).rejects.toThrow(/too long for VARCHAR\(2\)/);
    await expect(inserter.insertTable(tableFromArrays({ id: Int32Array.of(1), extra: [1] }))).rejects.toThrow(
      /"extra" names no column/,
    );
    await expect(inserter.insertTable(tableFromArrays({ code: ["a"] }))).rejects.toThrow(
      /NOT NULL, so the Arrow data needs/,
    );
    await expect(inserter.insertIpc(Uint8Array.of(1, 2, 3, 4, 5))).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(inserter.insertIpc(tableToIPC(withNull, "stream"))).rejects.toThrow(/NOT NULL/);
    expect(inserter.schema).toBeNull();
    expect(await inserter.execute()).toBe(0);
    await expectUsable();
  });

  it("reports a missing table from the first insert", async () => {
    await using inserter = new ArrowInserter(connection, "no_such_table");
    await expect(inserter.insertTable(twoColumns())).rejects.toBeInstanceOf(NotFoundError);
  });

  it("surfaces a type hyperd refuses as HyperError and frees the connection", async () => {
    const target = await createTable("id INT NOT NULL, label TEXT");
    const inserter = new ArrowInserter(connection, target);
    const wide = new Table({
      id: vectorFromArray([1n], new Int64()),
      label: vectorFromArray(["x"], new Utf8()),
    });
    await inserter.insertTable(wide).catch(() => {});
    const error: unknown = await inserter.execute().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HyperError);
    expect((error as HyperError).sqlstate).toBe("42804");
    await expect(inserter.insertTable(wide)).rejects.toBe(error);
    await expect(inserter.execute()).rejects.toBeInstanceOf(UsageError);
    await expectUsable();
    expect(await count(target)).toBe(0n);
  });

  it("cancel after data was sent loads nothing", async () => {
    const target = await createTable("id INT NOT NULL, label TEXT");
    const inserter = new ArrowInserter(connection, target, { flushBytes: 512 });
    for (let part = 0; part < 5; part++) await inserter.insertTable(twoColumns(part * 1000, 1000));
    await inserter.cancel();
    await inserter.cancel();
    await expect(inserter.insertTable(twoColumns())).rejects.toBeInstanceOf(UsageError);
    await expect(inserter.execute()).rejects.toBeInstanceOf(UsageError);
    await expectUsable();
    expect(await count(target)).toBe(0n);
  });

  it("a failing batch source cancels the insert", async () => {
    const target = await createTable("id INT NOT NULL, label TEXT");
    const inserter = new ArrowInserter(connection, target, { flushBytes: 256 });
    const failure = new Error("source broke");
    async function* batches(): AsyncGenerator<RecordBatch> {
      for (let part = 0; part < 5; part++) yield* twoColumns(part * 100, 100).batches;
      throw failure;
    }
    await expect(inserter.insertBatches(batches())).rejects.toBe(failure);
    await expect(inserter.execute()).rejects.toBeInstanceOf(UsageError);
    await expectUsable();
    expect(await count(target)).toBe(0n);
  });

  it("an AbortSignal cancels, and disposal without execute loads nothing", async () => {
    const target = await createTable("id INT NOT NULL, label TEXT");
    const controller = new AbortController();
    const aborted = new ArrowInserter(connection, target, { signal: controller.signal });
    await aborted.insertTable(twoColumns(0, 5000));
    controller.abort();
    await expect(aborted.execute()).rejects.toBeInstanceOf(UsageError);
    {
      await using disposed = new ArrowInserter(connection, target);
      await disposed.insertTable(twoColumns(0, 5000));
    }
    await expectUsable();
    expect(await count(target)).toBe(0n);
    const early = new ArrowInserter(connection, target, { signal: AbortSignal.abort() });
    await expect(early.insertTable(twoColumns())).rejects.toBeInstanceOf(UsageError);
    expect(() => new ArrowInserter(connection, target, { flushBytes: 0 })).toThrow(InvalidArgumentError);
  });
});
