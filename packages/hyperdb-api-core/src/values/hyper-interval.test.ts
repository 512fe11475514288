import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../errors/index.ts";
import { HyperInterval, tryParseInterval } from "./hyper-interval.ts";

const HOUR = 3_600_000_000n;
const MINUTE = 60_000_000n;
const SECOND = 1_000_000n;

describe("HyperInterval", () => {
  it("prints Hyper's ISO 8601 form", () => {
    expect(HyperInterval.of(12, 2, 3n * SECOND).toString()).toBe("P1Y2DT3S");
    expect(HyperInterval.of(-1, 3, 4n * HOUR + 5n * MINUTE + 6_500_000n).toString()).toBe(
      "P-1M3DT4H5M6.500000S",
    );
    expect(HyperInterval.of(0, 0, 0n).toString()).toBe("PT0S");
    expect(HyperInterval.of(14, 0, 0n).toString()).toBe("P1Y2M");
    expect(HyperInterval.of(-14, -3, -(4n * HOUR + 5n * MINUTE + 6_500_000n)).toString()).toBe(
      "P-1Y-2M-3DT-4H-5M-6.500000S",
    );
    expect(HyperInterval.of(0, 0, -500_000n).toString()).toBe("PT-0.500000S");
    expect(HyperInterval.of(0, 0, 1n).toString()).toBe("PT0.000001S");
    expect(HyperInterval.of(0, 0, 100n * HOUR).toString()).toBe("PT100H");
    expect(HyperInterval.of(12, 0, 0n).toJSON()).toBe("P1Y");
  });

  it("parses what it prints", () => {
    for (const interval of [
      HyperInterval.of(12, 2, 3n * SECOND),
      HyperInterval.of(-1, 3, 4n * HOUR + 5n * MINUTE + 6_500_000n),
      HyperInterval.of(-14, -3, -(4n * HOUR + 5n * MINUTE + 6_500_000n)),
      HyperInterval.of(0, 0, -500_000n),
      HyperInterval.of(0, 0, 0n),
      HyperInterval.of(2_147_483_647, -2_147_483_648, 2n ** 63n - 1n),
      HyperInterval.of(-2_147_483_648, 2_147_483_647, -(2n ** 63n)),
    ]) {
      const parsed = HyperInterval.parse(interval.toString());
      expect(parsed.equals(interval), interval.toString()).toBe(true);
    }
  });

  it("parses weeks, signs and fractions", () => {
    const parsed = HyperInterval.parse("P1W2DT-1.25S");
    expect([parsed.months, parsed.days, parsed.microseconds]).toEqual([0, 9, -1_250_000n]);
    expect(HyperInterval.parse("PT.5S").microseconds).toBe(500_000n);
    expect(HyperInterval.parse("P+1Y").months).toBe(12);
  });

  it("builds from parts", () => {
    const interval = HyperInterval.fromParts({
      years: 1,
      months: -1,
      weeks: 1,
      days: 1,
      hours: 1,
      seconds: -1,
    });
    expect([interval.months, interval.days, interval.microseconds]).toEqual([11, 8, HOUR - SECOND]);
    expect(HyperInterval.fromParts({ microseconds: 5 }).microseconds).toBe(5n);
  });

  it("compares parts, not lengths", () => {
    expect(HyperInterval.of(1, 0, 0n).equals(HyperInterval.of(0, 30, 0n))).toBe(false);
    expect(HyperInterval.of(0, 1, 0n).equals(HyperInterval.of(0, 0, 24n * HOUR))).toBe(false);
    expect(HyperInterval.of(1, 2, 3n).equals(HyperInterval.of(1, 2, 3))).toBe(true);
  });

  it("rejects invalid values", () => {
    expect(() => HyperInterval.of(2 ** 31, 0, 0n)).toThrow(InvalidArgumentError);
    expect(() => HyperInterval.of(0, 1.5, 0n)).toThrow(InvalidArgumentError);
    expect(() => HyperInterval.of(0, 0, 2n ** 63n)).toThrow(InvalidArgumentError);
    expect(() => HyperInterval.of(0, 0, 0.5)).toThrow(InvalidArgumentError);
    expect(() => HyperInterval.fromParts({ hours: 1.5 })).toThrow(InvalidArgumentError);
    for (const text of [
      "",
      "P",
      "PT",
      "P1",
      "PT1",
      "1 day",
      "P1DT",
      "PTS",
      "PT-S",
      "P1.5Y",
      "P99999999999M",
    ]) {
      expect(tryParseInterval(text), text).toBeUndefined();
    }
    expect(() => HyperInterval.parse("1 day")).toThrow('invalid INTERVAL "1 day"');
  });
});
