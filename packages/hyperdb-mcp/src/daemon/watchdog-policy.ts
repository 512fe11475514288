/**
 * When the daemon's watchdog declares its hyperd broken.
 *
 * The upstream daemon only notices a hyperd that has exited; a hyperd that is alive but hung
 * (stopped, deadlocked, swapping) keeps every client waiting. Our daemon therefore also runs
 * `SELECT 1` on its own connection, with a deadline, at a regular interval and whenever a client
 * reports trouble. The rule:
 *
 * - hyperd has exited ⇒ restart;
 * - the probe misses its deadline while the process is alive ⇒ restart at once (a healthy hyperd
 *   answers `SELECT 1` in milliseconds even under load, so a multi-second miss means it is hung);
 * - the probe fails with an error ⇒ suspect; it is retried soon, and a second consecutive failure
 *   ⇒ restart (one failure may be a transient connection problem of the watchdog itself);
 * - a successful probe clears the failure count.
 *
 * @module
 */

/** Result of one watchdog probe. */
export type ProbeOutcome =
  | { readonly kind: "ok" }
  | { readonly kind: "error"; readonly message: string }
  | { readonly kind: "deadline"; readonly deadlineMs: number };

/** What to do after a probe. */
export interface WatchdogVerdict {
  /** `healthy`: nothing to do; `suspect`: probe again soon; `restart`: replace hyperd. */
  readonly action: "healthy" | "suspect" | "restart";
  /** Consecutive failed probes including this one (0 after a success). */
  readonly consecutiveFailures: number;
  /** Why, for the log. */
  readonly reason: string;
}

/** Consecutive probe errors that make the watchdog restart hyperd. */
export const FAILURES_BEFORE_RESTART = 2;

/** Applies the watchdog rule (see the module description) to one probe outcome. */
export function judgeProbe(
  previousFailures: number,
  outcome: ProbeOutcome,
  processAlive: boolean,
): WatchdogVerdict {
  if (!processAlive) {
    return { action: "restart", consecutiveFailures: previousFailures + 1, reason: "hyperd has exited" };
  }
  switch (outcome.kind) {
    case "ok":
      return { action: "healthy", consecutiveFailures: 0, reason: "SELECT 1 answered" };
    case "deadline":
      return {
        action: "restart",
        consecutiveFailures: previousFailures + 1,
        reason: `SELECT 1 did not answer within ${outcome.deadlineMs} ms although hyperd is running (hung)`,
      };
    case "error": {
      const failures = previousFailures + 1;
      return {
        action: failures >= FAILURES_BEFORE_RESTART ? "restart" : "suspect",
        consecutiveFailures: failures,
        reason: `SELECT 1 failed (${failures} in a row): ${outcome.message}`,
      };
    }
  }
}
