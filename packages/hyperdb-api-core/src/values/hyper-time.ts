import { InvalidArgumentError } from "../errors/index.ts";
import { formatTimeOfDay, MICROS_PER_DAY, parseFractionMicros } from "./calendar.ts";

const TIME_PATTERN = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;

let unchecked: (micros: number) => HyperTime;

/**
 * A SQL `TIME` (time of day without time zone) with microsecond precision, stored as
 * microseconds since midnight: 0 … 86 399 999 999 (00:00:00 … 23:59:59.999999). Immutable.
 */
export class HyperTime {
  /** Microseconds since midnight. */
  readonly microseconds: number;

  private constructor(microseconds: number) {
    this.microseconds = microseconds;
  }

  static {
    unchecked = (micros) => new HyperTime(micros);
  }

  /** The time `microseconds` after midnight (an integer in 0 … 86 399 999 999). */
  static fromMicroseconds(microseconds: number): HyperTime {
    if (!Number.isInteger(microseconds) || microseconds < 0 || microseconds >= MICROS_PER_DAY) {
      throw new InvalidArgumentError(`${microseconds} µs since midnight is out of range for TIME`);
    }
    return new HyperTime(microseconds);
  }

  /** The time `hour:minute:second.microsecond`; each part must be an integer in its usual range. */
  static fromParts(hour: number, minute: number, second: number, microsecond = 0): HyperTime {
    if (
      !isIntegerIn(hour, 23) ||
      !isIntegerIn(minute, 59) ||
      !isIntegerIn(second, 59) ||
      !isIntegerIn(microsecond, 999_999)
    ) {
      throw new InvalidArgumentError(`${hour}:${minute}:${second}.${microsecond} is not a valid TIME`);
    }
    return new HyperTime(((hour * 60 + minute) * 60 + second) * 1_000_000 + microsecond);
  }

  /** Parses `HH:MM[:SS[.ffffff]]`; more than six fraction digits are rounded to the microsecond. */
  static parse(text: string): HyperTime {
    const time = tryParseTime(text);
    if (time === undefined) throw new InvalidArgumentError(`invalid TIME ${JSON.stringify(text)}`);
    return time;
  }

  /** Hour, 0 … 23. */
  get hour(): number {
    return Math.floor(this.microseconds / 3_600_000_000);
  }

  /** Minute, 0 … 59. */
  get minute(): number {
    return Math.floor(this.microseconds / 60_000_000) % 60;
  }

  /** Second, 0 … 59. */
  get second(): number {
    return Math.floor(this.microseconds / 1_000_000) % 60;
  }

  /** Microseconds within the second, 0 … 999 999. */
  get microsecond(): number {
    return this.microseconds % 1_000_000;
  }

  /** Whether `other` is the same time of day. */
  equals(other: HyperTime): boolean {
    return this.microseconds === other.microseconds;
  }

  /** `HH:MM:SS`, plus `.ffffff` without trailing zeros when there is a fraction (`12:34:56.789`). */
  toString(): string {
    return formatTimeOfDay(this.microseconds);
  }

  /** Same as `toString()`. */
  toJSON(): string {
    return this.toString();
  }
}

function isIntegerIn(value: number, max: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= max;
}

/** Creates a HyperTime without range checks (for decoding trusted wire values). */
export function hyperTimeFromMicrosecondsUnchecked(microseconds: number): HyperTime {
  return unchecked(microseconds);
}

/** Microseconds since midnight of `HH:MM[:SS[.f…]]`, or undefined when invalid. */
export function parseTimeOfDay(
  hours: string | undefined,
  minutes: string | undefined,
  seconds: string | undefined,
  fractionDigits: string | undefined,
): number | undefined {
  const hour = Number(hours);
  const minute = Number(minutes);
  const second = seconds === undefined ? 0 : Number(seconds);
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return undefined;
  const micros = ((hour * 60 + minute) * 60 + second) * 1_000_000 + parseFractionMicros(fractionDigits);
  return micros < MICROS_PER_DAY ? micros : undefined;
}

/** Parses `HH:MM[:SS[.ffffff]]`; undefined when the text is not a valid time. */
export function tryParseTime(text: string): HyperTime | undefined {
  const match = TIME_PATTERN.exec(text);
  if (match === null) return undefined;
  const micros = parseTimeOfDay(match[1], match[2], match[3], match[4]);
  return micros === undefined ? undefined : unchecked(micros);
}
