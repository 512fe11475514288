import { InvalidArgumentError } from "../errors/index.ts";

/**
 * Exact decimal arithmetic on scaled bigints (`value = unscaled / 10^scale`). Values never pass
 * through floating point.
 */

const DECIMAL_PATTERN = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;
/** Exponents beyond this are rejected rather than materialised as huge bigints. */
const MAX_EXPONENT_SHIFT = 1000;

const powersOfTen: bigint[] = [];
for (let i = 0n, p = 1n; i <= 40n; i++, p *= 10n) powersOfTen.push(p);

/** 10^n as a bigint (cached for small n). */
export function powerOfTen(n: number): bigint {
  return powersOfTen[n] ?? 10n ** BigInt(n);
}

/** A decimal as parsed, with the scale its text implies (`12.30` → 1230n, scale 2). */
export interface DecimalParts {
  readonly unscaled: bigint;
  readonly scale: number;
}

/** Decimal text of `unscaled / 10^scale` with exactly `scale` fraction digits: (-5n, 2) → `-0.05`. */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  return formatDecimalDigits(negative, String(negative ? -unscaled : unscaled), scale);
}

/** Places a decimal point `scale` digits from the right of a string of digits (no sign). */
export function formatDecimalDigits(negative: boolean, digits: string, scale: number): string {
  const sign = negative ? "-" : "";
  if (scale === 0) return sign + digits;
  const padded = digits.length > scale ? digits : digits.padStart(scale + 1, "0");
  const point = padded.length - scale;
  return `${sign}${padded.slice(0, point)}.${padded.slice(point)}`;
}

/**
 * Parses decimal text (`12.3`, `-0.05`, `+5`, `.5`, `1e3`, surrounding blanks allowed) keeping
 * its own scale (never negative: `1e3` is 1000n at scale 0). Undefined for anything else.
 */
export function tryParseDecimalParts(text: string): DecimalParts | undefined {
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, sign, integerDigits = "", fractionDigits = "", exponentText] = match;
  if (integerDigits.length === 0 && fractionDigits.length === 0) return undefined;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  let digits = (integerDigits + fractionDigits).replace(/^0+/, "");
  if (digits === "") {
    return {
      unscaled: 0n,
      scale: Math.min(Math.max(0, fractionDigits.length - exponent), MAX_EXPONENT_SHIFT),
    };
  }
  let scale = fractionDigits.length - exponent;
  if (scale < 0) {
    if (-scale > MAX_EXPONENT_SHIFT) return undefined;
    digits += "0".repeat(-scale);
    scale = 0;
  } else if (scale > MAX_EXPONENT_SHIFT + digits.length) {
    return undefined;
  }
  const unscaled = BigInt(digits);
  return { unscaled: sign === "-" ? -unscaled : unscaled, scale };
}

/** Changes the scale of a decimal, rounding half away from zero when digits are dropped. */
export function rescaleDecimal(unscaled: bigint, fromScale: number, toScale: number): bigint {
  if (toScale === fromScale) return unscaled;
  if (toScale > fromScale) return unscaled * powerOfTen(toScale - fromScale);
  const divisor = powerOfTen(fromScale - toScale);
  const negative = unscaled < 0n;
  const magnitude = negative ? -unscaled : unscaled;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  return negative ? -quotient : quotient;
}

/**
 * Parses decimal text to an unscaled bigint at `scale`: (`"12.34"`, 2) → 1234n. Extra fraction
 * digits are rounded half away from zero (`"0.125"` at scale 2 → 13n). Throws
 * InvalidArgumentError for text that is not a decimal number.
 */
export function parseDecimal(text: string, scale: number): bigint {
  const parts = tryParseDecimalParts(text);
  if (parts === undefined) throw new InvalidArgumentError(`invalid decimal number ${JSON.stringify(text)}`);
  return rescaleDecimal(parts.unscaled, parts.scale, scale);
}

/** Whether `unscaled` has at most `precision` digits. */
export function decimalFits(unscaled: bigint, precision: number): boolean {
  const limit = powerOfTen(precision);
  return unscaled < limit && unscaled > -limit;
}

/** Throws InvalidArgumentError (`123456.78 exceeds NUMERIC(7,2)`) unless the value fits `precision`. */
export function assertDecimalFits(unscaled: bigint, precision: number, scale: number): void {
  if (!decimalFits(unscaled, precision)) {
    throw new InvalidArgumentError(
      `${formatDecimal(unscaled, scale)} exceeds NUMERIC(${precision},${scale})`,
    );
  }
}
