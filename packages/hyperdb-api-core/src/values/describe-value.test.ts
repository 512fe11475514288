import { describe, expect, it } from "vitest";
import { describeValue } from "./describe-value.ts";

describe("describeValue", () => {
  it("describes values for error messages", () => {
    expect(describeValue("abc")).toBe('"abc" (string)');
    expect(describeValue(1.5)).toBe("1.5 (number)");
    expect(describeValue(-0)).toBe("-0 (number)");
    expect(describeValue(10n)).toBe("10n (bigint)");
    expect(describeValue(true)).toBe("true (boolean)");
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("undefined");
    expect(describeValue(new Date(0))).toBe("a Date");
    expect(describeValue([])).toBe("an Array");
    expect(describeValue({})).toBe("an object");
    expect(describeValue(Object.create(null))).toBe("an object");
    expect(describeValue(Symbol("s"))).toBe("a symbol");
    expect(describeValue("x".repeat(100))).toBe(`"${"x".repeat(40)}…" (string)`);
  });
});
