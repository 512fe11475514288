import { InvalidArgumentError } from "../errors/index.ts";
import {
  civilFromJulianDay,
  daysInMonth,
  formatCivilDate,
  julianDayFromCivil,
  UNIX_EPOCH_JULIAN_DAY,
} from "./calendar.ts";

const MS_PER_DAY = 86_400_000;
/** Wire limits: Hyper sends a non-negative int32 JDN. */
const MAX_JULIAN_DAY = 2_147_483_647;
const DATE_PATTERN = /^(\d{4,7})-(\d{1,2})-(\d{1,2})( BC)?$/;

let unchecked: (julianDay: number) => HyperDate;

/**
 * A SQL `DATE`: a day of the proleptic Gregorian calendar with no time zone, stored as its
 * Julian day number (Hyper's wire representation). Immutable.
 *
 * Years are astronomical (year 0 is 1 BC); `toString()` prints years ≤ 0 PostgreSQL-style with a
 * ` BC` suffix. 0001-01-01 … 9999-12-31 round-trip through every wire format.
 */
export class HyperDate {
  /** Julian day number (days since 4714-11-24 BC in the proleptic Gregorian calendar). */
  readonly julianDay: number;

  private constructor(julianDay: number) {
    this.julianDay = julianDay;
  }

  static {
    unchecked = (julianDay) => new HyperDate(julianDay);
  }

  /** The date with the given Julian day number (an integer in 0 … 2 147 483 647). */
  static fromJulianDay(julianDay: number): HyperDate {
    if (!Number.isInteger(julianDay) || julianDay < 0 || julianDay > MAX_JULIAN_DAY) {
      throw new InvalidArgumentError(`${julianDay} is not a valid Julian day number for DATE`);
    }
    return new HyperDate(julianDay);
  }

  /** The date `year-month-day` (month 1 … 12); throws InvalidArgumentError for impossible dates. */
  static fromParts(year: number, month: number, day: number): HyperDate {
    if (
      !Number.isInteger(year) ||
      !Number.isInteger(month) ||
      !Number.isInteger(day) ||
      month < 1 ||
      month > 12 ||
      day < 1 ||
      day > daysInMonth(year, month)
    ) {
      throw new InvalidArgumentError(`${year}-${month}-${day} is not a valid DATE`);
    }
    const julianDay = julianDayFromCivil(year, month, day);
    if (julianDay < 0 || julianDay > MAX_JULIAN_DAY) {
      throw new InvalidArgumentError(`${year}-${month}-${day} is out of range for DATE`);
    }
    return new HyperDate(julianDay);
  }

  /** The UTC calendar day of a JS `Date` (its time of day is dropped). */
  static fromDate(date: Date): HyperDate {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new InvalidArgumentError("an invalid Date cannot be converted to DATE");
    return new HyperDate(Math.floor(ms / MS_PER_DAY) + UNIX_EPOCH_JULIAN_DAY);
  }

  /** Parses `YYYY-MM-DD` (optionally followed by ` BC`). */
  static parse(text: string): HyperDate {
    const date = tryParseDate(text);
    if (date === undefined) throw new InvalidArgumentError(`invalid DATE ${JSON.stringify(text)}`);
    return date;
  }

  /** Astronomical year (0 = 1 BC, -1 = 2 BC). */
  get year(): number {
    return civilFromJulianDay(this.julianDay).year;
  }

  /** Month, 1 … 12. */
  get month(): number {
    return civilFromJulianDay(this.julianDay).month;
  }

  /** Day of the month, 1 … 31. */
  get day(): number {
    return civilFromJulianDay(this.julianDay).day;
  }

  /** UTC midnight of this day as a JS `Date` (an invalid Date outside JS's ±275 760-year range). */
  toDate(): Date {
    return new Date((this.julianDay - UNIX_EPOCH_JULIAN_DAY) * MS_PER_DAY);
  }

  /** Whether `other` is the same day. */
  equals(other: HyperDate): boolean {
    return this.julianDay === other.julianDay;
  }

  /** `YYYY-MM-DD`, as PostgreSQL prints it (years ≤ 0 get a ` BC` suffix). */
  toString(): string {
    const civil = civilFromJulianDay(this.julianDay);
    const text = formatCivilDate(civil);
    return civil.year <= 0 ? `${text} BC` : text;
  }

  /** Same as `toString()`: `YYYY-MM-DD`. */
  toJSON(): string {
    return this.toString();
  }
}

/** Creates a HyperDate without range checks (for decoding trusted wire values). */
export function hyperDateFromJulianDayUnchecked(julianDay: number): HyperDate {
  return unchecked(julianDay);
}

/** Parses `YYYY-MM-DD[ BC]`; undefined when the text is not a valid date. */
export function tryParseDate(text: string): HyperDate | undefined {
  const match = DATE_PATTERN.exec(text);
  if (match === null) return undefined;
  let year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year === 0) return undefined;
  if (match[4] !== undefined) year = 1 - year;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const julianDay = julianDayFromCivil(year, month, day);
  if (julianDay < 0 || julianDay > MAX_JULIAN_DAY) return undefined;
  return unchecked(julianDay);
}
