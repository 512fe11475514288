import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../errors/index.ts";
import { HyperDate, tryParseDate } from "./hyper-date.ts";

describe("HyperDate", () => {
  it("converts between parts, Julian days and text", () => {
    const date = HyperDate.fromParts(2024, 6, 15);
    expect(date.julianDay).toBe(2_460_477);
    expect([date.year, date.month, date.day]).toEqual([2024, 6, 15]);
    expect(date.toString()).toBe("2024-06-15");
    expect(date.toJSON()).toBe("2024-06-15");
    expect(JSON.stringify({ date })).toBe('{"date":"2024-06-15"}');
    expect(HyperDate.fromJulianDay(2_451_545).toString()).toBe("2000-01-01");
  });

  it("round-trips the supported range through text", () => {
    for (const text of ["0001-01-01", "1970-01-01", "2000-01-01", "2024-02-29", "9999-12-31"]) {
      const date = HyperDate.parse(text);
      expect(date.toString()).toBe(text);
      expect(HyperDate.fromJulianDay(date.julianDay).equals(date)).toBe(true);
    }
  });

  it("prints and parses BC dates PostgreSQL-style", () => {
    const date = HyperDate.fromParts(-43, 3, 15);
    expect(date.toString()).toBe("0044-03-15 BC");
    expect(HyperDate.parse("0044-03-15 BC").equals(date)).toBe(true);
  });

  it("converts to and from JS Dates in UTC", () => {
    const date = HyperDate.fromDate(new Date("2024-06-15T23:59:59.999Z"));
    expect(date.toString()).toBe("2024-06-15");
    expect(date.toDate().toISOString()).toBe("2024-06-15T00:00:00.000Z");
    expect(HyperDate.fromDate(new Date("1969-12-31T12:00:00Z")).toString()).toBe("1969-12-31");
    expect(HyperDate.parse("0001-01-01").toDate().toISOString()).toBe("0001-01-01T00:00:00.000Z");
    expect(() => HyperDate.fromDate(new Date(Number.NaN))).toThrow(InvalidArgumentError);
  });

  it("compares by day", () => {
    expect(HyperDate.parse("2024-06-15").equals(HyperDate.fromParts(2024, 6, 15))).toBe(true);
    expect(HyperDate.parse("2024-06-15").equals(HyperDate.fromParts(2024, 6, 16))).toBe(false);
  });

  it("rejects impossible dates", () => {
    for (const [y, m, d] of [
      [2023, 2, 29],
      [2024, 13, 1],
      [2024, 0, 1],
      [2024, 4, 31],
      [2024, 1, 0],
      [2024.5, 1, 1],
    ] as const) {
      expect(() => HyperDate.fromParts(y, m, d)).toThrow(InvalidArgumentError);
    }
    for (const n of [-1, 1.5, 2 ** 31, Number.NaN]) {
      expect(() => HyperDate.fromJulianDay(n)).toThrow(InvalidArgumentError);
    }
  });

  it("rejects malformed text", () => {
    for (const text of [
      "",
      "2024-6",
      "2024/06/15",
      "2023-02-29",
      "0000-01-01",
      " 2024-06-15",
      "2024-06-15x",
    ]) {
      expect(tryParseDate(text), text).toBeUndefined();
    }
    expect(() => HyperDate.parse("yesterday")).toThrow('invalid DATE "yesterday"');
  });
});
