import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../errors/index.ts";
import {
  assertDecimalFits,
  decimalFits,
  formatDecimal,
  parseDecimal,
  rescaleDecimal,
  tryParseDecimalParts,
} from "./decimal.ts";

const MAX38 = "99999999999999999999999999999999999999";

describe("formatDecimal", () => {
  it("places the point with exactly `scale` fraction digits", () => {
    expect(formatDecimal(-5n, 2)).toBe("-0.05");
    expect(formatDecimal(1234n, 2)).toBe("12.34");
    expect(formatDecimal(0n, 2)).toBe("0.00");
    expect(formatDecimal(0n, 0)).toBe("0");
    expect(formatDecimal(-1234n, 0)).toBe("-1234");
    expect(formatDecimal(100n, 2)).toBe("1.00");
    expect(formatDecimal(1n, 38)).toBe(`0.${"0".repeat(37)}1`);
    expect(formatDecimal(BigInt(MAX38), 0)).toBe(MAX38);
    expect(formatDecimal(-BigInt(MAX38), 38)).toBe(`-0.${MAX38}`);
  });
});

describe("parseDecimal", () => {
  it("parses plain, signed and exponent forms", () => {
    expect(parseDecimal("12.34", 2)).toBe(1234n);
    expect(parseDecimal("12.3", 2)).toBe(1230n);
    expect(parseDecimal("-0.05", 2)).toBe(-5n);
    expect(parseDecimal("+5", 2)).toBe(500n);
    expect(parseDecimal(".5", 1)).toBe(5n);
    expect(parseDecimal("5.", 0)).toBe(5n);
    expect(parseDecimal("1e3", 0)).toBe(1000n);
    expect(parseDecimal("1.5E-2", 3)).toBe(15n);
    expect(parseDecimal(" 7 ", 0)).toBe(7n);
    expect(parseDecimal("-0", 2)).toBe(0n);
    expect(parseDecimal(MAX38, 0)).toBe(BigInt(MAX38));
    expect(parseDecimal(`0.${"0".repeat(37)}1`, 38)).toBe(1n);
  });

  it("rounds half away from zero", () => {
    expect(parseDecimal("0.125", 2)).toBe(13n);
    expect(parseDecimal("-0.125", 2)).toBe(-13n);
    expect(parseDecimal("0.1249", 2)).toBe(12n);
    expect(parseDecimal("-0.005", 2)).toBe(-1n);
    expect(parseDecimal("-0.004", 2)).toBe(0n);
    expect(parseDecimal("2.5", 0)).toBe(3n);
    expect(parseDecimal("1e-1000", 2)).toBe(0n);
  });

  it("rejects junk", () => {
    for (const text of [
      "",
      ".",
      "-",
      "abc",
      "1,5",
      "1.2.3",
      "0x10",
      "NaN",
      "Infinity",
      "1e",
      "1e1001",
      "--1",
    ]) {
      expect(() => parseDecimal(text, 2), text).toThrow(InvalidArgumentError);
    }
    expect(tryParseDecimalParts("1e-5000")).toBeUndefined();
  });

  it("keeps the text's own scale in tryParseDecimalParts", () => {
    expect(tryParseDecimalParts("12.30")).toEqual({ unscaled: 1230n, scale: 2 });
    expect(tryParseDecimalParts("1e3")).toEqual({ unscaled: 1000n, scale: 0 });
    expect(tryParseDecimalParts("1.5e-7")).toEqual({ unscaled: 15n, scale: 8 });
    expect(tryParseDecimalParts("0.00")).toEqual({ unscaled: 0n, scale: 2 });
  });
});

describe("rescaleDecimal and precision checks", () => {
  it("rescales both ways", () => {
    expect(rescaleDecimal(1234n, 2, 4)).toBe(123_400n);
    expect(rescaleDecimal(1235n, 3, 2)).toBe(124n);
    expect(rescaleDecimal(-1235n, 3, 2)).toBe(-124n);
    expect(rescaleDecimal(7n, -2, 0)).toBe(700n);
  });

  it("checks precision", () => {
    expect(decimalFits(BigInt(MAX38), 38)).toBe(true);
    expect(decimalFits(BigInt(MAX38) + 1n, 38)).toBe(false);
    expect(decimalFits(-BigInt(MAX38) - 1n, 38)).toBe(false);
    expect(() => assertDecimalFits(9_999_999_999n, 10, 2)).not.toThrow();
    expect(() => assertDecimalFits(10_000_000_000n, 10, 2)).toThrow("100000000.00 exceeds NUMERIC(10,2)");
  });
});
