/**
 * Attaching a database file that other sessions may be attaching or creating at the same
 * moment. hyperd answers "object in use" (SQLSTATE 55006) while another session holds the file
 * exclusively for a moment (creating it, or attaching it for the first time); that is retried
 * with growing pauses until a deadline, never waited on without bound. A file still locked at
 * the deadline is a {@link DatabaseBusyError}.
 *
 * @module
 */
import { type Connection, type CreateMode, HyperError } from "@hyperdb-ts/hyperdb-api";
import { DatabaseBusyError } from "./database-busy-error.ts";

/** SQLSTATE of "object in use". */
export const OBJECT_IN_USE = "55006";

/** Options of {@link attachWithRetry}. */
export interface AttachRetryOptions {
  readonly alias: string;
  readonly createMode: CreateMode;
  /** Attach read-only (hyperd refuses writes to it). @default false */
  readonly readOnly?: boolean;
  /** How long to keep retrying, in ms. @default 15000 */
  readonly deadlineMs?: number;
}

const FIRST_PAUSE_MS = 20;
const MAX_PAUSE_MS = 500;

/**
 * SQLSTATE of a serialization failure: hyperd answers an ATTACH with it while another session
 * commits to the same file ("non-serializable data access"); a retry attaches the new state.
 */
export const SERIALIZATION_FAILURE = "40001";

/** Whether `error` is hyperd's "object in use" (or a create race on the same file) or a serialization failure. */
export function isBusyError(error: unknown): boolean {
  const hyperError = findHyperError(error);
  return (
    hyperError !== undefined &&
    (hyperError.sqlstate === OBJECT_IN_USE || hyperError.sqlstate === SERIALIZATION_FAILURE)
  );
}

/** Attaches `path` as `options.alias`, retrying while the file is busy. */
export async function attachWithRetry(
  connection: Connection,
  path: string,
  options: AttachRetryOptions,
): Promise<void> {
  const started = Date.now();
  const deadline = started + (options.deadlineMs ?? 15_000);
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      await connection.attachDatabase(path, {
        alias: options.alias,
        createMode: options.createMode,
        readOnly: options.readOnly === true,
      });
      return;
    } catch (error) {
      if (!isBusyError(error)) {
        throw error;
      }
      if (Date.now() + pause > deadline) {
        throw new DatabaseBusyError(path, Date.now() - started, { cause: findHyperError(error) });
      }
      // Jitter keeps sessions that collided from colliding again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, pause * (0.5 + Math.random())));
      pause = Math.min(MAX_PAUSE_MS, pause * 2);
    }
  }
}

function findHyperError(error: unknown): HyperError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined; depth++) {
    if (current instanceof HyperError) {
      return current;
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}
