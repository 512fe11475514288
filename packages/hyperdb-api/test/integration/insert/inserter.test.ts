import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Catalog } from "../../../src/catalog/catalog.ts";
import { SqlType } from "../../../src/catalog/sql-type.ts";
import { TableDefinition } from "../../../src/catalog/table-definition.ts";
import {
  type Connection,
  HyperDate,
  HyperError,
  HyperInterval,
  HyperTime,
  HyperTimestamp,
  InvalidArgumentError,
  NotFoundError,
  UsageError,
} from "../../../src/index.ts";
import { Inserter } from "../../../src/insert/inserter.ts";
import { openScratchDatabase, type ScratchDatabase } from "../scratch-database.ts";

let scratch: ScratchDatabase;
let connection: Connection;

beforeAll(async () => {
  scratch = await openScratchDatabase("hyperdb-api-inserter-", "insert.hyper");
  connection = scratch.connection;
});

afterAll(async () => {
  await scratch?.close();
});

let tableCounter = 0;

/** Creates a fresh table and returns its name. */
async function createTable(columns: string): Promise<string> {
  const name = `t${++tableCounter}`;
  await connection.execute(`CREATE TABLE ${name} (${columns})`);
  return name;
}

async function count(table: string): Promise<bigint> {
  return connection.fetchScalar<bigint>(`SELECT count(*) FROM ${table}`);
}

async function expectUsable(): Promise<void> {
  expect(connection.transactionStatus).toBe("idle");
  expect(await connection.fetchScalar("SELECT 1")).toBe(1);
}

function* numbered<T>(count: number, make: (i: number) => T): Generator<T> {
  for (let i = 0; i < count; i++) yield make(i);
}

async function* slowly<T>(rows: Iterable<T>): AsyncGenerator<T> {
  for (const row of rows) {
    await new Promise((resolve) => setImmediate(resolve));
    yield row;
  }
}

describe("Inserter: values", () => {
  it("round-trips 10 000 rows of every common type", async () => {
    const table = await createTable(
      `id INTEGER NOT NULL, b BOOLEAN, i2 SMALLINT, i4 INTEGER, i8 BIGINT NOT NULL, r REAL, d DOUBLE PRECISION,
       n NUMERIC(10,2), nw NUMERIC(30,5), t TEXT NOT NULL, v VARCHAR(20), c CHARACTER(4), j JSON, by BYTEA,
       dt DATE, tm TIME, ts TIMESTAMP, tz TIMESTAMP WITH TIME ZONE, iv INTERVAL`,
    );
    const rows = 10_000;
    const make = (i: number): unknown[] => {
      const isNull = i % 7 === 3;
      const nullable = <T>(value: T): T | null => (isNull ? null : value);
      return [
        i,
        nullable(i % 2 === 0),
        nullable((i % 65_536) - 32_768),
        nullable(i * 214_748 - 1_000_000_000),
        BigInt(i) * 922_337_203_685_477n - 4_611_686_018_427_387_904n,
        nullable(Math.fround(i / 3)),
        nullable(i / 7 - 700),
        nullable(`${i % 2 === 0 ? "" : "-"}${i}.${String(i % 100).padStart(2, "0")}`),
        nullable(`${"1234567890".repeat(2)}${i}.${String(i).padStart(5, "0")}`),
        `text ${i} héllo ✓ 🎉`,
        nullable(`v${i}`),
        nullable(`c${i % 100}`),
        nullable(JSON.stringify({ i })),
        nullable(Uint8Array.from([i & 0xff, (i >> 8) & 0xff, 0, 255])),
        nullable(HyperDate.fromParts(1900 + (i % 200), 1 + (i % 12), 1 + (i % 28))),
        nullable(HyperTime.fromParts(i % 24, i % 60, i % 60, i % 1_000_000)),
        nullable(
          HyperTimestamp.fromDateAndTime(
            HyperDate.fromParts(2000 + (i % 50), 1 + (i % 12), 1 + (i % 28)),
            HyperTime.fromParts(i % 24, i % 60, i % 60, i),
          ),
        ),
        nullable(
          HyperTimestamp.fromDateAndTime(
            HyperDate.fromParts(1970 + (i % 50), 1 + (i % 12), 1 + (i % 28)),
            HyperTime.fromParts(i % 24, i % 60, i % 60, i),
            true,
          ),
        ),
        nullable(HyperInterval.fromParts({ months: i % 13, days: i % 31, microseconds: BigInt(i) * 1000n })),
      ];
    };
    // CHARACTER(4) reads back blank-padded.
    const readBack = (row: unknown[]): unknown[] =>
      row.map((value, column) => (column === 11 && typeof value === "string" ? value.padEnd(4) : value));

    await using inserter = await Inserter.forTable(connection, table);
    inserter.addRows(numbered(rows, make));
    expect(inserter.rowCount).toBe(rows);
    expect(await inserter.execute()).toBe(rows);

    const back = await connection.fetchAll<unknown[]>(`SELECT * FROM ${table} ORDER BY id`, [], {
      rowMode: "array",
    });
    expect(back).toHaveLength(rows);
    for (let i = 0; i < rows; i++) expect(back[i]).toEqual(readBack(make(i)));
  });

  it("takes rows as arrays or as objects keyed by column name", async () => {
    const table = await createTable(`id INT NOT NULL, "Name" TEXT, score DOUBLE PRECISION`);
    await using inserter = await Inserter.forTable(connection, table);
    inserter.addRow([1, "one", 1.5]);
    inserter.addRow({ score: 2.5, Name: "two", id: 2 });
    inserter.addRow({ id: 3 });
    inserter.addRow({ id: 4, Name: undefined, score: null });
    inserter.addRow([5, null, undefined]);
    expect(await inserter.execute()).toBe(5);
    expect(await connection.fetchAll(`SELECT * FROM ${table} ORDER BY id`)).toEqual([
      { id: 1, Name: "one", score: 1.5 },
      { id: 2, Name: "two", score: 2.5 },
      { id: 3, Name: null, score: null },
      { id: 4, Name: null, score: null },
      { id: 5, Name: null, score: null },
    ]);
  });

  it("inserts a subset of the columns, in the order given", async () => {
    const table = await createTable("a INT NOT NULL, b TEXT, c DOUBLE PRECISION, d BIGINT");
    await using inserter = await Inserter.forTable(connection, table, { columns: ["c", "a"] });
    expect(inserter.statement).toBe(
      `COPY "public"."${table}" ("c", "a") FROM STDIN WITH (FORMAT hyperbinary)`,
    );
    inserter.addRow([0.5, 1]);
    inserter.addRow({ a: 2, c: 1.5 });
    expect(() => inserter.addRow({ a: 3, b: "not inserted" })).toThrow(/"b"/);
    expect(await inserter.execute()).toBe(2);
    expect(await connection.fetchAll(`SELECT * FROM ${table} ORDER BY a`)).toEqual([
      { a: 1, b: null, c: 0.5, d: null },
      { a: 2, b: null, c: 1.5, d: null },
    ]);
  });

  it("inserts into a table of another attached database through a qualified name", async () => {
    await connection.attachDatabase(join(scratch.directory, "second.hyper"), {
      alias: "second",
      createMode: "CreateIfNotExists",
    });
    try {
      await connection.execute(`CREATE TABLE second.public."Items" (id INT NOT NULL, label TEXT)`);
      await using inserter = await Inserter.forTable(connection, 'second.public."Items"');
      expect(inserter.table.toString()).toBe('"second"."public"."Items"');
      inserter.addRows(numbered(1000, (i) => [i, `item ${i}`]));
      expect(await inserter.execute()).toBe(1000);
      expect(await connection.fetchScalar(`SELECT count(*) FROM second.public."Items"`)).toBe(1000n);
    } finally {
      await connection.detachDatabase("second");
    }
  });

  it("inserts into a temporary table and inside a transaction", async () => {
    await connection.execute("CREATE TEMPORARY TABLE scratch (x INT)");
    const definition = await new Catalog(connection).getTableDefinition("scratch");
    await connection.transaction(async () => {
      const inserter = new Inserter(connection, definition);
      inserter.addRows([[1], [2], [null]]);
      expect(await inserter.execute()).toBe(3);
    });
    expect(await connection.fetchScalar("SELECT count(*) FROM scratch")).toBe(3n);
  });
});

describe("Inserter: sources and chunks", () => {
  it("adds rows from an async iterable and from an object-mode Readable", async () => {
    const table = await createTable("id INT NOT NULL, label TEXT");
    await using inserter = await Inserter.forTable(connection, table);
    expect(await inserter.addFrom(slowly(numbered(500, (i) => [i, `async ${i}`])))).toBe(500);
    const readable = Readable.from(numbered(500, (i) => ({ id: 500 + i, label: `stream ${i}` })));
    expect(await inserter.addFrom(readable)).toBe(500);
    expect(await inserter.addFrom(numbered(500, (i) => [1000 + i, null]))).toBe(500);
    expect(await inserter.execute()).toBe(1500);
    expect(
      await connection.fetchOne(
        `SELECT count(*) AS n, count(DISTINCT id) AS ids, min(id) AS lo, max(id) AS hi, count(label) AS labels FROM ${table}`,
      ),
    ).toEqual({ n: 1500n, ids: 1500n, lo: 0, hi: 1499, labels: 1000n });
  });

  it("streams 150 000 rows in many small chunks", async () => {
    const table = await createTable("id INT NOT NULL, big BIGINT, label TEXT");
    const rows = 150_000;
    const socket = connection.core.rawSocket;
    const before = socket?.bytesWritten ?? 0;
    await using inserter = await Inserter.forTable(connection, table, { flushBytes: 32 * 1024 });
    // Through a Readable so backpressure decides the pace, not one synchronous loop.
    await inserter.addFrom(Readable.from(numbered(rows, (i) => [i, BigInt(i) * 3n, `row ${i}`])));
    expect(await inserter.execute()).toBe(rows);
    if (socket !== null) expect(socket.bytesWritten - before).toBeGreaterThan(rows * 10);
    expect(
      await connection.fetchOne(`SELECT count(*) AS n, sum(id) AS s, sum(big) AS b FROM ${table}`),
    ).toEqual({
      n: BigInt(rows),
      s: BigInt((rows * (rows - 1)) / 2),
      b: BigInt((3 * rows * (rows - 1)) / 2),
    });
  });

  it("can flush by hand and keeps the header to the first chunk", async () => {
    const table = await createTable("id INT NOT NULL");
    await using inserter = await Inserter.forTable(connection, table);
    for (let chunk = 0; chunk < 5; chunk++) {
      inserter.addRows(numbered(100, (i) => [chunk * 100 + i]));
      await inserter.flush();
    }
    await inserter.flush();
    expect(await inserter.execute()).toBe(500);
    expect(await count(table)).toBe(500n);
  });
});

describe("Inserter: cancelling", () => {
  it("cancel after several chunks loads nothing and frees the connection", async () => {
    const table = await createTable("id INT NOT NULL, label TEXT");
    const inserter = await Inserter.forTable(connection, table, { flushBytes: 4096 });
    inserter.addRows(numbered(20_000, (i) => [i, `label ${i}`]));
    await inserter.flush();
    await inserter.cancel();
    await inserter.cancel();
    expect(() => inserter.addRow([1, "late"])).toThrow(UsageError);
    await expect(inserter.execute()).rejects.toBeInstanceOf(UsageError);
    await expectUsable();
    expect(await count(table)).toBe(0n);
  });

  it("an error thrown by the source ends the COPY with CopyFail", async () => {
    const table = await createTable("id INT NOT NULL");
    const inserter = await Inserter.forTable(connection, table, { flushBytes: 1024 });
    const failure = new Error("source broke");
    async function* source(): AsyncGenerator<number[]> {
      for (let i = 0; i < 5000; i++) yield [i];
      throw failure;
    }
    await expect(inserter.addFrom(source())).rejects.toBe(failure);
    await expect(inserter.execute()).rejects.toBeInstanceOf(UsageError);
    await expectUsable();
    expect(await count(table)).toBe(0n);
  });

  it("a bad row from a source cancels the whole insert and names the row", async () => {
    const table = await createTable("id INT NOT NULL");
    const inserter = await Inserter.forTable(connection, table, { flushBytes: 1024 });
    const rows = numbered(3000, (i) => [i === 2500 ? "x" : i]);
    await expect(inserter.addFrom(rows)).rejects.toThrow(/row 2500 of the source: column "id"/);
    await expectUsable();
    expect(await count(table)).toBe(0n);
  });

  it("an AbortSignal cancels the insert", async () => {
    const table = await createTable("id INT NOT NULL");
    const controller = new AbortController();
    const inserter = await Inserter.forTable(connection, table, {
      flushBytes: 1024,
      signal: controller.signal,
    });
    inserter.addRows(numbered(5000, (i) => [i]));
    await inserter.flush();
    const reason = new Error("user pressed stop");
    controller.abort(reason);
    await expect(inserter.execute()).rejects.toSatisfy(
      (error) => error instanceof UsageError && error.cause === reason,
    );
    await inserter.cancel();
    await expectUsable();
    expect(await count(table)).toBe(0n);
  });

  it("an AbortSignal stops a running addFrom", async () => {
    const table = await createTable("id INT NOT NULL");
    const controller = new AbortController();
    const inserter = await Inserter.forTable(connection, table, {
      flushBytes: 1024,
      signal: controller.signal,
    });
    async function* endless(): AsyncGenerator<number[]> {
      for (let i = 0; ; i++) {
        if (i === 3000) controller.abort();
        await new Promise((resolve) => setImmediate(resolve));
        yield [i];
      }
    }
    await expect(inserter.addFrom(endless())).rejects.toBeInstanceOf(UsageError);
    await expectUsable();
    expect(await count(table)).toBe(0n);
  });

  it("an already aborted signal cancels at once", async () => {
    const table = await createTable("id INT");
    const inserter = await Inserter.forTable(connection, table, { signal: AbortSignal.abort() });
    expect(() => inserter.addRow([1])).toThrow(UsageError);
    await expectUsable();
  });

  it("disposing without execute loads nothing", async () => {
    const table = await createTable("id INT NOT NULL");
    {
      await using inserter = await Inserter.forTable(connection, table, { flushBytes: 512 });
      inserter.addRows(numbered(2000, (i) => [i]));
      await inserter.flush();
    }
    await expectUsable();
    expect(await count(table)).toBe(0n);
  });

  it("statements on the connection wait for the open COPY", async () => {
    const table = await createTable("id INT NOT NULL");
    const inserter = await Inserter.forTable(connection, table, { flushBytes: 64 });
    inserter.addRows(numbered(100, (i) => [i]));
    await inserter.flush();
    const counted = count(table);
    inserter.addRows(numbered(100, (i) => [100 + i]));
    expect(await inserter.execute()).toBe(200);
    expect(await counted).toBe(200n);
  });
});

describe("Inserter: errors", () => {
  it("rejects a second execute, and executes nothing as 0 without a COPY", async () => {
    const table = await createTable("id INT");
    const empty = await Inserter.forTable(connection, table);
    expect(await empty.execute()).toBe(0);
    await expect(empty.execute()).rejects.toBeInstanceOf(UsageError);
    expect(() => empty.addRow([1])).toThrow(UsageError);

    const rejected = await Inserter.forTable(connection, table);
    expect(() => rejected.addRow(["not a number"])).toThrow(InvalidArgumentError);
    await rejected.flush();
    expect(await rejected.execute()).toBe(0);

    const inserter = await Inserter.forTable(connection, table);
    inserter.addRow([1]);
    expect(await inserter.execute()).toBe(1);
    await expect(inserter.execute()).rejects.toBeInstanceOf(UsageError);
    await inserter.cancel();
    expect(await count(table)).toBe(1n);
  });

  it("rejects bad rows one by one and stays usable", async () => {
    const table = await createTable("id INT NOT NULL, label VARCHAR(5), amount NUMERIC(6,2)");
    await using inserter = await Inserter.forTable(connection, table);
    const bad: unknown[] = [
      ["x", "a", 1],
      [1.5, "a", 1],
      [1, "too long", 1],
      [1, "a", "12345.678"],
      [1, "a"],
      [1, "a", 1, 2],
      [null, "a", 1],
      { label: "a" },
      { id: 1, Label: "a" },
      { id: 1, extra: true },
      "a string",
      null,
    ];
    inserter.addRow([1, "ok", "1.25"]);
    for (const row of bad) {
      expect(() => inserter.addRow(row as never), JSON.stringify(row)).toThrow(InvalidArgumentError);
    }
    expect(() =>
      inserter.addRows([
        [2, "ok", 2],
        [3, 3, 3],
        [4, "ok", 4],
      ]),
    ).toThrow(/row 1: column "label"/);
    inserter.addRow({ id: 5, amount: -9.99 });
    expect(inserter.rowCount).toBe(3);
    expect(await inserter.execute()).toBe(3);
    expect(await connection.fetchAll(`SELECT * FROM ${table} ORDER BY id`)).toEqual([
      { id: 1, label: "ok", amount: "1.25" },
      { id: 2, label: "ok", amount: "2.00" },
      { id: 5, label: null, amount: "-9.99" },
    ]);
  });

  it("checks options and the table", async () => {
    const table = await createTable("a INT NOT NULL, b TEXT");
    await expect(Inserter.forTable(connection, "no_such_table")).rejects.toBeInstanceOf(NotFoundError);
    await expect(Inserter.forTable(connection, table, { columns: ["b", "zz"] })).rejects.toThrow(
      /has no column "zz"/,
    );
    await expect(Inserter.forTable(connection, table, { columns: ["a", "a"] })).rejects.toThrow(/twice/);
    await expect(Inserter.forTable(connection, table, { columns: ["b"] })).rejects.toThrow(/"a" .* NOT NULL/);
    await expect(Inserter.forTable(connection, table, { columns: [] })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    for (const flushBytes of [0, -1, 1.5, Number.NaN]) {
      await expect(Inserter.forTable(connection, table, { flushBytes })).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
    }
    expect(() => new Inserter(connection, new TableDefinition(table))).toThrow(/no columns/);
  });

  // The table really has VARCHAR(3); a definition claiming TEXT lets long strings through the
  // client's checks, so hyperd is the one to reject them.
  function claimingText(table: string): TableDefinition {
    return new TableDefinition(table)
      .addColumn("id", SqlType.int(), { nullable: false })
      .addColumn("label", SqlType.text());
  }

  it("a server error surfaces from execute and leaves the connection usable", async () => {
    const table = await createTable("id INT NOT NULL, label VARCHAR(3)");
    await using inserter = new Inserter(connection, claimingText(table));
    inserter.addRows(numbered(100, (i) => [i, i === 50 ? "too long" : "ok"]));
    const error: unknown = await inserter.execute().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HyperError);
    expect((error as HyperError).sqlstate).toBe("22P02");
    await expect(inserter.execute()).rejects.toBeInstanceOf(UsageError);
    await expectUsable();
    expect(await count(table)).toBe(0n);
  });

  it("a server error during streaming surfaces from the next write", async () => {
    const table = await createTable("id INT NOT NULL, label VARCHAR(3)");
    await using inserter = new Inserter(connection, claimingText(table), { flushBytes: 4096 });
    const rows = numbered(2_000_000, (i) => [i, i === 1000 ? "too long" : "ok"]);
    const error: unknown = await inserter.addFrom(rows).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HyperError);
    expect(inserter.rowCount).toBeLessThan(2_000_000);
    expect(() => inserter.addRow([1, "x"])).toThrow(HyperError);
    await expect(inserter.execute()).rejects.toBeInstanceOf(HyperError);
    await expectUsable();
    expect(await count(table)).toBe(0n);
  });
});
