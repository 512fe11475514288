import { InvalidArgumentError } from "../errors/index.ts";
import { pad, parseFractionMicros } from "./calendar.ts";

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MICROS_PER_HOUR = 3_600_000_000n;
const MICROS_PER_MINUTE = 60_000_000n;
const MICROS_PER_SECOND = 1_000_000n;
const INTERVAL_PATTERN =
  /^P(?:([+-]?\d+)Y)?(?:([+-]?\d+)M)?(?:([+-]?\d+)W)?(?:([+-]?\d+)D)?(?:T(?:([+-]?\d+)H)?(?:([+-]?\d+)M)?(?:([+-]?)(\d*)(?:\.(\d+))?S)?)?$/;

let unchecked: (months: number, days: number, microseconds: bigint) => HyperInterval;

/** Components accepted by {@link HyperInterval.fromParts}; all optional integers, default 0. */
export interface IntervalParts {
  readonly years?: number;
  readonly months?: number;
  readonly weeks?: number;
  readonly days?: number;
  readonly hours?: number;
  readonly minutes?: number;
  readonly seconds?: number;
  readonly microseconds?: number | bigint;
}

/**
 * A SQL `INTERVAL`: months, days and microseconds kept separately (as on the wire), since a month
 * has no fixed number of days and a day no fixed number of microseconds (DST). Each part may be
 * negative independently. Immutable; `equals` compares the parts, not a normalised length.
 */
export class HyperInterval {
  /** Months (years × 12 + months), an int32. */
  readonly months: number;
  /** Days, an int32. */
  readonly days: number;
  /** Microseconds, an int64. */
  readonly microseconds: bigint;

  private constructor(months: number, days: number, microseconds: bigint) {
    this.months = months;
    this.days = days;
    this.microseconds = microseconds;
  }

  static {
    unchecked = (months, days, microseconds) => new HyperInterval(months, days, microseconds);
  }

  /** The interval with exactly these wire parts. */
  static of(months: number, days: number, microseconds: bigint | number): HyperInterval {
    if (!isInt32(months) || !isInt32(days)) {
      throw new InvalidArgumentError(
        `months (${months}) and days (${days}) of an INTERVAL must be int32 integers`,
      );
    }
    const micros = toInt64(microseconds);
    if (micros === undefined) {
      throw new InvalidArgumentError(`${String(microseconds)} µs is out of range for INTERVAL`);
    }
    return new HyperInterval(months, days, micros);
  }

  /** Builds an interval from calendar and clock components (all integers), e.g. `{ years: 1, days: 2 }`. */
  static fromParts(parts: IntervalParts): HyperInterval {
    const { years = 0, months = 0, weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0 } = parts;
    for (const [name, value] of Object.entries({ years, months, weeks, days, hours, minutes, seconds })) {
      if (!Number.isSafeInteger(value)) {
        throw new InvalidArgumentError(`INTERVAL ${name} must be an integer, got ${String(value)}`);
      }
    }
    const extra = toInt64(parts.microseconds ?? 0);
    if (extra === undefined) {
      throw new InvalidArgumentError(
        `INTERVAL microseconds must be an integer, got ${String(parts.microseconds)}`,
      );
    }
    const micros =
      BigInt(hours) * MICROS_PER_HOUR +
      BigInt(minutes) * MICROS_PER_MINUTE +
      BigInt(seconds) * MICROS_PER_SECOND +
      extra;
    return HyperInterval.of(years * 12 + months, weeks * 7 + days, micros);
  }

  /**
   * Parses Hyper's ISO 8601 text form: `P1Y2DT3S`, `P-1M3DT4H5M6.500000S`, `PT0S` (designators
   * Y, M, W, D, then T with H, M, S; only seconds may have a fraction).
   */
  static parse(text: string): HyperInterval {
    const interval = tryParseInterval(text);
    if (interval === undefined) throw new InvalidArgumentError(`invalid INTERVAL ${JSON.stringify(text)}`);
    return interval;
  }

  /** Whether `other` has the same months, days and microseconds. */
  equals(other: HyperInterval): boolean {
    return (
      this.months === other.months && this.days === other.days && this.microseconds === other.microseconds
    );
  }

  /** ISO 8601 as Hyper prints it: `P1Y2DT3S`, `P-1M3DT4H5M6.500000S`; the empty interval is `PT0S`. */
  toString(): string {
    const { months, days, microseconds } = this;
    if (months === 0 && days === 0 && microseconds === 0n) return "PT0S";
    const years = Math.trunc(months / 12);
    const restMonths = months % 12;
    let text = "P";
    if (years !== 0) text += `${years}Y`;
    if (restMonths !== 0) text += `${restMonths}M`;
    if (days !== 0) text += `${days}D`;
    if (microseconds !== 0n) {
      text += "T";
      const hours = microseconds / MICROS_PER_HOUR;
      const minutes = (microseconds % MICROS_PER_HOUR) / MICROS_PER_MINUTE;
      const seconds = (microseconds % MICROS_PER_MINUTE) / MICROS_PER_SECOND;
      const micros = microseconds % MICROS_PER_SECOND;
      if (hours !== 0n) text += `${hours}H`;
      if (minutes !== 0n) text += `${minutes}M`;
      if (seconds !== 0n || micros !== 0n) {
        const sign = seconds === 0n && micros < 0n ? "-" : "";
        const fractionText = micros === 0n ? "" : `.${pad(Number(micros < 0n ? -micros : micros), 6)}`;
        text += `${sign}${seconds}${fractionText}S`;
      }
    }
    return text;
  }

  /** Same as `toString()`. */
  toJSON(): string {
    return this.toString();
  }
}

function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
}

function toInt64(value: bigint | number): bigint | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (typeof value !== "bigint" || value < INT64_MIN || value > INT64_MAX) return undefined;
  return value;
}

/** Creates a HyperInterval without range checks (for decoding trusted wire values). */
export function hyperIntervalUnchecked(months: number, days: number, microseconds: bigint): HyperInterval {
  return unchecked(months, days, microseconds);
}

/** Parses Hyper's ISO 8601 interval text; undefined when invalid. */
export function tryParseInterval(text: string): HyperInterval | undefined {
  const match = INTERVAL_PATTERN.exec(text);
  if (match === null || text === "P" || text.endsWith("T")) return undefined;
  const [, y, mo, w, d, h, mi, secondSign, secondDigits, fractionDigits] = match;
  const hasSeconds = secondDigits !== undefined || fractionDigits !== undefined;
  if (hasSeconds && secondDigits === "" && fractionDigits === undefined) return undefined;
  const months = num(y) * 12 + num(mo);
  const days = num(w) * 7 + num(d);
  if (!isInt32(months) || !isInt32(days)) return undefined;
  let seconds = BigInt(secondDigits || "0") * MICROS_PER_SECOND + BigInt(parseFractionMicros(fractionDigits));
  if (secondSign === "-") seconds = -seconds;
  const micros = BigInt(h ?? "0") * MICROS_PER_HOUR + BigInt(mi ?? "0") * MICROS_PER_MINUTE + seconds;
  if (micros < INT64_MIN || micros > INT64_MAX) return undefined;
  return unchecked(months, days, micros);
}

function num(text: string | undefined): number {
  return text === undefined ? 0 : Number(text);
}
