import { describe, expect, it } from "vitest";
import { ByteWriter } from "../buffers/byte-writer.ts";
import { fieldDecoder } from "./field-decoder.ts";
import { hyperBinaryCopyEncoder } from "./hyper-binary-copy-encoder.ts";
import { HyperDate } from "./hyper-date.ts";
import { HyperInterval } from "./hyper-interval.ts";
import { HyperTime } from "./hyper-time.ts";
import { HyperTimestamp } from "./hyper-timestamp.ts";
import { type HyperType, numericTypmod, TypeOid } from "./oids.ts";
import { pgBinaryParamEncoder } from "./pg-binary-param-encoder.ts";
import { textParamEncoder } from "./text-param-encoder.ts";

/**
 * Every type through every encoder → decoder pair: COPY encoder (minus its length prefix) →
 * format 2, binary parameter encoder → format 1, text parameter encoder → format 0.
 */

const VARIABLE_WIDTH: ReadonlySet<number> = new Set([
  TypeOid.text,
  TypeOid.varchar,
  TypeOid.bpchar,
  TypeOid.char1,
  TypeOid.json,
  TypeOid.bytea,
  TypeOid.geography,
]);

const t = (oid: number, typmod = -1): HyperType => ({ oid, typmod });
const numeric = (precision: number, scale: number): HyperType =>
  t(TypeOid.numeric, numericTypmod(precision, scale));

const NON_ASCII = "héllo wörld ✓ 日本 🎉";
const BIG_STRING = NON_ASCII.repeat(Math.ceil((1 << 20) / Buffer.byteLength(NON_ASCII)));
const ALL_BYTES = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
const MAX38 = "99999999999999999999999999999999999999";
const TINY38 = `0.${"0".repeat(37)}1`;
const HOUR = 3_600_000_000n;

interface Case {
  readonly type: HyperType;
  readonly input: unknown;
  /** Decoded value; defaults to `input`. */
  readonly expected?: unknown;
  /** Restricts the case to some formats (e.g. GEOGRAPHY is bytes in binary, WKT in text). */
  readonly formats?: readonly (0 | 1 | 2)[];
}

const ts = (text: string) => HyperTimestamp.parse(text);
const tstz = (text: string) => HyperTimestamp.fromMicroseconds(HyperTimestamp.parse(text).microseconds, true);

const cases: Case[] = [
  { type: t(TypeOid.bool), input: true },
  { type: t(TypeOid.bool), input: false },
  ...[-32_768, 32_767, 0, -1].map((input) => ({ type: t(TypeOid.int2), input })),
  { type: t(TypeOid.int2), input: 12n, expected: 12 },
  ...[-2_147_483_648, 2_147_483_647, 0, -1].map((input) => ({ type: t(TypeOid.int4), input })),
  { type: t(TypeOid.int4), input: -(2n ** 31n), expected: -2_147_483_648 },
  ...[-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n].map((input) => ({ type: t(TypeOid.int8), input })),
  { type: t(TypeOid.int8), input: Number.MAX_SAFE_INTEGER, expected: BigInt(Number.MAX_SAFE_INTEGER) },
  { type: t(TypeOid.int8), input: Number.MIN_SAFE_INTEGER, expected: BigInt(Number.MIN_SAFE_INTEGER) },
  { type: t(TypeOid.int8), input: -1, expected: -1n },
  { type: t(TypeOid.int8), input: 4_294_967_296, expected: 4_294_967_296n },
  ...[0, 4_294_967_295, 1].map((input) => ({ type: t(TypeOid.oid), input })),
  ...[
    0,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    2.5,
    Math.fround(0.1),
    Math.fround(3.4028234663852886e38),
    Math.fround(1.4e-45),
  ].map((input) => ({ type: t(TypeOid.float4), input })),
  ...[
    0,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    0.1,
    1e300,
    -1.5,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ].map((input) => ({ type: t(TypeOid.float8), input })),
  { type: numeric(38, 0), input: MAX38 },
  { type: numeric(38, 0), input: `-${MAX38}` },
  { type: numeric(38, 38), input: TINY38 },
  { type: numeric(38, 38), input: `-${TINY38}` },
  { type: numeric(38, 38), input: `0.${MAX38}` },
  { type: numeric(10, 2), input: "-0.05" },
  { type: numeric(10, 2), input: "12.34" },
  { type: numeric(10, 2), input: "0.00" },
  { type: numeric(10, 2), input: "99999999.99" },
  { type: numeric(10, 2), input: 12.34, expected: "12.34" },
  { type: numeric(10, 2), input: 0.125, expected: "0.13" },
  { type: numeric(10, 2), input: 5n, expected: "5.00" },
  { type: numeric(10, 2), input: "1e3", expected: "1000.00" },
  { type: numeric(10, 2), input: 1e-7, expected: "0.00" },
  { type: numeric(18, 0), input: "999999999999999999" },
  { type: numeric(18, 0), input: "-999999999999999999" },
  { type: numeric(18, 3), input: "-9007199254740.993" },
  { type: numeric(18, 3), input: "9007199254740.992" },
  { type: numeric(19, 0), input: "9999999999999999999" },
  { type: numeric(19, 0), input: "-9999999999999999999" },
  { type: numeric(19, 4), input: "-0.0001" },
  { type: t(TypeOid.numeric), input: "-12", formats: [2] },
  ...[t(TypeOid.text), t(TypeOid.json), t(TypeOid.varchar), t(TypeOid.bpchar)].flatMap((type) =>
    ["", NON_ASCII, BIG_STRING].map((input) => ({ type, input })),
  ),
  { type: t(TypeOid.varchar, 18 + 4), input: NON_ASCII },
  { type: t(TypeOid.bpchar, 18 + 4), input: NON_ASCII },
  { type: t(TypeOid.char1), input: "é" },
  { type: t(TypeOid.char1), input: "🎉" },
  { type: t(TypeOid.json), input: '{"a":[1,2,"✓"]}' },
  { type: t(TypeOid.bytea), input: new Uint8Array(0) },
  { type: t(TypeOid.bytea), input: ALL_BYTES },
  { type: t(TypeOid.bytea), input: Buffer.from([0, 1, 2]), expected: new Uint8Array([0, 1, 2]) },
  { type: t(TypeOid.geography), input: new Uint8Array([1, 2, 3, 0, 255]), formats: [1, 2] },
  { type: t(TypeOid.geography), input: "POINT(1.0000000 2.0000000)", formats: [0] },
  ...["0001-01-01", "1970-01-01", "2000-01-01", "2024-02-29", "9999-12-31"].map((text) => ({
    type: t(TypeOid.date),
    input: HyperDate.parse(text),
  })),
  { type: t(TypeOid.date), input: "2024-06-15", expected: HyperDate.fromParts(2024, 6, 15) },
  {
    type: t(TypeOid.date),
    input: new Date("2024-06-15T22:00:00Z"),
    expected: HyperDate.fromParts(2024, 6, 15),
  },
  ...["00:00:00", "23:59:59.999999", "12:34:56.789"].map((text) => ({
    type: t(TypeOid.time),
    input: HyperTime.parse(text),
  })),
  { type: t(TypeOid.time), input: "01:02:03.5", expected: HyperTime.fromParts(1, 2, 3, 500_000) },
  ...[
    "0001-01-01 00:00:00",
    "9999-12-31 23:59:59.999999",
    "1970-01-01 00:00:00",
    "2024-06-15 12:34:56.789",
  ].map((text) => ({ type: t(TypeOid.timestamp), input: ts(text) })),
  {
    type: t(TypeOid.timestamp),
    input: "1969-12-31 23:59:59.999999",
    expected: ts("1969-12-31 23:59:59.999999"),
  },
  {
    type: t(TypeOid.timestamp),
    input: new Date("2024-06-15T12:34:56.789Z"),
    expected: ts("2024-06-15 12:34:56.789"),
  },
  ...["0001-01-01 00:00:00", "9999-12-31 23:59:59.999999", "2024-06-15 12:34:56.789"].map((text) => ({
    type: t(TypeOid.timestamptz),
    input: tstz(text),
  })),
  {
    type: t(TypeOid.timestamptz),
    input: ts("2024-06-15 12:34:56.789"),
    expected: tstz("2024-06-15 12:34:56.789"),
  },
  {
    type: t(TypeOid.timestamptz),
    input: "2024-06-15 18:04:56.789+05:30",
    expected: tstz("2024-06-15 12:34:56.789"),
  },
  {
    type: t(TypeOid.timestamptz),
    input: new Date("2024-06-15T12:34:56.789Z"),
    expected: tstz("2024-06-15 12:34:56.789"),
  },
  ...[
    HyperInterval.of(12, 2, 3_000_000n),
    HyperInterval.of(-1, 3, 4n * HOUR + 306_500_000n),
    HyperInterval.of(-14, -3, -(4n * HOUR + 306_500_000n)),
    HyperInterval.of(0, 0, 0n),
    HyperInterval.of(0, 0, -1n),
    HyperInterval.of(2_147_483_647, -2_147_483_648, 2n ** 63n - 1n),
    HyperInterval.of(-2_147_483_648, 2_147_483_647, -(2n ** 63n)),
  ].map((input) => ({ type: t(TypeOid.interval), input })),
  { type: t(TypeOid.interval), input: "P1Y2DT3S", expected: HyperInterval.of(12, 2, 3_000_000n) },
];

const JUNK = Buffer.from([0xde, 0xad, 0xbe]);

/** Decodes `bytes` placed at an offset in a larger buffer, then clobbers the buffer (results must not alias it). */
function decode(type: HyperType, format: 0 | 1 | 2, bytes: Uint8Array): unknown {
  const buf = Buffer.concat([JUNK, bytes, JUNK]);
  const value = fieldDecoder(type, format)(buf, JUNK.length, bytes.length);
  buf.fill(0x55);
  return value;
}

function viaCopy(type: HyperType, value: unknown): unknown {
  const out = new ByteWriter(16);
  hyperBinaryCopyEncoder(type)(value, out);
  let bytes = out.toBuffer();
  if (VARIABLE_WIDTH.has(type.oid)) {
    expect(bytes.readUInt32LE(0)).toBe(bytes.length - 4);
    bytes = bytes.subarray(4);
  }
  return decode(type, 2, bytes);
}

function viaPgBinary(type: HyperType, value: unknown): unknown {
  return decode(type, 1, pgBinaryParamEncoder(type)(value));
}

function viaText(type: HyperType, value: unknown): unknown {
  return decode(type, 0, Buffer.from(textParamEncoder(type)(value), "utf8"));
}

interface Comparable {
  equals(other: unknown): boolean;
}

function expectSame(actual: unknown, expected: unknown, label: string): void {
  if (expected instanceof Uint8Array) {
    expect(actual, label).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(actual), `${label} is a plain Uint8Array`).toBe(false);
    const same = Buffer.from(actual as Uint8Array).equals(Buffer.from(expected));
    expect(same, `${label} bytes`).toBe(true);
  } else if (typeof expected === "object" && expected !== null) {
    expect(actual, label).toBeInstanceOf(expected.constructor);
    expect(String(actual), label).toBe(String(expected));
    expect((actual as Comparable).equals(expected), label).toBe(true);
  } else {
    expect(actual, label).toBe(expected);
  }
}

function describeCase(c: Case): string {
  const shown =
    typeof c.input === "string" && c.input.length > 40
      ? `string(${c.input.length})`
      : c.input instanceof Uint8Array
        ? `bytes(${c.input.length})`
        : typeof c.input === "bigint"
          ? `${c.input}n`
          : Object.is(c.input, -0)
            ? "-0"
            : String(c.input);
  return `oid ${c.type.oid}/${c.type.typmod} ${shown}`;
}

describe.each([
  { name: "HyperBinary COPY → format 2", format: 2 as const, roundTrip: viaCopy },
  { name: "binary parameter → format 1", format: 1 as const, roundTrip: viaPgBinary },
  { name: "text parameter → format 0", format: 0 as const, roundTrip: viaText },
])("$name", ({ format, roundTrip }) => {
  const applicable = cases.filter((c) => c.formats === undefined || c.formats.includes(format));
  it.each(applicable.map((c) => [describeCase(c), c] as const))("%s", (_, c) => {
    const expected = "expected" in c ? c.expected : c.input;
    expectSame(roundTrip(c.type, c.input), expected, describeCase(c));
  });
});

describe("NUMERIC width in COPY follows the column precision", () => {
  const width = (type: HyperType, value: unknown): number => {
    const out = new ByteWriter(16);
    hyperBinaryCopyEncoder(type)(value, out);
    return out.length;
  };

  it("writes 8 bytes up to precision 18 and 16 bytes above", () => {
    expect(width(numeric(18, 0), "1")).toBe(8);
    expect(width(numeric(18, 18), "0.1")).toBe(8);
    expect(width(numeric(19, 0), "1")).toBe(16);
    expect(width(numeric(38, 2), "1")).toBe(16);
    expect(width(t(TypeOid.numeric), "1")).toBe(16);
  });

  it("lets the decoder pick the width from the value length", () => {
    const type = numeric(19, 2);
    expect(decode(type, 2, Buffer.from("d204000000000000", "hex"))).toBe("12.34");
    expect(decode(type, 2, Buffer.from(`d204${"00".repeat(14)}`, "hex"))).toBe("12.34");
  });
});
