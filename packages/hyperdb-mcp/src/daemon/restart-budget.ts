/**
 * The daemon's hyperd restart budget: at most a few restart attempts in a rolling window.
 *
 * A hyperd that keeps dying (broken install, full disk, bad configuration) must not be restarted
 * forever: once the budget is spent the daemon shuts down and removes `daemon.json`, so that the
 * next front process spawns a fresh daemon and sees the real start failure itself. Every attempt
 * counts, including attempts whose start failed.
 *
 * @module
 */
import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api/errors";

/** Restart attempts allowed per window. */
export const RESTART_LIMIT = 3;

/** Length of the rolling window, in milliseconds. */
export const RESTART_WINDOW_MS = 60_000;

/** Options of {@link RestartBudget}. */
export interface RestartBudgetOptions {
  /** Attempts allowed per window; default {@link RESTART_LIMIT}. */
  readonly limit?: number;
  /** Window length in ms; default {@link RESTART_WINDOW_MS}. */
  readonly windowMs?: number;
}

/** A rolling-window counter of restart attempts. Pure: the caller supplies the clock. */
export class RestartBudget {
  readonly limit: number;
  readonly windowMs: number;
  #attempts: number[] = [];

  constructor(options: RestartBudgetOptions = {}) {
    this.limit = options.limit ?? RESTART_LIMIT;
    this.windowMs = options.windowMs ?? RESTART_WINDOW_MS;
    if (!Number.isInteger(this.limit) || this.limit < 1) {
      throw new InvalidArgumentError(`restart limit must be a positive integer, got ${this.limit}`);
    }
    if (!(this.windowMs > 0)) {
      throw new InvalidArgumentError(`restart window must be positive, got ${this.windowMs}`);
    }
  }

  /**
   * Records an attempt at `nowMs` if the budget allows it. Returns `false` (and records nothing)
   * when `limit` attempts already happened within the last `windowMs`.
   */
  tryAttempt(nowMs: number): boolean {
    this.#prune(nowMs);
    if (this.#attempts.length >= this.limit) {
      return false;
    }
    this.#attempts.push(nowMs);
    return true;
  }

  /** Attempts recorded within the window ending at `nowMs`. */
  attemptsInWindow(nowMs: number): number {
    this.#prune(nowMs);
    return this.#attempts.length;
  }

  #prune(nowMs: number): void {
    this.#attempts = this.#attempts.filter((at) => nowMs - at < this.windowMs);
  }
}
