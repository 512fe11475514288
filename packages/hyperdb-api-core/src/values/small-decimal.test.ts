import { describe, expect, it } from "vitest";
import { parseDecimal } from "./decimal.ts";
import { parseSmallDecimal, smallDecimalFromNumber } from "./small-decimal.ts";

describe("small decimal fast paths", () => {
  it("handle the common plain forms", () => {
    expect(parseSmallDecimal("12.34", 2)).toBe(1234);
    expect(parseSmallDecimal("12.3", 2)).toBe(1230);
    expect(parseSmallDecimal("-0.05", 2)).toBe(-5);
    expect(parseSmallDecimal("+7", 0)).toBe(7);
    expect(parseSmallDecimal(".5", 1)).toBe(5);
    expect(parseSmallDecimal("5.", 0)).toBe(5);
    expect(Object.is(parseSmallDecimal("-0", 2), 0)).toBe(true);
    expect(parseSmallDecimal("999999999999999", 0)).toBe(999_999_999_999_999);
    expect(smallDecimalFromNumber(12.34, 2)).toBe(1234);
    expect(smallDecimalFromNumber(-3, 4)).toBe(-30_000);
  });

  it("give up (NaN) whenever the exact path is needed", () => {
    for (const [text, scale] of [
      ["0.125", 2],
      ["1e3", 0],
      ["1234567890123456", 0],
      ["", 0],
      [".", 0],
      ["-", 0],
      ["1.2.3", 2],
      ["1,5", 2],
      [" 1", 0],
      ["9007199254740.992", 3],
      ["1", 23],
    ] as const) {
      expect(parseSmallDecimal(text, scale), `${text} @ ${scale}`).toBeNaN();
    }
    expect(smallDecimalFromNumber(Number.NaN, 2)).toBeNaN();
    expect(smallDecimalFromNumber(Number.POSITIVE_INFINITY, 2)).toBeNaN();
    expect(smallDecimalFromNumber(0.1 + 0.2, 2)).toBeNaN();
    expect(smallDecimalFromNumber(2 ** 52, 2)).toBeNaN();
  });

  it("agree with the exact bigint path wherever they answer", () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    let answered = 0;
    for (let i = 0; i < 20_000; i++) {
      const integerDigits = Math.floor(random() * 12);
      const fractionDigits = Math.floor(random() * 8);
      let text = random() < 0.5 ? "-" : "";
      for (let d = 0; d < integerDigits; d++) text += Math.floor(random() * 10);
      if (fractionDigits > 0 || integerDigits === 0) text += ".";
      for (let d = 0; d < Math.max(fractionDigits, integerDigits === 0 ? 1 : 0); d++)
        text += Math.floor(random() * 10);
      const scale = Math.floor(random() * 10);
      const fast = parseSmallDecimal(text, scale);
      if (Number.isNaN(fast)) continue;
      answered++;
      expect(BigInt(fast), `${text} @ ${scale}`).toBe(parseDecimal(text, scale));
      const asNumber = Number(text);
      const fromNumber = smallDecimalFromNumber(asNumber, scale);
      if (!Number.isNaN(fromNumber)) expect(BigInt(fromNumber)).toBe(parseDecimal(String(asNumber), scale));
    }
    expect(answered).toBeGreaterThan(5_000);
  });
});
