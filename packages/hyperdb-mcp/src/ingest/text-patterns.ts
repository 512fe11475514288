/**
 * Recognisers for the text shapes inference cares about — dates, timestamps, integers, floats,
 * booleans and null tokens — shared by the CSV and JSON inference so both read a value the same
 * way.
 *
 * @module
 */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?$/;
const INTEGER_PATTERN = /^[+-]?\d+$/;
const FLOAT_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const I32_MIN = -(2n ** 31n);
const I32_MAX = 2n ** 31n - 1n;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

function validDate(year: string, month: string, day: string): boolean {
  const m = Number(month);
  const d = Number(day);
  return Number(year) > 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/** `YYYY-MM-DD` with a plausible month and day. */
export function isDateText(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  return match !== null && validDate(match[1] as string, match[2] as string, match[3] as string);
}

/** `YYYY-MM-DDThh:mm:ss[.fraction]` (or a blank instead of `T`), without a time zone. */
export function isTimestampText(value: string): boolean {
  const match = TIMESTAMP_PATTERN.exec(value);
  return (
    match !== null &&
    validDate(match[1] as string, match[2] as string, match[3] as string) &&
    Number(match[4]) < 24 &&
    Number(match[5]) < 60 &&
    Number(match[6]) < 61
  );
}

/** An optionally signed run of digits. */
export function isIntegerText(value: string): boolean {
  return INTEGER_PATTERN.test(value);
}

/** A decimal number with a point and/or an exponent, or an integer. */
export function isFloatText(value: string): boolean {
  return FLOAT_PATTERN.test(value);
}

/** The width an integer needs: 32 bits, 64 bits, or more. */
export type IntegerWidth = "i32" | "i64" | "wide";

/** The width of an integer value. */
export function integerWidth(value: bigint): IntegerWidth {
  if (value >= I32_MIN && value <= I32_MAX) {
    return "i32";
  }
  return value >= I64_MIN && value <= I64_MAX ? "i64" : "wide";
}

/** Width of an integer given as text (see {@link isIntegerText}); avoids BigInt for short ones. */
export function integerTextWidth(value: string): IntegerWidth {
  const digits = value.length - (value.charCodeAt(0) === 43 || value.charCodeAt(0) === 45 ? 1 : 0);
  if (digits <= 9) {
    return "i32";
  }
  return integerWidth(BigInt(value));
}

/** `true` / `false` in any letter case. */
export function isBooleanText(value: string): boolean {
  const lower = value.toLowerCase();
  return lower === "true" || lower === "false";
}

/** The CSV null tokens: empty, `null` and `NA` in any letter case. */
export function isNullToken(value: string): boolean {
  if (value.length === 0) {
    return true;
  }
  if (value.length > 4) {
    return false;
  }
  const lower = value.toLowerCase();
  return lower === "null" || lower === "na";
}
