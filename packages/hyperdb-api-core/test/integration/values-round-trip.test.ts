import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ByteWriter,
  type Connection,
  type CopyColumn,
  HyperBinaryRowEncoder,
  HyperDate,
  HyperInterval,
  HyperTime,
  HyperTimestamp,
  type HyperType,
  numericTypmod,
  type ParameterValue,
  TypeOid,
} from "../../src/index.ts";
import { openScratchDatabase, type ScratchDatabase } from "./test-hyperd.ts";

/**
 * Every Hyper type, written with HyperBinary COPY and read back in all result formats (and as
 * bind parameters), must come back as exactly the JS value that went in. SQL literals check the
 * decoders against values that did not pass through this package's encoders.
 */

const MIB = 1024 * 1024;

/** How a value is read back: a result format of the extended protocol, or the simple protocol. */
type Reading = 0 | 1 | 2 | "simple";
const READINGS: readonly Reading[] = [2, 1, 0, "simple"];

interface TypeCase {
  /** Column base name: `<column>_nn` is NOT NULL, `<column>` nullable. */
  readonly column: string;
  readonly sql: string;
  /** The type the server must report for the column. */
  readonly type: HyperType;
  /** Non-NULL edge values, as given to the encoder. */
  readonly values: readonly ParameterValue[];
  /** What a value reads back as, when not the value itself (CHARACTER(n) is blank-padded). */
  readonly readBack?: (value: unknown, reading: Reading) => unknown;
  /** SQL literals (cast to the column type by the test) and the values they must decode to. */
  readonly literals: readonly (readonly [sql: string, expected: unknown])[];
}

const t = (oid: number, typmod = -1): HyperType => ({ oid, typmod });
const numeric = (precision: number, scale: number): HyperType =>
  t(TypeOid.numeric, numericTypmod(precision, scale));
const date = (y: number, m: number, d: number): HyperDate => HyperDate.fromParts(y, m, d);
const time = (h: number, mi: number, s: number, us = 0): HyperTime => HyperTime.fromParts(h, mi, s, us);
const timestamp = (
  [y, m, d]: readonly [number, number, number],
  [h, mi, s, us]: readonly [number, number, number, number],
  withTimeZone = false,
): HyperTimestamp => HyperTimestamp.fromDateAndTime(date(y, m, d), time(h, mi, s, us), withTimeZone);

/** Deterministic pseudo-random bytes (xorshift32), so a failure is reproducible. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

const NON_ASCII = "héllo wörld ✓ 日本 🎉";
/** 1 MiB (UTF-16 code units) of text mixing 1- to 4-byte UTF-8 characters. */
const ONE_MIB_TEXT = "aé✓🎉 日本\t\\".repeat(MIB / 10).padEnd(MIB, "z");
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);
const ONE_MIB_BYTES = pseudoRandomBytes(MIB, 0x2545f491);
const NINES_38 = "9".repeat(38);
const SMALLEST_38_38 = `0.${"0".repeat(37)}1`;

/** CHARACTER(n) reads back blank-padded to n characters (code points). */
function padded(length: number): (value: unknown) => unknown {
  return (value) => {
    const text = value as string;
    return text + " ".repeat(Math.max(0, length - [...text].length));
  };
}

const FAMILIES: Readonly<Record<string, readonly TypeCase[]>> = {
  integers: [
    {
      column: "b",
      sql: "BOOLEAN",
      type: t(TypeOid.bool),
      values: [true, false],
      literals: [
        ["true", true],
        ["false", false],
      ],
    },
    {
      column: "i2",
      sql: "SMALLINT",
      type: t(TypeOid.int2),
      values: [-32_768, 32_767, 0, -1, 1],
      literals: [
        ["'-32768'", -32_768],
        ["'32767'", 32_767],
        ["-1", -1],
      ],
    },
    {
      column: "i4",
      sql: "INTEGER",
      type: t(TypeOid.int4),
      values: [-2_147_483_648, 2_147_483_647, 0, -1, 1],
      literals: [
        ["'-2147483648'", -2_147_483_648],
        ["'2147483647'", 2_147_483_647],
        ["-1", -1],
      ],
    },
    {
      column: "i8",
      sql: "BIGINT",
      type: t(TypeOid.int8),
      values: [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n],
      literals: [
        ["'-9223372036854775808'", -(2n ** 63n)],
        ["'9223372036854775807'", 2n ** 63n - 1n],
        ["'9007199254740993'", 2n ** 53n + 1n],
        ["-1", -1n],
      ],
    },
    {
      column: "o",
      sql: "OID",
      type: t(TypeOid.oid),
      values: [0, 4_294_967_295, 2_147_483_648, 1],
      literals: [
        ["'4294967295'", 4_294_967_295],
        ["'2147483648'", 2_147_483_648],
        ["'0'", 0],
      ],
    },
  ],
  floats: [
    {
      column: "r",
      sql: "REAL",
      type: t(TypeOid.float4),
      values: [
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        -0,
        0,
        2 ** -149, // smallest subnormal float32
        -(2 ** -149),
        2 ** -126, // smallest normal float32
        Math.fround(3.4028234663852886e38), // largest float32
        -Math.fround(3.4028234663852886e38),
        Math.fround(0.1),
        -1,
        Math.fround(1 / 3),
      ],
      literals: [
        ["'NaN'", Number.NaN],
        ["'-Infinity'", Number.NEGATIVE_INFINITY],
        ["'-0'", -0],
        ["'0.1'", Math.fround(0.1)],
        ["'3.4028235e38'", Math.fround(3.4028234663852886e38)],
        ["'1.4e-45'", 2 ** -149],
      ],
    },
    {
      column: "d",
      sql: "DOUBLE PRECISION",
      type: t(TypeOid.float8),
      values: [
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        -0,
        0,
        Number.MIN_VALUE, // smallest subnormal double
        -Number.MIN_VALUE,
        2.2250738585072014e-308, // smallest normal double
        Number.MAX_VALUE,
        -Number.MAX_VALUE,
        0.1,
        1 / 3,
        -1,
        2 ** 53 + 2,
      ],
      literals: [
        ["'NaN'", Number.NaN],
        ["'Infinity'", Number.POSITIVE_INFINITY],
        ["'-0'", -0],
        ["'0.1'", 0.1],
        ["'5e-324'", Number.MIN_VALUE],
        ["'1.7976931348623157e308'", Number.MAX_VALUE],
      ],
    },
  ],
  numerics: [
    {
      column: "n18_0",
      sql: "NUMERIC(18,0)",
      type: numeric(18, 0),
      values: ["999999999999999999", "-999999999999999999", "0", "-1", "9007199254740993"],
      literals: [
        ["999999999999999999", "999999999999999999"],
        ["-9007199254740993", "-9007199254740993"],
      ],
    },
    {
      column: "n18_4",
      sql: "NUMERIC(18,4)",
      type: numeric(18, 4),
      values: ["99999999999999.9999", "-99999999999999.9999", "0.0000", "-0.0001", "0.0001"],
      literals: [
        ["-99999999999999.9999", "-99999999999999.9999"],
        ["0.5", "0.5000"],
      ],
    },
    {
      column: "n19_0",
      sql: "NUMERIC(19,0)",
      type: numeric(19, 0),
      values: ["9999999999999999999", "-9999999999999999999", "0", "-1"],
      literals: [
        ["'9999999999999999999'", "9999999999999999999"],
        ["'-9999999999999999999'", "-9999999999999999999"],
      ],
    },
    {
      column: "n19_3",
      sql: "NUMERIC(19,3)",
      type: numeric(19, 3),
      values: ["9999999999999999.999", "-9999999999999999.999", "0.000", "-0.001"],
      literals: [["-9999999999999999.999", "-9999999999999999.999"]],
    },
    {
      column: "n38_0",
      sql: "NUMERIC(38,0)",
      type: numeric(38, 0),
      values: [NINES_38, `-${NINES_38}`, "0", "-1", "18446744073709551616"],
      literals: [
        [`'${NINES_38}'`, NINES_38],
        [`'-${NINES_38}'`, `-${NINES_38}`],
      ],
    },
    {
      column: "n38_38",
      sql: "NUMERIC(38,38)",
      type: numeric(38, 38),
      values: [SMALLEST_38_38, `-${SMALLEST_38_38}`, `0.${NINES_38}`, `0.${"0".repeat(38)}`],
      literals: [
        [SMALLEST_38_38, SMALLEST_38_38],
        // Unquoted, a literal this long is a DOUBLE PRECISION constant in Hyper.
        [`'-0.${NINES_38}'`, `-0.${NINES_38}`],
      ],
    },
    {
      column: "n10_2",
      sql: "NUMERIC(10,2)",
      type: numeric(10, 2),
      values: ["-0.05", "99999999.99", "-99999999.99", "0.00", "30.30"],
      literals: [
        ["-0.05", "-0.05"],
        ["12.3", "12.30"],
        ["-99999999.99", "-99999999.99"],
      ],
    },
  ],
  strings: [
    {
      column: "txt",
      sql: "TEXT",
      type: t(TypeOid.text),
      values: ["", NON_ASCII, ONE_MIB_TEXT, "tab\tnewline\nbackslash\\ quote\" apostrophe' \\N", "NULL"],
      literals: [
        ["''", ""],
        ["'it''s ✓ 日本 🎉'", "it's ✓ 日本 🎉"],
        ["repeat('ab', 3)", "ababab"],
      ],
    },
    {
      column: "vc",
      sql: "VARCHAR(20)",
      type: t(TypeOid.varchar, 24),
      values: ["", NON_ASCII, "12345678901234567890", "trailing  "],
      literals: [
        ["'héllo'", "héllo"],
        ["''", ""],
      ],
    },
    {
      column: "c1",
      sql: "CHARACTER(1)",
      type: t(TypeOid.char1),
      values: ["a", "é", "日", "Z"],
      readBack: padded(1),
      literals: [
        ["'x'", "x"],
        ["'ö'", "ö"],
      ],
    },
    {
      column: "cn",
      sql: "CHARACTER(10)",
      type: t(TypeOid.bpchar, 14),
      values: ["abc", "", "héllo ✓", "1234567890", "日本"],
      readBack: padded(10),
      literals: [
        ["'abc'", "abc       "],
        ["'ü'", "ü         "],
      ],
    },
    {
      column: "js",
      sql: "JSON",
      type: t(TypeOid.json),
      values: ['{"a":1,"b":[true,null,"✓"]}', "[]", '"🎉"', "3.5"],
      literals: [["'{\"k\": [1, 2]}'", '{"k": [1, 2]}']],
    },
  ],
  binary: [
    {
      column: "by",
      sql: "BYTEA",
      type: t(TypeOid.bytea),
      values: [new Uint8Array(0), ALL_BYTES, ONE_MIB_BYTES],
      literals: [
        ["'\\x00ff10'", new Uint8Array([0x00, 0xff, 0x10])],
        ["''", new Uint8Array(0)],
        ["'abc'", new Uint8Array([0x61, 0x62, 0x63])],
      ],
    },
  ],
  temporal: [
    {
      column: "dt",
      sql: "DATE",
      type: t(TypeOid.date),
      values: [date(1, 1, 1), date(1970, 1, 1), date(2000, 1, 1), date(2024, 2, 29), date(9999, 12, 31)],
      literals: [
        ["'0001-01-01'", date(1, 1, 1)],
        ["'2024-02-29'", date(2024, 2, 29)],
        ["'9999-12-31'", date(9999, 12, 31)],
      ],
    },
    {
      column: "tm",
      sql: "TIME",
      type: t(TypeOid.time),
      values: [time(0, 0, 0), time(23, 59, 59, 999_999), time(12, 34, 56, 789_000), time(0, 0, 0, 1)],
      literals: [
        ["'00:00:00'", time(0, 0, 0)],
        ["'23:59:59.999999'", time(23, 59, 59, 999_999)],
      ],
    },
    {
      column: "ts",
      sql: "TIMESTAMP",
      type: t(TypeOid.timestamp),
      values: [
        timestamp([1, 1, 1], [0, 0, 0, 0]),
        timestamp([9999, 12, 31], [23, 59, 59, 999_999]),
        timestamp([1970, 1, 1], [0, 0, 0, 0]),
        timestamp([2000, 1, 1], [0, 0, 0, 1]),
        timestamp([2024, 2, 29], [12, 0, 0, 0]),
      ],
      literals: [
        ["'0001-01-01 00:00:00'", timestamp([1, 1, 1], [0, 0, 0, 0])],
        ["'9999-12-31 23:59:59.999999'", timestamp([9999, 12, 31], [23, 59, 59, 999_999])],
        ["'1969-12-31 23:59:59.5'", timestamp([1969, 12, 31], [23, 59, 59, 500_000])],
      ],
    },
    {
      column: "tz",
      sql: "TIMESTAMP WITH TIME ZONE",
      type: t(TypeOid.timestamptz),
      values: [
        timestamp([1, 1, 1], [0, 0, 0, 0], true),
        timestamp([9999, 12, 31], [23, 59, 59, 999_999], true),
        timestamp([1970, 1, 1], [0, 0, 0, 0], true),
        timestamp([2024, 2, 29], [12, 0, 0, 1], true),
      ],
      literals: [
        ["'2024-02-29 12:00:00+02'", timestamp([2024, 2, 29], [10, 0, 0, 0], true)],
        ["'9999-12-31 23:59:59.999999+00'", timestamp([9999, 12, 31], [23, 59, 59, 999_999], true)],
        ["'0001-01-01 00:00:00+00'", timestamp([1, 1, 1], [0, 0, 0, 0], true)],
      ],
    },
    {
      column: "iv",
      sql: "INTERVAL",
      type: t(TypeOid.interval),
      values: [
        HyperInterval.of(-14, 3, -14_706_000_007n),
        HyperInterval.of(14, -3, 14_706_000_007n),
        HyperInterval.of(0, 0, 0n),
        HyperInterval.of(1, -1, 1n),
        HyperInterval.of(0, 0, -500_000n),
      ],
      literals: [
        ["'1 year 2 months -3 days 04:05:06.000007'", HyperInterval.of(14, -3, 14_706_000_007n)],
        ["'-1 day'", HyperInterval.of(0, -1, 0n)],
        ["'-0.5 seconds'", HyperInterval.of(0, 0, -500_000n)],
      ],
    },
  ],
};

const VALUE_CLASSES = [HyperDate, HyperTime, HyperTimestamp, HyperInterval] as const;

/** Why `actual` is not exactly `expected`, or undefined when it is. */
function difference(actual: unknown, expected: unknown): string | undefined {
  if (expected === null) return actual === null ? undefined : `expected NULL, got ${show(actual)}`;
  for (const type of VALUE_CLASSES) {
    if (expected instanceof type) {
      if (!(actual instanceof type)) return `expected a ${type.name} ${show(expected)}, got ${show(actual)}`;
      const same = (expected as { equals(other: unknown): boolean }).equals(actual);
      return same && String(actual) === String(expected)
        ? undefined
        : `expected ${show(expected)}, got ${show(actual)}`;
    }
  }
  if (expected instanceof Uint8Array) {
    if (!(actual instanceof Uint8Array)) return `expected ${expected.length} bytes, got ${show(actual)}`;
    return Buffer.compare(actual, expected) === 0
      ? undefined
      : `expected ${show(expected)}, got ${show(actual)}`;
  }
  if (typeof expected === "string" && typeof actual === "string" && actual !== expected) {
    let index = 0;
    while (index < actual.length && actual[index] === expected[index]) index++;
    return `strings differ at index ${index} (lengths ${actual.length} vs ${expected.length}): expected ${show(expected)}, got ${show(actual)}`;
  }
  return Object.is(actual, expected) ? undefined : `expected ${show(expected)}, got ${show(actual)}`;
}

function show(value: unknown): string {
  if (typeof value === "string")
    return value.length > 80 ? `"${value.slice(0, 80)}…" (${value.length})` : `"${value}"`;
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (value instanceof Uint8Array) {
    const hex = Buffer.from(value.subarray(0, 32)).toString("hex");
    return `<${value.length} bytes ${hex}${value.length > 32 ? "…" : ""}>`;
  }
  if (value !== null && typeof value === "object") return `${value.constructor.name}(${String(value)})`;
  return String(value);
}

/** Collects every mismatch so one run reports all broken values, not just the first. */
class Mismatches {
  private readonly list: string[] = [];

  check(where: string, actual: unknown, expected: unknown): void {
    const problem = difference(actual, expected);
    if (problem !== undefined) this.list.push(`${where}: ${problem}`);
  }

  assertNone(): void {
    expect(this.list).toEqual([]);
  }
}

function expectedRead(typeCase: TypeCase, value: unknown, reading: Reading): unknown {
  if (value === null) return null;
  return typeCase.readBack === undefined ? value : typeCase.readBack(value, reading);
}

async function readAll(connection: Connection, sql: string, reading: Reading): Promise<unknown[][]> {
  if (reading === "simple") {
    const results = await connection.simpleQuery(sql);
    expect(results.length).toBe(1);
    return results[0]?.rows ?? [];
  }
  return (await connection.query(sql, { format: reading }).all()).rows;
}

describe("every Hyper type round-trips exactly", () => {
  let db: ScratchDatabase;
  let connection: Connection;

  beforeAll(async () => {
    db = await openScratchDatabase();
    connection = db.connection;
    // Connections ask for exact float text at login (extra_float_digits); prove it took effect.
    expect((await connection.simpleQuery("SHOW extra_float_digits"))[0]?.rows).toEqual([["3"]]);
  });

  afterAll(async () => {
    await db.dispose();
  });

  describe.each(Object.entries(FAMILIES))("%s", (family, cases) => {
    const rowCount = Math.max(...cases.map((c) => c.values.length)) + 1;

    /** Row r: value r (cycling) in every column; the last row has NULL in every nullable column. */
    function valueAt(typeCase: TypeCase, row: number, nullable: boolean): unknown {
      if (nullable && row === rowCount - 1) return null;
      return typeCase.values[row % typeCase.values.length];
    }

    it("through HyperBinary COPY, read in formats 2, 1, 0 and by the simple protocol", async () => {
      const table = `copy_${family}`;
      const definitions = cases.flatMap((c) => [`${c.column}_nn ${c.sql} NOT NULL`, `${c.column} ${c.sql}`]);
      await connection.execute(`CREATE TABLE ${table} (id INTEGER NOT NULL, ${definitions.join(", ")})`);

      // The encoder is built from the types the server reports, as a real inserter would.
      const { columns: described } = await connection.query(`SELECT * FROM ${table} LIMIT 0`).all();
      expect(described.map((c) => ({ oid: c.typeOid, typmod: c.typmod }))).toEqual([
        t(TypeOid.int4),
        ...cases.flatMap((c) => [c.type, c.type]),
      ]);
      const copyColumns: CopyColumn[] = described.map((c, i) => ({
        name: c.name,
        type: { oid: c.typeOid, typmod: c.typmod },
        nullable: i > 0 && i % 2 === 0,
      }));
      const encoder = new HyperBinaryRowEncoder(copyColumns);
      const out = new ByteWriter();
      encoder.writeHeader(out);
      for (let row = 0; row < rowCount; row++) {
        encoder.encodeRow(
          [row, ...cases.flatMap((c) => [valueAt(c, row, false), valueAt(c, row, true)])],
          out,
        );
      }
      const writer = await connection.copyIn(`COPY ${table} FROM STDIN WITH (FORMAT hyperbinary)`);
      await writer.write(out.toBuffer());
      expect(await writer.end()).toBe(rowCount);

      const mismatches = new Mismatches();
      for (const reading of READINGS) {
        const rows = await readAll(connection, `SELECT * FROM ${table} ORDER BY id`, reading);
        expect(rows.length).toBe(rowCount);
        rows.forEach((cells, row) => {
          mismatches.check(`format ${reading} row ${row} id`, cells[0], row);
          cases.forEach((c, i) => {
            for (const nullable of [false, true]) {
              const cell = cells[1 + 2 * i + (nullable ? 1 : 0)];
              const expected = expectedRead(c, valueAt(c, row, nullable) ?? null, reading);
              mismatches.check(
                `format ${reading} row ${row} ${c.column}${nullable ? "" : "_nn"}`,
                cell,
                expected,
              );
            }
          });
        });
      }
      mismatches.assertNone();
    });

    it("as bind parameters with explicit types", async () => {
      const mismatches = new Mismatches();
      for (const c of cases) {
        const params = [...c.values, null];
        const select = params.map((_, i) => `$${i + 1}::${c.sql}`).join(", ");
        for (const reading of [2, 1, 0] as const) {
          const { rows } = await connection
            .query(`SELECT ${select}`, { params, paramTypes: params.map(() => c.type.oid), format: reading })
            .all();
          expect(rows.length).toBe(1);
          params.forEach((value, i) => {
            mismatches.check(
              `${c.sql} parameter ${i + 1} format ${reading}`,
              rows[0]?.[i],
              expectedRead(c, value, reading),
            );
          });
        }
      }
      mismatches.assertNone();
    });

    it("from SQL literals inserted with INSERT … VALUES", async () => {
      const table = `literal_${family}`;
      const definitions = cases.map((c) => `${c.column} ${c.sql}`);
      await connection.execute(`CREATE TABLE ${table} (id INTEGER NOT NULL, ${definitions.join(", ")})`);
      const literalRows = Math.max(...cases.map((c) => c.literals.length)) + 1;
      const literalAt = (c: TypeCase, row: number): readonly [string, unknown] =>
        row === literalRows - 1 ? ["NULL", null] : (c.literals[row % c.literals.length] ?? ["NULL", null]);
      const tuples = Array.from(
        { length: literalRows },
        (_, row) => `(${row}, ${cases.map((c) => `CAST(${literalAt(c, row)[0]} AS ${c.sql})`).join(", ")})`,
      );
      await connection.execute(`INSERT INTO ${table} VALUES ${tuples.join(", ")}`);

      const mismatches = new Mismatches();
      for (const reading of READINGS) {
        const rows = await readAll(connection, `SELECT * FROM ${table} ORDER BY id`, reading);
        expect(rows.length).toBe(literalRows);
        rows.forEach((cells, row) => {
          cases.forEach((c, i) => {
            const [sql, expected] = literalAt(c, row);
            mismatches.check(`format ${reading} ${c.sql} literal ${sql}`, cells[1 + i], expected);
          });
        });
      }
      mismatches.assertNone();
    });
  });

  describe("GEOGRAPHY", () => {
    const WKT = ["POINT(1 2)", "POINT(-122.5 47.25)"];
    /** How hyperd prints them back. */
    const PRINTED = ["POINT(1.0000000 2.0000000)", "POINT(-122.5000000 47.2500000)"];

    it("re-inserts Hyper's own bytes through HyperBinary COPY", async () => {
      const selectWkt = `SELECT ${WKT.map((w) => `CAST('${w}' AS GEOGRAPHY)`).join(", ")}`;
      const [hyperBytes] = (await connection.query(selectWkt, { format: 2 }).all()).rows;
      const [printed] = (await connection.query(selectWkt, { format: 0 }).all()).rows;
      expect(printed).toEqual(PRINTED);
      expect(hyperBytes?.every((value) => value instanceof Uint8Array && value.length > 0)).toBe(true);

      await connection.execute(
        "CREATE TABLE geo (id INTEGER NOT NULL, g_nn GEOGRAPHY NOT NULL, g GEOGRAPHY)",
      );
      const encoder = new HyperBinaryRowEncoder([
        { name: "id", type: t(TypeOid.int4), nullable: false },
        { name: "g_nn", type: t(TypeOid.geography), nullable: false },
        { name: "g", type: t(TypeOid.geography), nullable: true },
      ]);
      const out = new ByteWriter();
      encoder.writeHeader(out);
      encoder.encodeRow([0, hyperBytes?.[0], hyperBytes?.[0]], out);
      encoder.encodeRow([1, hyperBytes?.[1], hyperBytes?.[1]], out);
      encoder.encodeRow([2, hyperBytes?.[1], null], out);
      const writer = await connection.copyIn("COPY geo FROM STDIN WITH (FORMAT hyperbinary)");
      await writer.write(out.toBuffer());
      expect(await writer.end()).toBe(3);

      const { rows: asText } = await connection
        .query("SELECT id, g_nn::text, g::text FROM geo ORDER BY id")
        .all();
      expect(asText).toEqual([
        [0, PRINTED[0], PRINTED[0]],
        [1, PRINTED[1], PRINTED[1]],
        [2, PRINTED[1], null],
      ]);
      // Format 1 is not offered: hyperd has no PostgreSQL binary output for GEOGRAPHY.
      const mismatches = new Mismatches();
      for (const reading of [2, 0, "simple"] as const) {
        const rows = await readAll(connection, "SELECT g_nn, g FROM geo ORDER BY id", reading);
        const expected = reading === 2 ? hyperBytes : PRINTED;
        rows.forEach((cells, row) => {
          const value = expected?.[row === 2 ? 1 : row];
          mismatches.check(`format ${reading} row ${row} g_nn`, cells[0], value);
          mismatches.check(`format ${reading} row ${row} g`, cells[1], row === 2 ? null : value);
        });
      }
      mismatches.assertNone();
    });

    it("takes WKT text as a bind parameter", async () => {
      const { rows } = await connection
        .query("SELECT $1::text, $2 IS NULL", {
          params: [WKT[1], null],
          paramTypes: [TypeOid.geography, TypeOid.geography],
        })
        .all();
      expect(rows).toEqual([[PRINTED[1], true]]);
    });

    it("takes Hyper's own geography bytes as a bind parameter", async () => {
      const { rows: original } = await connection.query(`SELECT CAST('${WKT[0]}' AS GEOGRAPHY)`).all();
      const bytes = original[0]?.[0];
      expect(bytes).toBeInstanceOf(Uint8Array);
      const { rows } = await connection
        .query("SELECT $1::text", { params: [bytes as Uint8Array], paramTypes: [TypeOid.geography] })
        .all();
      expect(rows).toEqual([[PRINTED[0]]]);
    });
  });
});
