import { describe, expect, it } from "vitest";
import {
  civilFromJulianDay,
  daysInMonth,
  formatTimeOfDay,
  JULIAN_TO_PG_MICROS,
  JULIAN_TO_UNIX_MICROS,
  julianDayFromCivil,
  PG_EPOCH_JULIAN_DAY,
  parseFractionMicros,
  UNIX_EPOCH_JULIAN_DAY,
} from "./calendar.ts";

/** Independent reference: JS Date's proleptic Gregorian UTC calendar (years 0 … 9999 via setUTCFullYear). */
function referenceJulianDay(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / 86_400_000) + UNIX_EPOCH_JULIAN_DAY;
}

describe("calendar", () => {
  it("has the documented epochs", () => {
    expect(julianDayFromCivil(2000, 1, 1)).toBe(2_451_545);
    expect(julianDayFromCivil(1970, 1, 1)).toBe(2_440_588);
    expect(PG_EPOCH_JULIAN_DAY).toBe(2_451_545);
    expect(julianDayFromCivil(2024, 6, 15)).toBe(2_460_477);
    expect(JULIAN_TO_PG_MICROS - JULIAN_TO_UNIX_MICROS).toBe(946_684_800_000_000n);
    expect(JULIAN_TO_UNIX_MICROS).toBe(BigInt(UNIX_EPOCH_JULIAN_DAY) * 86_400_000_000n);
  });

  it("agrees with JS Date on sample dates across 0001 … 9999", () => {
    for (const [y, m, d] of [
      [1, 1, 1],
      [1, 2, 28],
      [4, 2, 29],
      [100, 3, 1],
      [1582, 10, 4],
      [1582, 10, 15],
      [1600, 2, 29],
      [1900, 3, 1],
      [1969, 12, 31],
      [2024, 2, 29],
      [9999, 12, 31],
    ] as const) {
      expect(julianDayFromCivil(y, m, d), `${y}-${m}-${d}`).toBe(referenceJulianDay(y, m, d));
    }
  });

  it("round-trips every day from 0001-01-01 to 9999-12-31 in order", () => {
    const first = julianDayFromCivil(1, 1, 1);
    const last = julianDayFromCivil(9999, 12, 31);
    let year = 1;
    let month = 1;
    let day = 1;
    for (let jdn = first; jdn <= last; jdn++) {
      const civil = civilFromJulianDay(jdn);
      if (civil.year !== year || civil.month !== month || civil.day !== day) {
        throw new Error(
          `JDN ${jdn}: got ${civil.year}-${civil.month}-${civil.day}, want ${year}-${month}-${day}`,
        );
      }
      if (julianDayFromCivil(year, month, day) !== jdn) throw new Error(`civil→JDN mismatch at ${jdn}`);
      day++;
      if (day > daysInMonth(year, month)) {
        day = 1;
        month++;
        if (month > 12) {
          month = 1;
          year++;
        }
      }
    }
    expect(year).toBe(10_000);
  });

  it("handles years before 1 (astronomical numbering)", () => {
    expect(civilFromJulianDay(0)).toEqual({ year: -4713, month: 11, day: 24 });
    expect(julianDayFromCivil(-4713, 11, 24)).toBe(0);
    expect(civilFromJulianDay(julianDayFromCivil(0, 2, 29))).toEqual({ year: 0, month: 2, day: 29 });
  });

  it("knows leap years", () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(2023, 4)).toBe(30);
    expect(daysInMonth(2023, 12)).toBe(31);
  });

  it("formats times of day", () => {
    expect(formatTimeOfDay(0)).toBe("00:00:00");
    expect(formatTimeOfDay(45_296_789_000)).toBe("12:34:56.789");
    expect(formatTimeOfDay(86_399_999_999)).toBe("23:59:59.999999");
    expect(formatTimeOfDay(1)).toBe("00:00:00.000001");
  });

  it("parses fraction digits, rounding beyond microseconds", () => {
    expect(parseFractionMicros(undefined)).toBe(0);
    expect(parseFractionMicros("5")).toBe(500_000);
    expect(parseFractionMicros("000001")).toBe(1);
    expect(parseFractionMicros("0000014")).toBe(1);
    expect(parseFractionMicros("0000015")).toBe(2);
  });
});
