/**
 * Proleptic Gregorian calendar arithmetic on Julian day numbers (JDN), shared by the temporal
 * value classes. Hyper's binary format counts days and microseconds from Julian day 0;
 * PostgreSQL's from 2000-01-01; JavaScript's from 1970-01-01.
 */

/** Julian day number of 1970-01-01. */
export const UNIX_EPOCH_JULIAN_DAY = 2_440_588;
/** Julian day number of 2000-01-01 (the PostgreSQL epoch). */
export const PG_EPOCH_JULIAN_DAY = 2_451_545;
/** Microseconds in a day. */
export const MICROS_PER_DAY = 86_400_000_000;
/** Microseconds from Julian day 0 (midnight) to 1970-01-01. */
export const JULIAN_TO_UNIX_MICROS = 210_866_803_200_000_000n;
/** Microseconds from Julian day 0 (midnight) to 2000-01-01. */
export const JULIAN_TO_PG_MICROS = 211_813_488_000_000_000n;

/** A civil (year, month, day) date; year is astronomical (0 = 1 BC). */
export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

// Howard Hinnant's days_from_civil / civil_from_days, shifted from the Unix epoch to JDN.
// 719_468 is the day number of 0000-03-01 counted back from 1970-01-01.

/** JDN of a proleptic Gregorian date (no validation). */
export function julianDayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468 + UNIX_EPOCH_JULIAN_DAY;
}

/** Proleptic Gregorian date of a JDN. */
export function civilFromJulianDay(julianDay: number): CivilDate {
  const z = julianDay - UNIX_EPOCH_JULIAN_DAY + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** Number of days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Zero-pads a non-negative integer to `width` digits. */
export function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/** `YYYY-MM-DD`, with PostgreSQL's ` BC` suffix left to the caller (see {@link formatYear}). */
export function formatCivilDate(date: CivilDate): string {
  return `${formatYear(date.year)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** The year as PostgreSQL prints it: at least 4 digits; years ≤ 0 print as `1 - year` (used with ` BC`). */
export function formatYear(year: number): string {
  return pad(year <= 0 ? 1 - year : year, 4);
}

/** `HH:MM:SS` plus `.ffffff` with trailing zeros removed, or nothing when the fraction is 0. */
export function formatTimeOfDay(microsOfDay: number): string {
  const micros = microsOfDay % 1_000_000;
  const totalSeconds = (microsOfDay - micros) / 1_000_000;
  const second = totalSeconds % 60;
  const totalMinutes = (totalSeconds - second) / 60;
  const minute = totalMinutes % 60;
  const hour = (totalMinutes - minute) / 60;
  const base = `${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}`;
  return micros === 0 ? base : `${base}.${fraction(micros, true)}`;
}

/** Six fraction digits of a microsecond count, optionally with trailing zeros removed. */
export function fraction(micros: number, trim: boolean): string {
  const digits = pad(micros, 6);
  return trim ? digits.replace(/0+$/, "") : digits;
}

/**
 * Microseconds from a string of fraction digits (the part after the decimal point), rounded
 * half up when there are more than six digits. May return 1 000 000 after rounding.
 */
export function parseFractionMicros(digits: string | undefined): number {
  if (digits === undefined || digits.length === 0) return 0;
  if (digits.length <= 6) return Number(digits.padEnd(6, "0"));
  const micros = Number(digits.slice(0, 6));
  return digits.charCodeAt(6) >= 0x35 ? micros + 1 : micros;
}
