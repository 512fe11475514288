import { InvalidArgumentError } from "../errors/index.ts";
import {
  civilFromJulianDay,
  daysInMonth,
  formatCivilDate,
  formatTimeOfDay,
  fraction,
  JULIAN_TO_UNIX_MICROS,
  julianDayFromCivil,
  pad,
} from "./calendar.ts";
import type { HyperDate } from "./hyper-date.ts";
import { type HyperTime, parseTimeOfDay } from "./hyper-time.ts";

const MICROS_PER_DAY = 86_400_000_000n;
const MAX_JULIAN_MICROS = 0x7fff_ffff_ffff_ffffn;
const TIMESTAMP_PATTERN =
  /^(\d{4,7})-(\d{1,2})-(\d{1,2})(?:[ Tt](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)? ?([Zz]|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?)?( BC)?$/;

let unchecked: (julianMicros: bigint, withTimeZone: boolean) => HyperTimestamp;

/**
 * A SQL `TIMESTAMP` (`withTimeZone: false`, a wall-clock date and time) or `TIMESTAMP WITH TIME
 * ZONE` (`withTimeZone: true`, a UTC instant) with exact microsecond precision. Immutable.
 *
 * Stored as microseconds since Julian day 0, Hyper's wire representation, so decoding does no
 * arithmetic; `microseconds` gives the count since the Unix epoch. Years 1 … 9999 round-trip
 * exactly through every wire format.
 */
export class HyperTimestamp {
  /** Microseconds since Julian day 0 (4714-11-24 BC, midnight), as Hyper sends them. */
  readonly julianMicroseconds: bigint;
  /** True for `TIMESTAMP WITH TIME ZONE` (the value is a UTC instant). */
  readonly withTimeZone: boolean;

  private constructor(julianMicroseconds: bigint, withTimeZone: boolean) {
    this.julianMicroseconds = julianMicroseconds;
    this.withTimeZone = withTimeZone;
  }

  static {
    unchecked = (julianMicros, withTimeZone) => new HyperTimestamp(julianMicros, withTimeZone);
  }

  /** The timestamp `microseconds` after 1970-01-01 00:00:00 (UTC for TIMESTAMPTZ). */
  static fromMicroseconds(microseconds: bigint, withTimeZone = false): HyperTimestamp {
    if (typeof microseconds !== "bigint") {
      throw new InvalidArgumentError(`expected a bigint count of microseconds, got ${typeof microseconds}`);
    }
    return HyperTimestamp.fromJulianMicroseconds(microseconds + JULIAN_TO_UNIX_MICROS, withTimeZone);
  }

  /** The timestamp `julianMicroseconds` after Julian day 0 (0 … 2⁶³-1). */
  static fromJulianMicroseconds(julianMicroseconds: bigint, withTimeZone = false): HyperTimestamp {
    if (
      typeof julianMicroseconds !== "bigint" ||
      julianMicroseconds < 0n ||
      julianMicroseconds > MAX_JULIAN_MICROS
    ) {
      throw new InvalidArgumentError(
        `${String(julianMicroseconds)} µs since Julian day 0 is out of range for TIMESTAMP`,
      );
    }
    return new HyperTimestamp(julianMicroseconds, withTimeZone);
  }

  /**
   * The instant of a JS `Date`. For a plain TIMESTAMP the UTC wall-clock reading of the Date is
   * used (the same reading `date.toISOString()` shows).
   */
  static fromDate(date: Date, withTimeZone = false): HyperTimestamp {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new InvalidArgumentError("an invalid Date cannot be converted to TIMESTAMP");
    return new HyperTimestamp(BigInt(ms) * 1000n + JULIAN_TO_UNIX_MICROS, withTimeZone);
  }

  /** Combines a date and a time of day. */
  static fromDateAndTime(date: HyperDate, time: HyperTime, withTimeZone = false): HyperTimestamp {
    return HyperTimestamp.fromJulianMicroseconds(
      BigInt(date.julianDay) * MICROS_PER_DAY + BigInt(time.microseconds),
      withTimeZone,
    );
  }

  /**
   * Parses `YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][Z|±HH[:MM[:SS]]][ BC]`. A `Z` or offset converts the
   * value to UTC. `withTimeZone` defaults to whether the text carries a `Z` or an offset. More
   * than six fraction digits are rounded to the microsecond.
   */
  static parse(text: string, withTimeZone?: boolean): HyperTimestamp {
    const timestamp = tryParseTimestamp(text, withTimeZone);
    if (timestamp === undefined) throw new InvalidArgumentError(`invalid TIMESTAMP ${JSON.stringify(text)}`);
    return timestamp;
  }

  /** Microseconds since 1970-01-01 00:00:00 (UTC for TIMESTAMPTZ). */
  get microseconds(): bigint {
    return this.julianMicroseconds - JULIAN_TO_UNIX_MICROS;
  }

  /**
   * The instant as a JS `Date`, truncated to whole milliseconds (Date cannot hold microseconds).
   * A plain TIMESTAMP maps its wall-clock reading to the same reading in UTC.
   */
  toDate(): Date {
    const micros = this.microseconds;
    const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
    return new Date(Number(ms));
  }

  /** Whether `other` is the same instant/reading with the same `withTimeZone`. */
  equals(other: HyperTimestamp): boolean {
    return this.julianMicroseconds === other.julianMicroseconds && this.withTimeZone === other.withTimeZone;
  }

  /**
   * SQL text: `2024-06-15 12:34:56.789` (fraction without trailing zeros, omitted when zero);
   * TIMESTAMPTZ is rendered in UTC with a `+00` suffix. Years ≤ 0 get PostgreSQL's ` BC` suffix.
   */
  toString(): string {
    const { julianDay, microsOfDay } = this.split();
    const civil = civilFromJulianDay(julianDay);
    const text = `${formatCivilDate(civil)} ${formatTimeOfDay(microsOfDay)}${this.withTimeZone ? "+00" : ""}`;
    return civil.year <= 0 ? `${text} BC` : text;
  }

  /**
   * ISO 8601 with all six fraction digits: `2024-06-15T12:34:56.789000`, plus `Z` for
   * TIMESTAMPTZ. Years outside 0 … 9999 use the expanded form (`+010000`, `-000043`).
   */
  toISOString(): string {
    const { julianDay, microsOfDay } = this.split();
    const { year, month, day } = civilFromJulianDay(julianDay);
    const yearText =
      year >= 0 && year <= 9999 ? pad(year, 4) : `${year < 0 ? "-" : "+"}${pad(Math.abs(year), 6)}`;
    const time = formatTimeOfDay(microsOfDay - (microsOfDay % 1_000_000));
    const micros = fraction(microsOfDay % 1_000_000, false);
    return `${yearText}-${pad(month, 2)}-${pad(day, 2)}T${time}.${micros}${this.withTimeZone ? "Z" : ""}`;
  }

  /** Same as `toISOString()`. */
  toJSON(): string {
    return this.toISOString();
  }

  private split(): { julianDay: number; microsOfDay: number } {
    const j = this.julianMicroseconds;
    let days = j / MICROS_PER_DAY;
    let rest = j % MICROS_PER_DAY;
    if (rest < 0n) {
      days -= 1n;
      rest += MICROS_PER_DAY;
    }
    return { julianDay: Number(days), microsOfDay: Number(rest) };
  }
}

/** Creates a HyperTimestamp without range checks (for decoding trusted wire values). */
export function hyperTimestampFromJulianUnchecked(
  julianMicroseconds: bigint,
  withTimeZone: boolean,
): HyperTimestamp {
  return unchecked(julianMicroseconds, withTimeZone);
}

/** Parses a timestamp (see {@link HyperTimestamp.parse}); undefined when the text is invalid. */
export function tryParseTimestamp(text: string, withTimeZone?: boolean): HyperTimestamp | undefined {
  const match = TIMESTAMP_PATTERN.exec(text);
  if (match === null) return undefined;
  let year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year === 0) return undefined;
  if (match[9] !== undefined) year = 1 - year;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  let microsOfDay = 0;
  if (match[4] !== undefined) {
    const parsed = parseTimeOfDay(match[4], match[5], match[6], match[7]);
    if (parsed === undefined) return undefined;
    microsOfDay = parsed;
  }
  const zone = match[8];
  let offsetMicros = 0;
  if (zone !== undefined && zone !== "Z" && zone !== "z") {
    const offset = parseOffsetSeconds(zone);
    if (offset === undefined) return undefined;
    offsetMicros = offset * 1_000_000;
  }
  const julianMicros =
    BigInt(julianDayFromCivil(year, month, day)) * MICROS_PER_DAY + BigInt(microsOfDay - offsetMicros);
  if (julianMicros < 0n || julianMicros > MAX_JULIAN_MICROS) return undefined;
  return unchecked(julianMicros, withTimeZone ?? zone !== undefined);
}

/** Seconds east of UTC of `±HH`, `±HH:MM`, `±HHMM`, `±HH:MM:SS`; undefined when invalid. */
function parseOffsetSeconds(zone: string): number | undefined {
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replaceAll(":", "");
  // `±H` or `±HH`, optionally followed by MM and SS.
  const hourDigits = digits.length % 2 === 1 ? 1 : 2;
  const hours = Number(digits.slice(0, hourDigits));
  const minutes = Number(digits.slice(hourDigits, hourDigits + 2) || "0");
  const seconds = Number(digits.slice(hourDigits + 2, hourDigits + 4) || "0");
  if (hours > 15 || minutes > 59 || seconds > 59) return undefined;
  return sign * ((hours * 60 + minutes) * 60 + seconds);
}
