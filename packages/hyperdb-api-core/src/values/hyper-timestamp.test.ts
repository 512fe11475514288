import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../errors/index.ts";
import { HyperDate } from "./hyper-date.ts";
import { HyperTime } from "./hyper-time.ts";
import { HyperTimestamp, tryParseTimestamp } from "./hyper-timestamp.ts";

describe("HyperTimestamp", () => {
  it("keeps Julian and Unix microseconds consistent", () => {
    const ts = HyperTimestamp.parse("2024-06-15 12:34:56.789");
    expect(ts.microseconds).toBe(1_718_454_896_789_000n);
    expect(ts.julianMicroseconds).toBe(1_718_454_896_789_000n + 210_866_803_200_000_000n);
    expect(ts.withTimeZone).toBe(false);
    expect(HyperTimestamp.fromMicroseconds(0n).toString()).toBe("1970-01-01 00:00:00");
  });

  it("formats SQL and ISO text", () => {
    const ts = HyperTimestamp.parse("2024-06-15 12:34:56.789");
    expect(ts.toString()).toBe("2024-06-15 12:34:56.789");
    expect(ts.toISOString()).toBe("2024-06-15T12:34:56.789000");
    expect(ts.toJSON()).toBe("2024-06-15T12:34:56.789000");
    const tz = HyperTimestamp.fromMicroseconds(ts.microseconds, true);
    expect(tz.toString()).toBe("2024-06-15 12:34:56.789+00");
    expect(tz.toISOString()).toBe("2024-06-15T12:34:56.789000Z");
  });

  it("round-trips years 1 and 9999 exactly to the microsecond", () => {
    for (const text of ["0001-01-01 00:00:00", "9999-12-31 23:59:59.999999", "1969-12-31 23:59:59.000001"]) {
      const ts = HyperTimestamp.parse(text);
      expect(ts.toString()).toBe(text);
      expect(HyperTimestamp.fromMicroseconds(ts.microseconds).equals(ts)).toBe(true);
      expect(HyperTimestamp.fromJulianMicroseconds(ts.julianMicroseconds).equals(ts)).toBe(true);
    }
    expect(HyperTimestamp.parse("0001-01-01 00:00:00").toISOString()).toBe("0001-01-01T00:00:00.000000");
  });

  it("applies offsets and Z, converting to UTC", () => {
    const utc = HyperTimestamp.parse("2024-06-15 07:04:56.789Z");
    expect(utc.withTimeZone).toBe(true);
    expect(utc.toString()).toBe("2024-06-15 07:04:56.789+00");
    for (const text of [
      "2024-06-15 12:34:56.789+05:30",
      "2024-06-15T12:34:56.789+0530",
      "2024-06-15 12:34:56.789 +05:30",
      "2024-06-15 02:04:56.789-05",
    ]) {
      const parsed = HyperTimestamp.parse(text);
      expect(parsed.withTimeZone, text).toBe(true);
      expect(parsed.microseconds, text).toBe(utc.microseconds);
    }
    expect(HyperTimestamp.parse("2024-01-01 00:00:00+05:53:28").toString()).toBe("2023-12-31 18:06:32+00");
    expect(HyperTimestamp.parse("2024-06-15 12:00:00Z", false).withTimeZone).toBe(false);
  });

  it("accepts date-only text and a T separator", () => {
    expect(HyperTimestamp.parse("2024-06-15").toString()).toBe("2024-06-15 00:00:00");
    expect(HyperTimestamp.parse("2024-06-15T12:34").toString()).toBe("2024-06-15 12:34:00");
  });

  it("prints BC timestamps PostgreSQL-style", () => {
    const ts = HyperTimestamp.parse("0044-03-15 12:00:00 BC");
    expect(ts.toString()).toBe("0044-03-15 12:00:00 BC");
    expect(ts.toISOString()).toBe("-000043-03-15T12:00:00.000000");
  });

  it("converts JS Dates (truncating sub-millisecond parts on the way back)", () => {
    const date = new Date("2024-06-15T12:34:56.789Z");
    const ts = HyperTimestamp.fromDate(date, true);
    expect(ts.microseconds).toBe(1_718_454_896_789_000n);
    expect(ts.toDate().getTime()).toBe(date.getTime());
    expect(HyperTimestamp.fromMicroseconds(1_718_454_896_789_999n).toDate().getTime()).toBe(date.getTime());
    expect(HyperTimestamp.fromMicroseconds(-1n).toDate().getTime()).toBe(-1);
    expect(() => HyperTimestamp.fromDate(new Date("nope"))).toThrow(InvalidArgumentError);
  });

  it("combines a date and a time", () => {
    const ts = HyperTimestamp.fromDateAndTime(
      HyperDate.fromParts(2024, 6, 15),
      HyperTime.parse("12:34:56.789"),
      true,
    );
    expect(ts.toString()).toBe("2024-06-15 12:34:56.789+00");
  });

  it("distinguishes TIMESTAMP and TIMESTAMPTZ in equals", () => {
    expect(HyperTimestamp.fromMicroseconds(5n).equals(HyperTimestamp.fromMicroseconds(5n, true))).toBe(false);
    expect(HyperTimestamp.fromMicroseconds(5n).equals(HyperTimestamp.fromMicroseconds(6n))).toBe(false);
  });

  it("rejects invalid input", () => {
    expect(() => HyperTimestamp.fromJulianMicroseconds(-1n)).toThrow(InvalidArgumentError);
    expect(() => HyperTimestamp.fromJulianMicroseconds(2n ** 63n)).toThrow(InvalidArgumentError);
    expect(() => HyperTimestamp.fromMicroseconds(5 as unknown as bigint)).toThrow(InvalidArgumentError);
    for (const text of [
      "",
      "2024-02-30 00:00:00",
      "2024-06-15 24:00:00",
      "2024-06-15 12:34:56+16",
      "2024-06-15 12:34:56+05:60",
      "2024-06-15 12:34:56.789 UTC",
      "15.06.2024",
    ]) {
      expect(tryParseTimestamp(text), text).toBeUndefined();
    }
    expect(() => HyperTimestamp.parse("soon")).toThrow('invalid TIMESTAMP "soon"');
  });
});
