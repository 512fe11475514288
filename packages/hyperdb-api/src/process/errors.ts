import { HyperDbError } from "@hyperdb-ts/hyperdb-api-core/errors";

/**
 * No hyperd executable was found. The message lists every place that was searched, in order,
 * with the concrete paths and package names tried.
 */
export class HyperdNotFoundError extends HyperDbError {
  readonly code = "HYPERD_NOT_FOUND" as const;
}

/** Options of {@link HyperdStartError}. */
export interface HyperdStartErrorOptions extends ErrorOptions {
  /**
   * Last lines of hyperd's log file (`hyperd.log`, JSON lines).
   * @default "" (no log file was written)
   */
  readonly logTail?: string;
}

/**
 * hyperd could not be started: it could not be spawned, it exited before reporting its endpoint,
 * or it reported something unusable. The message includes the exit code or signal and whatever
 * hyperd printed; {@link HyperdStartError.logTail} holds the end of its log file.
 */
export class HyperdStartError extends HyperDbError {
  readonly code = "HYPERD_START_FAILED" as const;
  /** Last lines of `hyperd.log` (JSON lines), or `""` if hyperd wrote no log. */
  readonly logTail: string;

  constructor(message: string, options?: HyperdStartErrorOptions) {
    super(message, options);
    this.logTail = options?.logTail ?? "";
  }
}
