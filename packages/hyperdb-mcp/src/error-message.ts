/**
 * The message of a thrown value, for log lines and error texts: anything can be thrown in
 * JavaScript, and only an `Error` carries a `message`.
 *
 * @module
 */

/** `error.message` for an `Error`, otherwise the value as a string. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
