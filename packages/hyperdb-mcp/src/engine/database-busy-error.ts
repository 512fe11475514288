/**
 * A database file stayed locked ("object in use", SQLSTATE 55006) for longer than the attach
 * retries allow: another hyperd (Tableau, another tool, a private-mode server) holds it.
 *
 * @module
 */

/** The database file `path` could not be attached because another process holds it. */
export class DatabaseBusyError extends Error {
  override readonly name = "DatabaseBusyError";
  /** The database file. */
  readonly path: string;

  constructor(path: string, waitedMs: number, options?: { cause?: unknown }) {
    const detail = options?.cause instanceof Error ? `: ${options.cause.message}` : "";
    super(
      `database file ${path} is in use by another process (still locked after ${waitedMs} ms)${detail}`,
      options,
    );
    this.path = path;
  }
}
