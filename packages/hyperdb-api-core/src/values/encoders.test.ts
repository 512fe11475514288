import { describe, expect, it } from "vitest";
import { ByteWriter } from "../buffers/byte-writer.ts";
import { InvalidArgumentError } from "../errors/index.ts";
import { hyperBinaryCopyEncoder } from "./hyper-binary-copy-encoder.ts";
import { HyperDate } from "./hyper-date.ts";
import { HyperInterval } from "./hyper-interval.ts";
import { HyperTime } from "./hyper-time.ts";
import { HyperTimestamp } from "./hyper-timestamp.ts";
import { type HyperType, numericTypmod, TypeOid } from "./oids.ts";
import { pgBinaryParamEncoder } from "./pg-binary-param-encoder.ts";
import { textParamEncoder } from "./text-param-encoder.ts";

const t = (oid: number, typmod = -1): HyperType => ({ oid, typmod });
const numeric = (precision: number, scale: number): HyperType =>
  t(TypeOid.numeric, numericTypmod(precision, scale));

function copyHex(type: HyperType, value: unknown): string {
  const out = new ByteWriter(4);
  hyperBinaryCopyEncoder(type)(value, out);
  return out.toBuffer().toString("hex");
}

function pgHex(type: HyperType, value: unknown): string {
  return pgBinaryParamEncoder(type)(value).toString("hex");
}

const asText = (type: HyperType, value: unknown): string => textParamEncoder(type)(value);

describe("hyperBinaryCopyEncoder", () => {
  it("reproduces the observed HyperBinary samples byte for byte", () => {
    expect(copyHex(t(TypeOid.date), HyperDate.parse("2024-06-15"))).toBe("3d8b2500");
    expect(copyHex(t(TypeOid.time), HyperTime.parse("12:34:56.789"))).toBe("0826e68b0a000000");
    expect(copyHex(t(TypeOid.timestamp), HyperTimestamp.parse("2024-06-15 12:34:56.789"))).toBe(
      "080658792a41f302",
    );
    expect(copyHex(t(TypeOid.timestamptz), "2024-06-15 12:34:56.789Z")).toBe("080658792a41f302");
    expect(copyHex(t(TypeOid.interval), HyperInterval.fromParts({ years: 1, days: 2, seconds: 3 }))).toBe(
      "c0c62d0000000000" + "02000000" + "0c000000",
    );
    expect(copyHex(numeric(10, 2), "12.34")).toBe("d204000000000000");
    expect(copyHex(numeric(30, 2), "-12.34")).toBe("2efbffffffffffffffffffffffffffff");
  });

  it("writes scalars little-endian", () => {
    expect(copyHex(t(TypeOid.bool), true)).toBe("01");
    expect(copyHex(t(TypeOid.int2), -2)).toBe("feff");
    expect(copyHex(t(TypeOid.int4), 1)).toBe("01000000");
    expect(copyHex(t(TypeOid.int8), -2)).toBe("feffffffffffffff");
    expect(copyHex(t(TypeOid.int8), 2 ** 40 + 5)).toBe("0500000000010000");
    expect(copyHex(t(TypeOid.int8), -(2n ** 63n))).toBe("0000000000000080");
    expect(copyHex(t(TypeOid.oid), 4_294_967_295)).toBe("ffffffff");
    expect(copyHex(t(TypeOid.float4), 2.5)).toBe("00002040");
    expect(copyHex(t(TypeOid.float8), 0.1)).toBe("9a9999999999b93f");
  });

  it("prefixes variable-width values with a uint32 LE byte length", () => {
    expect(copyHex(t(TypeOid.text), "hé")).toBe("03000000" + "68c3a9");
    expect(copyHex(t(TypeOid.varchar, 6), "")).toBe("00000000");
    expect(copyHex(t(TypeOid.json), "{}")).toBe("02000000" + "7b7d");
    expect(copyHex(t(TypeOid.bytea), new Uint8Array([1, 2]))).toBe("02000000" + "0102");
    expect(copyHex(t(TypeOid.geography), new Uint8Array([9]))).toBe("01000000" + "09");
  });

  it("appends to what is already in the writer", () => {
    const out = new ByteWriter(2);
    out.uint8(0xaa);
    hyperBinaryCopyEncoder(t(TypeOid.text))("abc", out);
    hyperBinaryCopyEncoder(t(TypeOid.int2))(1, out);
    expect(out.toBuffer().toString("hex")).toBe("aa" + "03000000616263" + "0100");
  });
});

describe("pgBinaryParamEncoder", () => {
  it("writes big-endian values with PostgreSQL epochs", () => {
    expect(pgHex(t(TypeOid.bool), false)).toBe("00");
    expect(pgHex(t(TypeOid.int2), -2)).toBe("fffe");
    expect(pgHex(t(TypeOid.int4), 1)).toBe("00000001");
    expect(pgHex(t(TypeOid.int8), -2)).toBe("fffffffffffffffe");
    expect(pgHex(t(TypeOid.int8), 2 ** 40 + 5)).toBe("0000010000000005");
    expect(pgHex(t(TypeOid.float8), 0.1)).toBe("3fb999999999999a");
    expect(pgHex(t(TypeOid.date), "2000-01-01")).toBe("00000000");
    expect(pgHex(t(TypeOid.date), "1999-12-31")).toBe("ffffffff");
    expect(pgHex(t(TypeOid.time), "12:34:56.789")).toBe("0000000a8be62608");
    expect(pgHex(t(TypeOid.timestamp), "2000-01-01 00:00:00.000001")).toBe("0000000000000001");
    expect(pgHex(t(TypeOid.interval), "P1Y2DT3S")).toBe("00000000002dc6c0" + "00000002" + "0000000c");
    expect(pgHex(t(TypeOid.text), "hé")).toBe("68c3a9");
    expect(pgHex(t(TypeOid.bytea), new Uint8Array([1, 2]))).toBe("0102");
  });

  it("encodes NUMERIC as PostgreSQL numeric at the typmod scale, or the value's scale without one", () => {
    expect(pgHex(numeric(10, 2), "12.34")).toBe("0002" + "0000" + "0000" + "0002" + "000c" + "0d48");
    expect(pgHex(numeric(10, 4), "12.34")).toBe("0002" + "0000" + "0000" + "0004" + "000c" + "0d48");
    expect(pgHex(t(TypeOid.numeric), "12.34")).toBe("0002" + "0000" + "0000" + "0002" + "000c" + "0d48");
    expect(pgHex(t(TypeOid.numeric), 12.5)).toBe("0002" + "0000" + "0000" + "0001" + "000c" + "1388");
    expect(pgHex(t(TypeOid.numeric), 7n)).toBe("0001" + "0000" + "0000" + "0000" + "0007");
  });

  it("passes byte views without copying", () => {
    const backing = new Uint8Array([0, 1, 2, 3]);
    const encoded = pgBinaryParamEncoder(t(TypeOid.bytea))(backing.subarray(1, 3));
    expect(encoded.toString("hex")).toBe("0102");
    expect(encoded.buffer).toBe(backing.buffer);
  });
});

describe("textParamEncoder", () => {
  it("renders SQL literal text", () => {
    expect(asText(t(TypeOid.bool), true)).toBe("true");
    expect(asText(t(TypeOid.bool), false)).toBe("false");
    expect(asText(t(TypeOid.int8), -(2n ** 63n))).toBe("-9223372036854775808");
    expect(asText(t(TypeOid.int8), 42)).toBe("42");
    expect(asText(t(TypeOid.float8), -0)).toBe("-0");
    expect(asText(t(TypeOid.float8), 1e300)).toBe("1e+300");
    expect(asText(t(TypeOid.float8), Number.NaN)).toBe("NaN");
    expect(asText(t(TypeOid.float8), Number.NEGATIVE_INFINITY)).toBe("-Infinity");
    expect(asText(numeric(10, 2), "-0.05")).toBe("-0.05");
    expect(asText(numeric(10, 2), 12.3)).toBe("12.30");
    expect(asText(t(TypeOid.numeric), "0012.340")).toBe("12.340");
    expect(asText(t(TypeOid.numeric), 1e21)).toBe("1000000000000000000000");
    expect(asText(t(TypeOid.bytea), new Uint8Array([1, 2, 0xff]))).toBe("\\x0102ff");
    expect(asText(t(TypeOid.date), new Date("2024-06-15T12:00:00Z"))).toBe("2024-06-15");
    expect(asText(t(TypeOid.time), HyperTime.fromParts(1, 2, 3))).toBe("01:02:03");
    expect(asText(t(TypeOid.timestamp), "2024-06-15T12:34:56.789")).toBe("2024-06-15 12:34:56.789");
    expect(asText(t(TypeOid.geography), "POINT(1 2)")).toBe("POINT(1 2)");
    expect(asText(t(99_999), "(1,2)")).toBe("(1,2)");
    expect(asText(t(TypeOid.interval), HyperInterval.of(-1, 3, 14_706_500_000n))).toBe(
      "P-1M3DT4H5M6.500000S",
    );
  });

  it("pins TIMESTAMPTZ to UTC and TIMESTAMP to no offset, whatever the value's flag", () => {
    const naive = HyperTimestamp.parse("2024-06-15 12:34:56.789");
    const aware = HyperTimestamp.fromMicroseconds(naive.microseconds, true);
    expect(asText(t(TypeOid.timestamptz), naive)).toBe("2024-06-15 12:34:56.789+00");
    expect(asText(t(TypeOid.timestamp), aware)).toBe("2024-06-15 12:34:56.789");
    expect(asText(t(TypeOid.timestamptz), "2024-06-15 18:04:56.789+05:30")).toBe(
      "2024-06-15 12:34:56.789+00",
    );
  });
});

type Encode = (type: HyperType, value: unknown) => unknown;

const encoders: [string, Encode][] = [
  ["hyperBinaryCopyEncoder", (type, value) => hyperBinaryCopyEncoder(type)(value, new ByteWriter(4))],
  ["pgBinaryParamEncoder", (type, value) => pgBinaryParamEncoder(type)(value)],
  ["textParamEncoder", (type, value) => textParamEncoder(type)(value)],
];

const rejected: [HyperType, unknown][] = [
  [t(TypeOid.bool), 1],
  [t(TypeOid.bool), "true"],
  [t(TypeOid.bool), null],
  [t(TypeOid.int2), 32_768],
  [t(TypeOid.int2), -32_769],
  [t(TypeOid.int2), 40_000n],
  [t(TypeOid.int2), 1.5],
  [t(TypeOid.int4), "1"],
  [t(TypeOid.int4), 2 ** 31],
  [t(TypeOid.int4), Number.NaN],
  [t(TypeOid.int4), undefined],
  [t(TypeOid.oid), -1],
  [t(TypeOid.oid), 2 ** 32],
  [t(TypeOid.int8), 2n ** 63n],
  [t(TypeOid.int8), -(2n ** 63n) - 1n],
  [t(TypeOid.int8), 2 ** 60],
  [t(TypeOid.int8), 0.5],
  [t(TypeOid.int8), "1"],
  [t(TypeOid.float4), 1e300],
  [t(TypeOid.float4), 1n],
  [t(TypeOid.float8), "1.5"],
  [t(TypeOid.float8), 1n],
  [numeric(10, 2), "100000000.00"],
  [numeric(10, 2), "99999999.995"],
  [numeric(10, 2), 1e10],
  [numeric(10, 2), Number.NaN],
  [numeric(10, 2), Number.POSITIVE_INFINITY],
  [numeric(10, 2), "12,34"],
  [numeric(10, 2), "NaN"],
  [numeric(10, 2), true],
  [numeric(38, 0), `1${"0".repeat(38)}`],
  [numeric(38, 38), "1"],
  [numeric(18, 0), 10n ** 18n],
  [t(TypeOid.numeric), `1${"0".repeat(38)}`],
  [t(TypeOid.text), 5],
  [t(TypeOid.text), new Uint8Array(1)],
  [t(TypeOid.json), { a: 1 }],
  [t(TypeOid.varchar, 4 + 3), "abcd"],
  [t(TypeOid.varchar, 4 + 3), "🎉🎉🎉🎉"],
  [t(TypeOid.bpchar, 4 + 2), "abc"],
  [t(TypeOid.char1), "ab"],
  [t(TypeOid.bytea), "\\x01"],
  [t(TypeOid.bytea), [1, 2]],
  [t(TypeOid.date), "2024-02-30"],
  [t(TypeOid.date), 20_240_615],
  [t(TypeOid.date), new Date(Number.NaN)],
  [t(TypeOid.date), HyperTime.fromParts(1, 0, 0)],
  [t(TypeOid.time), "24:00:00"],
  [t(TypeOid.time), 3600],
  [t(TypeOid.time), new Date(0)],
  [t(TypeOid.timestamp), "2024-06-15 25:00"],
  [t(TypeOid.timestamp), 1_718_454_896_789],
  [t(TypeOid.timestamp), new Date(Number.NaN)],
  [t(TypeOid.timestamptz), HyperDate.fromParts(2024, 1, 1)],
  [t(TypeOid.interval), "1 day"],
  [t(TypeOid.interval), 86_400],
];

describe.each(encoders)("%s rejects values that do not fit", (_, encode) => {
  it.each(rejected.map(([type, value]) => [type.oid, type.typmod, value] as const))(
    "oid %i typmod %i: %s",
    (oid, typmod, value) => {
      expect(() => encode({ oid, typmod }, value)).toThrow(InvalidArgumentError);
    },
  );

  it("rejects non-bytes GEOGRAPHY in binary and non-text GEOGRAPHY in text", () => {
    const isText = encode === encoders[2]![1];
    expect(() => encode(t(TypeOid.geography), isText ? new Uint8Array(1) : "POINT(1 2)")).toThrow(
      InvalidArgumentError,
    );
  });
});

describe("encoder error messages", () => {
  it("name the SQL type and the offending value", () => {
    const copy = (type: HyperType, value: unknown) => () =>
      hyperBinaryCopyEncoder(type)(value, new ByteWriter(4));
    expect(copy(t(TypeOid.int4), "abc")).toThrow('expected an integer for INTEGER, got "abc" (string)');
    expect(copy(t(TypeOid.int2), 300_000)).toThrow("300000 is out of range for SMALLINT");
    expect(copy(t(TypeOid.int2), 300_000n)).toThrow("300000 is out of range for SMALLINT");
    expect(copy(t(TypeOid.int8), 2 ** 60)).toThrow("is not a safe integer; pass a bigint for BIGINT");
    expect(copy(t(TypeOid.float4), 1e300)).toThrow("1e+300 is out of range for REAL");
    expect(copy(numeric(10, 2), "123456789")).toThrow("123456789.00 exceeds NUMERIC(10,2)");
    expect(copy(t(TypeOid.varchar, 7), "abcd")).toThrow(
      "a string of 4 characters is too long for VARCHAR(3)",
    );
    expect(copy(t(TypeOid.date), 5)).toThrow(
      'expected a HyperDate, Date or "YYYY-MM-DD" string for DATE, got 5 (number)',
    );
    expect(copy(t(TypeOid.bool), new Date(0))).toThrow("expected a boolean for BOOLEAN, got a Date");
  });

  it("refuse to build binary encoders for unknown types", () => {
    expect(() => hyperBinaryCopyEncoder(t(99_999))).toThrow("no HyperBinary COPY encoding for oid 99999");
    expect(() => pgBinaryParamEncoder(t(99_999))).toThrow(InvalidArgumentError);
    expect(() => textParamEncoder(t(99_999))(5)).toThrow(InvalidArgumentError);
  });
});
