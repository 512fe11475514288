import { describe, expect, it } from "vitest";
import { InvalidArgumentError, ProtocolError } from "../errors/index.ts";
import { fieldDecoder, type ValueFormat } from "./field-decoder.ts";
import { HyperDate } from "./hyper-date.ts";
import { HyperInterval } from "./hyper-interval.ts";
import { HyperTime } from "./hyper-time.ts";
import { HyperTimestamp } from "./hyper-timestamp.ts";
import { type HyperType, numericTypmod, TypeOid } from "./oids.ts";

const t = (oid: number, typmod = -1): HyperType => ({ oid, typmod });

function decodeHex(type: HyperType, format: ValueFormat, hex: string): unknown {
  const bytes = Buffer.from(hex, "hex");
  const buf = Buffer.concat([Buffer.from([0xff, 0xff]), bytes, Buffer.from([0xff])]);
  return fieldDecoder(type, format)(buf, 2, bytes.length);
}

function decodeText(type: HyperType, text: string): unknown {
  const bytes = Buffer.from(text, "utf8");
  const buf = Buffer.concat([Buffer.from("##"), bytes, Buffer.from("##")]);
  return fieldDecoder(type, 0)(buf, 2, bytes.length);
}

describe("HyperBinary (format 2) wire samples observed from hyperd", () => {
  it("decodes 2024-06-15 12:34:56.789 as DATE, TIME and TIMESTAMP", () => {
    const date = decodeHex(t(TypeOid.date), 2, "3d8b2500");
    expect(date).toBeInstanceOf(HyperDate);
    expect((date as HyperDate).julianDay).toBe(2_460_477);
    expect(String(date)).toBe("2024-06-15");
    const time = decodeHex(t(TypeOid.time), 2, "0826e68b0a000000");
    expect(time).toBeInstanceOf(HyperTime);
    expect(String(time)).toBe("12:34:56.789");
    const timestamp = decodeHex(t(TypeOid.timestamp), 2, "080658792a41f302");
    expect(timestamp).toBeInstanceOf(HyperTimestamp);
    expect(String(timestamp)).toBe("2024-06-15 12:34:56.789");
    expect((timestamp as HyperTimestamp).withTimeZone).toBe(false);
    const timestamptz = decodeHex(t(TypeOid.timestamptz), 2, "080658792a41f302") as HyperTimestamp;
    expect(timestamptz.withTimeZone).toBe(true);
    expect(timestamptz.toDate().toISOString()).toBe("2024-06-15T12:34:56.789Z");
  });

  it("decodes the interval 1 year 2 days 3 seconds", () => {
    const interval = decodeHex(t(TypeOid.interval), 2, "c0c62d0000000000" + "02000000" + "0c000000");
    expect(interval).toBeInstanceOf(HyperInterval);
    expect((interval as HyperInterval).equals(HyperInterval.of(12, 2, 3_000_000n))).toBe(true);
    expect(String(interval)).toBe("P1Y2DT3S");
  });

  it("decodes NUMERIC(10,2) 12.34 (8 bytes) and NUMERIC(30,2) -12.34 (16 bytes)", () => {
    expect(decodeHex(t(TypeOid.numeric, numericTypmod(10, 2)), 2, "d204000000000000")).toBe("12.34");
    expect(decodeHex(t(TypeOid.numeric, numericTypmod(30, 2)), 2, "2efbffffffffffffffffffffffffffff")).toBe(
      "-12.34",
    );
  });

  it("takes the NUMERIC scale from the typmod (0 for -1)", () => {
    expect(decodeHex(t(TypeOid.numeric), 2, "d204000000000000")).toBe("1234");
    expect(decodeHex(t(TypeOid.numeric, numericTypmod(18, 4)), 2, "d204000000000000")).toBe("0.1234");
    expect(decodeHex(t(TypeOid.numeric, numericTypmod(18, 6)), 2, "d204000000000000")).toBe("0.001234");
    expect(decodeHex(t(TypeOid.numeric, numericTypmod(18, 2)), 2, "fbffffffffffffff")).toBe("-0.05");
  });

  it("decodes int64 NUMERIC beyond 2^53 exactly", () => {
    const type = t(TypeOid.numeric, numericTypmod(18, 0));
    expect(decodeHex(type, 2, "ffffffffffff1f00")).toBe("9007199254740991");
    expect(decodeHex(type, 2, "0000000000002000")).toBe("9007199254740992");
    expect(decodeHex(type, 2, "0100000000002000")).toBe("9007199254740993");
    expect(decodeHex(type, 2, "0000000000000080")).toBe("-9223372036854775808");
    expect(decodeHex(type, 2, "ffffffffffffdfff")).toBe("-9007199254740993");
  });

  it("decodes int128 NUMERIC exactly on both sides of the 53-bit fast path", () => {
    const type = t(TypeOid.numeric, numericTypmod(38, 0));
    const int128 = (value: bigint): string => {
      const bytes = Buffer.alloc(16);
      bytes.writeBigUInt64LE(BigInt.asUintN(64, value), 0);
      bytes.writeBigInt64LE(value >> 64n, 8);
      return bytes.toString("hex");
    };
    for (const value of [
      0n,
      -1n,
      2n ** 53n - 1n,
      2n ** 53n,
      -(2n ** 53n),
      -(2n ** 53n) - 1n,
      2n ** 64n,
      2n ** 64n + 5n,
      -(2n ** 64n) + 5n,
      10n ** 38n - 1n,
      -(10n ** 38n) + 1n,
    ]) {
      expect(decodeHex(type, 2, int128(value)), String(value)).toBe(String(value));
    }
  });

  it("decodes scalars little-endian", () => {
    expect(decodeHex(t(TypeOid.bool), 2, "01")).toBe(true);
    expect(decodeHex(t(TypeOid.bool), 2, "00")).toBe(false);
    expect(decodeHex(t(TypeOid.int2), 2, "feff")).toBe(-2);
    expect(decodeHex(t(TypeOid.int4), 2, "01000080")).toBe(-2_147_483_647);
    expect(decodeHex(t(TypeOid.int8), 2, "0200000000000080")).toBe(-(2n ** 63n) + 2n);
    expect(decodeHex(t(TypeOid.oid), 2, "feffffff")).toBe(4_294_967_294);
    expect(decodeHex(t(TypeOid.float4), 2, "00002040")).toBe(2.5);
    expect(decodeHex(t(TypeOid.float8), 2, "9a9999999999b93f")).toBe(0.1);
    expect(decodeHex(t(TypeOid.text), 2, "68c3a9")).toBe("hé");
    expect(decodeHex(t(TypeOid.bpchar, 9), 2, "6162202020")).toBe("ab   ");
  });

  it("returns bytes for BYTEA, GEOGRAPHY and unknown types", () => {
    for (const oid of [TypeOid.bytea, TypeOid.geography, 99_999]) {
      const value = decodeHex(t(oid), 2, "0102ff");
      expect(value).toBeInstanceOf(Uint8Array);
      expect(Array.from(value as Uint8Array)).toEqual([1, 2, 255]);
    }
  });

  it("rejects wrong lengths with ProtocolError", () => {
    const cases: [HyperType, string][] = [
      [t(TypeOid.bool), "0100"],
      [t(TypeOid.int2), "01"],
      [t(TypeOid.int4), "010000"],
      [t(TypeOid.int8), "01000000"],
      [t(TypeOid.float8), "00002040"],
      [t(TypeOid.date), "3d8b25"],
      [t(TypeOid.time), "0826e68b"],
      [t(TypeOid.timestamp), "080658792a41f3"],
      [t(TypeOid.interval), "c0c62d0000000000"],
      [t(TypeOid.numeric, numericTypmod(10, 2)), "d2040000"],
    ];
    for (const [type, hex] of cases) {
      expect(() => decodeHex(type, 2, hex), `oid ${type.oid}`).toThrow(ProtocolError);
      expect(() => decodeHex(type, 1, hex), `oid ${type.oid}`).toThrow(ProtocolError);
    }
  });
});

describe("PostgreSQL binary (format 1)", () => {
  it("decodes big-endian values with 2000-01-01 epochs", () => {
    expect(decodeHex(t(TypeOid.int4), 1, "fffffffe")).toBe(-2);
    expect(decodeHex(t(TypeOid.oid), 1, "fffffffe")).toBe(4_294_967_294);
    expect(String(decodeHex(t(TypeOid.date), 1, "00000000"))).toBe("2000-01-01");
    expect(String(decodeHex(t(TypeOid.date), 1, "ffffffff"))).toBe("1999-12-31");
    expect(String(decodeHex(t(TypeOid.timestamp), 1, "0000000000000000"))).toBe("2000-01-01 00:00:00");
    expect(String(decodeHex(t(TypeOid.time), 1, "0000000a8be62608"))).toBe("12:34:56.789");
    expect(String(decodeHex(t(TypeOid.interval), 1, "00000000002dc6c0" + "00000002" + "0000000c"))).toBe(
      "P1Y2DT3S",
    );
  });

  it("decodes timestamps before Julian day 0 without clamping", () => {
    // 1 µs before 4714-11-24 BC 00:00:00 = -211813488000000001 µs since 2000-01-01.
    const beforeJd0 = Buffer.alloc(8);
    beforeJd0.writeBigInt64BE(-211_813_488_000_000_001n);
    const ts = decodeHex(t(TypeOid.timestamp), 1, beforeJd0.toString("hex")) as HyperTimestamp;
    expect(ts.julianMicroseconds).toBe(-1n);
    expect(ts.toString()).toBe("4714-11-23 23:59:59.999999 BC");
  });

  it("decodes PostgreSQL NUMERIC at the typmod scale, or its own scale without one", () => {
    const bytes = "0002" + "0000" + "0000" + "0002" + "000c" + "0d48"; // 12.34
    expect(decodeHex(t(TypeOid.numeric, numericTypmod(10, 2)), 1, bytes)).toBe("12.34");
    expect(decodeHex(t(TypeOid.numeric, numericTypmod(10, 4)), 1, bytes)).toBe("12.3400");
    expect(decodeHex(t(TypeOid.numeric), 1, bytes)).toBe("12.34");
    expect(decodeHex(t(TypeOid.numeric), 1, "00000000c0000000")).toBe("NaN");
  });
});

describe("text (format 0)", () => {
  it("decodes Hyper's text forms", () => {
    expect(decodeText(t(TypeOid.bool), "t")).toBe(true);
    expect(decodeText(t(TypeOid.bool), "f")).toBe(false);
    expect(decodeText(t(TypeOid.int2), "-32768")).toBe(-32_768);
    expect(decodeText(t(TypeOid.int4), "+42")).toBe(42);
    expect(decodeText(t(TypeOid.oid), "4294967295")).toBe(4_294_967_295);
    expect(decodeText(t(TypeOid.int8), "-9223372036854775808")).toBe(-(2n ** 63n));
    expect(decodeText(t(TypeOid.int8), "123456789012345")).toBe(123_456_789_012_345n);
    expect(decodeText(t(TypeOid.float4), "2.5")).toBe(2.5);
    // REAL text is the shortest float32 spelling; it must decode to the float32, as binary does.
    expect(decodeText(t(TypeOid.float4), "0.1")).toBe(Math.fround(0.1));
    expect(decodeText(t(TypeOid.float4), "1e-45")).toBe(2 ** -149);
    expect(decodeText(t(TypeOid.float4), "3.4028235e+38")).toBe(Math.fround(3.4028234663852886e38));
    expect(decodeText(t(TypeOid.float8), "1e+300")).toBe(1e300);
    expect(decodeText(t(TypeOid.float8), "0.1")).toBe(0.1);
    expect(decodeText(t(TypeOid.float8), "NaN")).toBeNaN();
    expect(decodeText(t(TypeOid.float8), "Infinity")).toBe(Number.POSITIVE_INFINITY);
    expect(decodeText(t(TypeOid.float8), "-Infinity")).toBe(Number.NEGATIVE_INFINITY);
    expect(decodeText(t(TypeOid.float8), "-inf")).toBe(Number.NEGATIVE_INFINITY);
    expect(Object.is(decodeText(t(TypeOid.float8), "-0"), -0)).toBe(true);
    expect(decodeText(t(TypeOid.numeric, numericTypmod(10, 2)), "12.34")).toBe("12.34");
    expect(Array.from(decodeText(t(TypeOid.bytea), "\\x0102") as Uint8Array)).toEqual([1, 2]);
    expect(decodeText(t(TypeOid.geography), "POINT(1.0000000 2.0000000)")).toBe("POINT(1.0000000 2.0000000)");
    expect(decodeText(t(TypeOid.bpchar, 9), "ab   ")).toBe("ab   ");
    expect(decodeText(t(99_999), "whatever")).toBe("whatever");
  });

  it("decodes temporal text", () => {
    expect(String(decodeText(t(TypeOid.date), "2024-06-15"))).toBe("2024-06-15");
    expect(String(decodeText(t(TypeOid.time), "12:34:56.789"))).toBe("12:34:56.789");
    expect(String(decodeText(t(TypeOid.timestamp), "2024-06-15 12:34:56.789"))).toBe(
      "2024-06-15 12:34:56.789",
    );
    const tz = decodeText(t(TypeOid.timestamptz), "2024-06-15 18:04:56.789+05:30") as HyperTimestamp;
    expect(tz.withTimeZone).toBe(true);
    expect(tz.toString()).toBe("2024-06-15 12:34:56.789+00");
    expect(String(decodeText(t(TypeOid.timestamptz), "2024-06-15 12:34:56.789+00"))).toBe(
      "2024-06-15 12:34:56.789+00",
    );
    const interval = decodeText(t(TypeOid.interval), "P-1M3DT4H5M6.500000S") as HyperInterval;
    expect([interval.months, interval.days, interval.microseconds]).toEqual([-1, 3, 14_706_500_000n]);
    expect(String(decodeText(t(TypeOid.interval), "PT0S"))).toBe("PT0S");
  });

  it("rejects malformed text with ProtocolError", () => {
    const cases: [HyperType, string][] = [
      [t(TypeOid.bool), "x"],
      [t(TypeOid.int4), "12a"],
      [t(TypeOid.int4), ""],
      [t(TypeOid.int4), "-"],
      [t(TypeOid.int8), "1.5"],
      [t(TypeOid.int8), "12345678901234567890x"],
      [t(TypeOid.float8), "abc"],
      [t(TypeOid.float8), ""],
      [t(TypeOid.bytea), "\\x0"],
      [t(TypeOid.date), "2024-13-01"],
      [t(TypeOid.time), "25:00:00"],
      [t(TypeOid.timestamp), "2024-06-15 12:34:56 PST"],
      [t(TypeOid.timestamptz), "later"],
      [t(TypeOid.interval), "1 day"],
    ];
    for (const [type, text] of cases) {
      expect(() => decodeText(type, text), `${type.oid} ${text}`).toThrow(ProtocolError);
    }
  });
});

describe("fieldDecoder", () => {
  it("rejects unknown formats", () => {
    expect(() => fieldDecoder(t(TypeOid.int4), 3 as ValueFormat)).toThrow(InvalidArgumentError);
  });

  it("returns the same decoder for fixed types and specialises per typmod where needed", () => {
    expect(fieldDecoder(t(TypeOid.int4), 2)).toBe(fieldDecoder(t(TypeOid.int4), 2));
    expect(fieldDecoder(t(TypeOid.int4), 2)).not.toBe(fieldDecoder(t(TypeOid.int4), 1));
  });
});
