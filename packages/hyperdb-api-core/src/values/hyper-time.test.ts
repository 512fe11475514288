import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../errors/index.ts";
import { HyperTime, tryParseTime } from "./hyper-time.ts";

describe("HyperTime", () => {
  it("converts between parts, microseconds and text", () => {
    const time = HyperTime.fromParts(12, 34, 56, 789_000);
    expect(time.microseconds).toBe(45_296_789_000);
    expect([time.hour, time.minute, time.second, time.microsecond]).toEqual([12, 34, 56, 789_000]);
    expect(time.toString()).toBe("12:34:56.789");
    expect(time.toJSON()).toBe("12:34:56.789");
  });

  it("round-trips the ends of the day", () => {
    expect(HyperTime.fromMicroseconds(0).toString()).toBe("00:00:00");
    const last = HyperTime.parse("23:59:59.999999");
    expect(last.microseconds).toBe(86_399_999_999);
    expect(last.toString()).toBe("23:59:59.999999");
    expect(HyperTime.fromParts(23, 59, 59, 999_999).equals(last)).toBe(true);
  });

  it("parses optional seconds and fractions", () => {
    expect(HyperTime.parse("07:05").microseconds).toBe((7 * 60 + 5) * 60_000_000);
    expect(HyperTime.parse("00:00:00.5").microseconds).toBe(500_000);
    expect(HyperTime.parse("00:00:00.0000004").microseconds).toBe(0);
    expect(HyperTime.parse("00:00:00.0000005").microseconds).toBe(1);
  });

  it("rejects out-of-range values", () => {
    expect(() => HyperTime.fromMicroseconds(86_400_000_000)).toThrow(InvalidArgumentError);
    expect(() => HyperTime.fromMicroseconds(-1)).toThrow(InvalidArgumentError);
    expect(() => HyperTime.fromMicroseconds(0.5)).toThrow(InvalidArgumentError);
    expect(() => HyperTime.fromParts(24, 0, 0)).toThrow(InvalidArgumentError);
    expect(() => HyperTime.fromParts(0, 60, 0)).toThrow(InvalidArgumentError);
    expect(() => HyperTime.fromParts(0, 0, 0, 1_000_000)).toThrow(InvalidArgumentError);
    for (const text of [
      "24:00:00",
      "12:60:00",
      "12:00:60",
      "1:00:00",
      "12:00:00.",
      "23:59:59.9999999",
      "noon",
    ]) {
      expect(tryParseTime(text), text).toBeUndefined();
    }
    expect(() => HyperTime.parse("noon")).toThrow('invalid TIME "noon"');
  });
});
