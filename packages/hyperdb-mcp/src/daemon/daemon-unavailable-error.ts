/**
 * The error a front process gets when it can neither find nor start the shared daemon; the
 * engine answers it by falling back to a private hyperd.
 *
 * @module
 */

/** No usable daemon could be found or started within the time allowed. */
export class DaemonUnavailableError extends Error {
  override readonly name = "DaemonUnavailableError";
}
