/**
 * Number-only fast paths for NUMERIC encoding. They cover the common case (plain decimal text or
 * numbers whose unscaled value is a safe integer) without bigints, and return NaN whenever the
 * exact bigint path in decimal.ts is needed: exponents, rounding, more than 15 digits, overflow.
 */

/** 10^0 … 10^22, all exact doubles. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Up to this many digits a decimal digit string is exact as a double. */
const MAX_EXACT_DIGITS = 15;

/** `value × 10^scale` when that is a safe integer, else NaN. */
function scaleUp(value: number, scale: number): number {
  const factor = POWERS_OF_TEN[scale];
  if (factor === undefined) return Number.NaN;
  const scaled = value * factor;
  // A product of exact integers is exact whenever the true result is ≤ 2^53.
  return scaled <= Number.MAX_SAFE_INTEGER && scaled >= -Number.MAX_SAFE_INTEGER ? scaled : Number.NaN;
}

/**
 * The unscaled value at `scale` of plain decimal text (`-12.5`, `+3`, `.5`) as a safe integer,
 * or NaN when the text is anything else or needs rounding.
 */
export function parseSmallDecimal(text: string, scale: number): number {
  const length = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 0x2d) {
    negative = true;
    i = 1;
  } else if (first === 0x2b) {
    i = 1;
  }
  let value = 0;
  let digits = 0;
  let fractionDigits = -1;
  for (; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x30 && code <= 0x39) {
      value = value * 10 + (code - 0x30);
      digits++;
      if (fractionDigits >= 0) fractionDigits++;
    } else if (code === 0x2e && fractionDigits < 0) {
      fractionDigits = 0;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0 || digits > MAX_EXACT_DIGITS) return Number.NaN;
  const fraction = Math.max(fractionDigits, 0);
  if (fraction > scale) return Number.NaN;
  const scaled = scaleUp(value, scale - fraction);
  return negative ? 0 - scaled : scaled;
}

/** The unscaled value at `scale` of a JS number as a safe integer, or NaN when not exactly possible. */
export function smallDecimalFromNumber(value: number, scale: number): number {
  if (Number.isSafeInteger(value)) return scaleUp(value, scale);
  return Number.isFinite(value) ? parseSmallDecimal(String(value), scale) : Number.NaN;
}
