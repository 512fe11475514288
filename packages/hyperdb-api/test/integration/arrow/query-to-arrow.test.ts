import {
  type DataType,
  DateDay,
  Decimal,
  Int8,
  type Int32,
  IntervalDayTime,
  IntervalYearMonth,
  makeData,
  makeVector,
  Table,
  TimeMillisecond,
  TimeNanosecond,
  TimeSecond,
  TimestampMillisecond,
  TimestampSecond,
  Uint8,
  Uint16,
  Uint32,
  type Vector,
} from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArrowInserter, queryToArrow, streamArrowBatches, tableToArrow } from "../../../src/arrow.ts";
import { type Connection, HyperError } from "../../../src/index.ts";
import { openScratchDatabase, type ScratchDatabase } from "../scratch-database.ts";

let scratch: ScratchDatabase;
let connection: Connection;

beforeAll(async () => {
  scratch = await openScratchDatabase("hyperdb-api-query-arrow-", "query.hyper");
  connection = scratch.connection;
});

afterAll(async () => {
  await scratch?.close();
});

async function expectUsable(): Promise<void> {
  expect(connection.transactionStatus).toBe("idle");
  expect(await connection.fetchScalar("SELECT 1")).toBe(1);
}

describe("queryToArrow", () => {
  it("produces the Arrow types the module documents", async () => {
    await connection.execute(
      `CREATE TABLE typed (bo BOOLEAN, s SMALLINT, i INTEGER NOT NULL, b BIGINT, o OID, r REAL, d DOUBLE PRECISION,
        n NUMERIC(10,2), nw NUMERIC(30,5), t TEXT, v VARCHAR(10), c CHARACTER(3), c1 CHARACTER(1), j JSON,
        by BYTEA, g GEOGRAPHY, dt DATE, tm TIME, ts TIMESTAMP, tz TIMESTAMP WITH TIME ZONE, iv INTERVAL)`,
    );
    await connection.execute(
      `INSERT INTO typed VALUES (true, 1, 2, 3, 4, 1.5, 2.5, 12.34, 1.5, 'text', 'varchar', 'ab', 'z', '{"a":1}',
        '\\x0102'::bytea, 'POINT(1 2)'::geography, '2024-01-02', '12:34:56.789', '2024-01-02 03:04:05.123456',
        '2024-01-02 03:04:05.123456+00', '1 month 2 days 3 seconds')`,
    );
    const table = await tableToArrow(connection, "typed");
    const fields = table.schema.fields.map((field) => {
      const metadata = [...field.metadata].map(([key, value]) => ` ${key}=${value}`).join("");
      const width = (field.type as { bitWidth?: number }).bitWidth;
      const decimal = String(field.type).startsWith("Decimal") ? ` bits=${width}` : "";
      return `${field.name}: ${String(field.type)}${decimal}${field.nullable ? "" : " not null"}${metadata}`;
    });
    expect(fields).toEqual([
      "bo: Bool",
      "s: Int16",
      "i: Int32 not null",
      "b: Int64",
      "o: Uint32 hyper:type=Oid",
      "r: Float32",
      "d: Float64",
      "n: Decimal[10e+2] bits=128",
      "nw: Decimal[30e+5] bits=128",
      "t: Utf8",
      "v: Utf8 hyper:max_string_length=10",
      "c: Utf8 hyper:type=Char hyper:max_string_length=3",
      "c1: Utf8 hyper:type=Char1",
      "j: Utf8 hyper:type=JSON",
      "by: Binary",
      "g: Binary hyper:type=Geography",
      "dt: Date64<MILLISECOND>",
      "tm: Time64<MICROSECOND>",
      "ts: Timestamp<MICROSECOND>",
      "tz: Timestamp<MICROSECOND, Utc>",
      "iv: Interval<MONTH_DAY_NANO>",
    ]);
    const row = table.get(0)!.toJSON();
    expect(row.t).toBe("text");
    expect(row.c).toBe("ab ");
    expect(row.dt).toBe(Date.UTC(2024, 0, 2));
    expect(row.tm).toBe(45_296_789_000n);

    // Geography only round-trips as hyperd's own bytes, which ArrowInserter passes through.
    await connection.execute("CREATE TABLE typed_copy AS SELECT * FROM typed WHERE false");
    await connection.execute("DELETE FROM typed_copy");
    await using inserter = new ArrowInserter(connection, "typed_copy");
    await inserter.insertTable(table);
    expect(await inserter.execute()).toBe(1);
    expect(await connection.fetchScalar("SELECT g::text FROM typed_copy")).toMatch(/^POINT ?\(1/);
  });

  it("keeps the schema of an empty result and ignores a trailing semicolon", async () => {
    const table = await queryToArrow(connection, "SELECT 1::int AS a, 'x'::text AS b WHERE false;");
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((field) => `${field.name}:${String(field.type)}`)).toEqual([
      "a:Int32",
      "b:Utf8",
    ]);
  });

  it("reports query errors as HyperError and frees the connection", async () => {
    await expect(queryToArrow(connection, "SELECT * FROM no_such_table")).rejects.toSatisfy(
      (error) => error instanceof HyperError && error.sqlstate === "42P01",
    );
    await expect(
      queryToArrow(connection, "SELECT 1 / (g - 50000) FROM generate_series(1, 100000) g"),
    ).rejects.toSatisfy((error) => error instanceof HyperError && error.sqlstate === "22012");
    await expectUsable();
  });

  it("is cancelled by an AbortSignal", async () => {
    const controller = new AbortController();
    const pending = queryToArrow(
      connection,
      "SELECT a::bigint * b FROM generate_series(1, 100000) a, generate_series(1, 100000) b",
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toSatisfy(
      (error) => error instanceof HyperError && error.sqlstate === "57014",
    );
    // The core starts the next statement twice if it is queued before the cancel request has
    // been delivered (hyperdb-api-core bug, reported); give the side connection time to finish.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expectUsable();
  });
});

describe("streamArrowBatches", () => {
  it("streams a million rows in batches", async () => {
    let rows = 0;
    let batches = 0;
    let sum = 0n;
    for await (const batch of streamArrowBatches(
      connection,
      "SELECT g::bigint AS g, 'row ' || g AS label FROM generate_series(1, 1000000) g",
    )) {
      batches++;
      rows += batch.numRows;
      for (const value of batch.getChild("g")!) sum += value as bigint;
    }
    expect(rows).toBe(1_000_000);
    expect(batches).toBeGreaterThan(10);
    expect(sum).toBe(500_000_500_000n);
  });

  it("cancels the query when the loop ends early", async () => {
    const started = performance.now();
    for await (const batch of streamArrowBatches(
      connection,
      "SELECT a::bigint * b AS x FROM generate_series(1, 100000) a, generate_series(1, 100000) b",
    )) {
      expect(batch.numRows).toBeGreaterThan(0);
      break;
    }
    expect(performance.now() - started).toBeLessThan(20_000);
    await expectUsable();
  });

  it("reports an error in the middle of the result", async () => {
    const seen: number[] = [];
    const run = async (): Promise<void> => {
      for await (const batch of streamArrowBatches(
        connection,
        "SELECT 1 / (g - 900000) AS x FROM generate_series(1, 1000000) g",
      )) {
        seen.push(batch.numRows);
      }
    };
    await expect(run()).rejects.toSatisfy(
      (error) => error instanceof HyperError && error.sqlstate === "22012",
    );
    await expectUsable();
  });
});

describe("Arrow types hyperd accepts besides its own", () => {
  // One value of any fixed-width type, given as its raw buffer (the typings want one overload per type).
  const one = (type: DataType, data: ArrayLike<number | bigint>): Vector =>
    makeVector(makeData({ type: type as Int32, length: 1, nullCount: 0, data: data as Int32Array }));
  const cases: readonly (readonly [
    sqlType: string,
    type: DataType,
    data: ArrayLike<number | bigint>,
    text: string,
  ])[] = [
    ["SMALLINT", new Int8(), Int8Array.of(-7), "-7"],
    ["SMALLINT", new Uint8(), Uint8Array.of(200), "200"],
    ["INTEGER", new Uint16(), Uint16Array.of(60_000), "60000"],
    ["BIGINT", new Uint32(), Uint32Array.of(4_000_000_000), "4000000000"],
    ["NUMERIC(30,5)", new Decimal(5, 30, 256), Uint32Array.of(1234, 0, 0, 0, 0, 0, 0, 0), "0.01234"],
    ["DATE", new DateDay(), Int32Array.of(19_724), "2024-01-02"],
    ["TIME", new TimeSecond(), Int32Array.of(45_296), "12:34:56"],
    ["TIME", new TimeMillisecond(), Int32Array.of(45_296_789), "12:34:56.789"],
    ["TIME", new TimeNanosecond(), BigInt64Array.of(45_296_789_123_000n), "12:34:56.789123"],
    ["TIMESTAMP", new TimestampSecond(), BigInt64Array.of(1_704_164_645n), "2024-01-02 03:04:05"],
    [
      "TIMESTAMP",
      new TimestampMillisecond(),
      BigInt64Array.of(1_704_164_645_123n),
      "2024-01-02 03:04:05.123",
    ],
    [
      "TIMESTAMP WITH TIME ZONE",
      new TimestampMillisecond("Europe/Berlin"),
      BigInt64Array.of(1_704_164_645_123n),
      "2024-01-02 03:04:05.123+00",
    ],
    ["INTERVAL", new IntervalDayTime(), Int32Array.of(2, 1000), "P2DT1S"],
    ["INTERVAL", new IntervalYearMonth(), Int32Array.of(14), "P1Y2M"],
  ];

  it.each(cases.map((entry, index) => [index, ...entry] as const))(
    "%i: %s from %s",
    async (index, sqlType, type, data, text) => {
      const table = `accepts_${index}`;
      await connection.execute(`CREATE TABLE ${table} (v ${sqlType})`);
      await using inserter = new ArrowInserter(connection, table);
      await inserter.insertTable(new Table({ v: one(type, data) }));
      expect(await inserter.execute()).toBe(1);
      expect(await connection.fetchScalar(`SELECT v::text FROM ${table}`)).toBe(text);
    },
  );
});
