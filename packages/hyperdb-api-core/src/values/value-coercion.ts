import { InvalidArgumentError } from "../errors/index.ts";
import { JULIAN_TO_UNIX_MICROS } from "./calendar.ts";
import {
  assertDecimalFits,
  type DecimalParts,
  decimalFits,
  rescaleDecimal,
  tryParseDecimalParts,
} from "./decimal.ts";
import { describeValue } from "./describe-value.ts";
import { HyperDate, tryParseDate } from "./hyper-date.ts";
import { HyperInterval, tryParseInterval } from "./hyper-interval.ts";
import { HyperTime, tryParseTime } from "./hyper-time.ts";
import { HyperTimestamp, tryParseTimestamp } from "./hyper-timestamp.ts";
import { type HyperType, MAX_NUMERIC_PRECISION, numericPrecision, numericScale } from "./oids.ts";

/**
 * Checks and converts the JS values the encoders accept. `label` is the SQL type name used in
 * error messages (`INTEGER`, `NUMERIC(10,2)`); every rejection is an InvalidArgumentError.
 */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** `expected an integer for INTEGER, got "abc" (string)`. */
export function expectedError(what: string, label: string, value: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`expected ${what} for ${label}, got ${describeValue(value)}`);
}

/** `300000 is out of range for SMALLINT`. */
export function outOfRangeError(value: number | bigint | string, label: string): InvalidArgumentError {
  return new InvalidArgumentError(`${String(value)} is out of range for ${label}`);
}

/** A boolean (no truthiness: `1` and `"true"` are rejected). */
export function toBoolean(value: unknown, label: string): boolean {
  if (typeof value === "boolean") return value;
  throw expectedError("a boolean", label, value);
}

/** An integral number (or bigint) within `min … max`, as a number. */
export function toInteger(value: unknown, label: string, min: number, max: number): number {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw expectedError("an integer", label, value);
    if (value < min || value > max) throw outOfRangeError(value, label);
    return value;
  }
  if (typeof value === "bigint") {
    if (value < BigInt(min) || value > BigInt(max)) throw outOfRangeError(value, label);
    return Number(value);
  }
  throw expectedError("an integer", label, value);
}

/** A bigint within int64, or a safe-integer number (returned as is, to spare a bigint). */
export function toInt64(value: unknown, label: string): bigint | number {
  if (typeof value === "bigint") {
    if (value < INT64_MIN || value > INT64_MAX) throw outOfRangeError(value, label);
    return value;
  }
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return value;
    if (Number.isInteger(value)) {
      throw new InvalidArgumentError(`${value} is not a safe integer; pass a bigint for ${label}`);
    }
  }
  throw expectedError("a bigint or an integer", label, value);
}

/** A number; for REAL (`single`) finite values must not overflow float32. */
export function toFloat(value: unknown, label: string, single: boolean): number {
  if (typeof value !== "number") throw expectedError("a number", label, value);
  if (single && Number.isFinite(value) && !Number.isFinite(Math.fround(value)))
    throw outOfRangeError(value, label);
  return value;
}

function decimalParts(value: unknown, label: string): DecimalParts {
  if (typeof value === "bigint") return { unscaled: value, scale: 0 };
  let parts: DecimalParts | undefined;
  if (typeof value === "string") {
    parts = tryParseDecimalParts(value);
  } else if (typeof value === "number" && Number.isFinite(value)) {
    parts = Number.isSafeInteger(value)
      ? { unscaled: BigInt(value), scale: 0 }
      : tryParseDecimalParts(String(value));
  }
  if (parts === undefined) throw expectedError("a decimal string, bigint or finite number", label, value);
  return parts;
}

/**
 * The unscaled value at `scale` of a decimal string, bigint or finite number (numbers go through
 * their shortest decimal text, so `0.1` is exactly 0.1); rounds half away from zero and checks
 * that the result fits `precision` digits.
 */
export function toDecimal(value: unknown, label: string, precision: number, scale: number): bigint {
  const parts = decimalParts(value, label);
  const unscaled = rescaleDecimal(parts.unscaled, parts.scale, scale);
  assertDecimalFits(unscaled, precision, scale);
  return unscaled;
}

/**
 * A decimal for an unconstrained NUMERIC (typmod -1, e.g. a bind parameter): keeps the value's
 * own scale (at most 38), and checks it has at most 38 digits.
 */
export function toUnconstrainedDecimal(value: unknown, label: string): DecimalParts {
  let { unscaled, scale } = decimalParts(value, label);
  if (scale > MAX_NUMERIC_PRECISION) {
    unscaled = rescaleDecimal(unscaled, scale, MAX_NUMERIC_PRECISION);
    scale = MAX_NUMERIC_PRECISION;
  }
  if (!decimalFits(unscaled, MAX_NUMERIC_PRECISION)) {
    throw new InvalidArgumentError(
      `${String(value)} has more than ${MAX_NUMERIC_PRECISION} digits for ${label}`,
    );
  }
  return { unscaled, scale };
}

/** A string, at most `maxLength` characters (code points) long when given. */
export function toText(value: unknown, label: string, maxLength: number | undefined): string {
  if (typeof value !== "string") throw expectedError("a string", label, value);
  if (maxLength !== undefined && value.length > maxLength) {
    const characters = codePointLength(value);
    if (characters > maxLength) {
      throw new InvalidArgumentError(`a string of ${characters} characters is too long for ${label}`);
    }
  }
  return value;
}

function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** A Uint8Array (a Buffer is one); returned as is, not copied. */
export function toBytes(value: unknown, label: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw expectedError("a Uint8Array", label, value);
}

/** A HyperDate, a JS Date (its UTC day) or `YYYY-MM-DD` text. */
export function toHyperDate(value: unknown, label: string): HyperDate {
  if (value instanceof HyperDate) return value;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw expectedError("a valid Date", label, value);
    return HyperDate.fromDate(value);
  }
  if (typeof value === "string") {
    const date = tryParseDate(value);
    if (date !== undefined) return date;
  }
  throw expectedError('a HyperDate, Date or "YYYY-MM-DD" string', label, value);
}

/** A HyperTime or `HH:MM[:SS[.ffffff]]` text. */
export function toHyperTime(value: unknown, label: string): HyperTime {
  if (value instanceof HyperTime) return value;
  if (typeof value === "string") {
    const time = tryParseTime(value);
    if (time !== undefined) return time;
  }
  throw expectedError('a HyperTime or "HH:MM:SS[.ffffff]" string', label, value);
}

/**
 * Microseconds since Julian day 0 of a HyperTimestamp, a JS Date, or timestamp text (an offset
 * in the text converts it to UTC; text without one is taken as is, i.e. as UTC for TIMESTAMPTZ).
 */
export function toJulianMicros(value: unknown, label: string): bigint {
  if (value instanceof HyperTimestamp) return value.julianMicroseconds;
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw expectedError("a valid Date", label, value);
    return BigInt(ms) * 1000n + JULIAN_TO_UNIX_MICROS;
  }
  if (typeof value === "string") {
    const timestamp = tryParseTimestamp(value);
    if (timestamp !== undefined) return timestamp.julianMicroseconds;
  }
  throw expectedError('a HyperTimestamp, Date or "YYYY-MM-DD HH:MM:SS[.ffffff]" string', label, value);
}

/** A HyperInterval or its ISO 8601 text (`P1Y2DT3S`). */
export function toHyperInterval(value: unknown, label: string): HyperInterval {
  if (value instanceof HyperInterval) return value;
  if (typeof value === "string") {
    const interval = tryParseInterval(value);
    if (interval !== undefined) return interval;
  }
  throw expectedError('a HyperInterval or ISO 8601 "P…" string', label, value);
}

/**
 * The encoder of a NUMERIC parameter of `type`: coerces each value to an exact decimal (at the
 * column's precision and scale, or at the value's own scale when the typmod is -1, as for
 * parameters) and hands its unscaled integer and scale to `emit`.
 */
export function numericParamEncoder<T>(
  type: HyperType,
  label: string,
  emit: (unscaled: bigint, scale: number) => T,
): (value: unknown) => T {
  if (type.typmod < 4) {
    return (value) => {
      const { unscaled, scale } = toUnconstrainedDecimal(value, label);
      return emit(unscaled, scale);
    };
  }
  const precision = numericPrecision(type.typmod);
  const scale = numericScale(type.typmod);
  return (value) => emit(toDecimal(value, label, precision, scale), scale);
}
