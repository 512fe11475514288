import { HyperDate, HyperInterval, HyperTime, HyperTimestamp } from "@hyperdb-ts/hyperdb-api";
import { describe, expect, it } from "vitest";
import { rowToJson, toJsonValue } from "./json-values.ts";

describe("toJsonValue", () => {
  it("keeps null, booleans, strings and finite numbers", () => {
    expect(toJsonValue(null)).toBeNull();
    expect(toJsonValue(undefined)).toBeNull();
    expect(toJsonValue(true)).toBe(true);
    expect(toJsonValue("12.34")).toBe("12.34");
    expect(toJsonValue(1.5)).toBe(1.5);
  });

  it("turns NaN and infinities into null", () => {
    expect(toJsonValue(Number.NaN)).toBeNull();
    expect(toJsonValue(Number.POSITIVE_INFINITY)).toBeNull();
    expect(toJsonValue(Number.NEGATIVE_INFINITY)).toBeNull();
  });

  it("renders safe bigints as numbers and others as exact strings", () => {
    expect(toJsonValue(42n)).toBe(42);
    expect(toJsonValue(9007199254740991n)).toBe(9007199254740991);
    expect(toJsonValue(-9007199254740991n)).toBe(-9007199254740991);
    expect(toJsonValue(9007199254740993n)).toBe("9007199254740993");
    expect(toJsonValue(-9223372036854775808n)).toBe("-9223372036854775808");
  });

  it("renders dates, times, timestamps and intervals as ISO-style text", () => {
    expect(toJsonValue(HyperDate.fromParts(2024, 1, 2))).toBe("2024-01-02");
    expect(toJsonValue(HyperTime.parse("12:34:56.123456"))).toBe("12:34:56.123456");
    expect(toJsonValue(HyperTimestamp.parse("2024-01-02 03:04:05"))).toBe(
      HyperTimestamp.parse("2024-01-02 03:04:05").toString(),
    );
    const interval = HyperInterval.of(1, 2, 3_000_000n);
    expect(toJsonValue(interval)).toBe(interval.toString());
    expect(toJsonValue(new Date("2024-01-02T03:04:05.000Z"))).toBe("2024-01-02T03:04:05.000Z");
    expect(toJsonValue(new Date(Number.NaN))).toBeNull();
  });

  it("renders bytes as base64, also for views into larger buffers", () => {
    expect(toJsonValue(new Uint8Array([0, 1, 2, 255]))).toBe("AAEC/w==");
    const big = new Uint8Array([9, 9, 104, 105, 9]);
    expect(toJsonValue(big.subarray(2, 4))).toBe("aGk=");
  });

  it("recurses into arrays and plain objects and never throws", () => {
    expect(toJsonValue([1n, null, [2]])).toEqual([1, null, [2]]);
    expect(toJsonValue({ a: 2n ** 64n })).toEqual({ a: "18446744073709551616" });
    expect(toJsonValue(Symbol("s"))).toBe("Symbol(s)");
  });

  it("converts rows keeping column order", () => {
    const row = rowToJson({ z: 1n, a: HyperDate.fromParts(2024, 1, 2), m: "x" });
    expect(Object.keys(row)).toEqual(["z", "a", "m"]);
    expect(JSON.stringify(row)).toBe('{"z":1,"a":"2024-01-02","m":"x"}');
  });
});
