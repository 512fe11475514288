/**
 * The daemon's opt-in idle shutdown.
 *
 * The daemon is resident by default: an idle exit makes the next client pay a cold start (and,
 * upstream, a "please retry" round trip). Users who want it can set an idle timeout in seconds
 * with `--idle-timeout` or `HYPERDB_DAEMON_IDLE_TIMEOUT` (the flag wins); `HEARTBEAT`s from front
 * processes count as activity.
 *
 * @module
 */
import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api/errors";

/** Environment variable holding the idle timeout in seconds. */
export const IDLE_TIMEOUT_ENV = "HYPERDB_DAEMON_IDLE_TIMEOUT";

/** The longest pause between two idle checks. */
export const MAX_IDLE_CHECK_INTERVAL_MS = 10_000;

const MIN_IDLE_CHECK_INTERVAL_MS = 250;

/**
 * Parses an idle timeout given as text (a non-negative integer number of seconds).
 * `0` disables the idle shutdown.
 *
 * @throws InvalidArgumentError for anything else.
 */
export function parseIdleTimeoutSec(text: string, source: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    throw new InvalidArgumentError(`${source} must be a whole number of seconds, got "${text}"`);
  }
  const seconds = Number(trimmed);
  if (!Number.isSafeInteger(seconds)) {
    throw new InvalidArgumentError(`${source} is too large: "${text}"`);
  }
  return seconds === 0 ? null : seconds;
}

/**
 * The effective idle timeout in seconds, or `null` for a resident daemon: the flag when given
 * (`null` or `0` there means resident), else the environment variable when set and non-empty,
 * else `null`.
 *
 * @throws InvalidArgumentError when the variable is set to something that is not a number of seconds.
 */
export function resolveIdleTimeoutSec(
  flag: number | null | undefined,
  env: Readonly<Record<string, string | undefined>>,
): number | null {
  if (flag !== undefined) {
    if (flag !== null && (!Number.isSafeInteger(flag) || flag < 0)) {
      throw new InvalidArgumentError(`idle timeout must be a whole number of seconds, got ${flag}`);
    }
    return flag === 0 ? null : flag;
  }
  const raw = env[IDLE_TIMEOUT_ENV];
  if (raw === undefined || raw.trim() === "") {
    return null;
  }
  return parseIdleTimeoutSec(raw, IDLE_TIMEOUT_ENV);
}

/**
 * How often to check for idleness: a quarter of the timeout, between 250 ms and 10 s, so that
 * the daemon exits at most a quarter timeout (and never more than 10 s) late.
 */
export function idleCheckIntervalMs(timeoutSec: number): number {
  return Math.min(MAX_IDLE_CHECK_INTERVAL_MS, Math.max(MIN_IDLE_CHECK_INTERVAL_MS, (timeoutSec * 1000) / 4));
}

/** Whether a daemon whose last activity was at `lastActivityMs` has been idle for `timeoutSec`. */
export function isIdleExpired(lastActivityMs: number, nowMs: number, timeoutSec: number | null): boolean {
  return timeoutSec !== null && nowMs - lastActivityMs >= timeoutSec * 1000;
}
