/**
 * Where the daemon keeps `daemon.json` and its logs.
 *
 * Deliberately not the upstream `~/.hyperdb/`: this implementation must never read or delete the
 * Rust daemon's discovery file.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api";

/** Environment variable overriding the state directory. */
export const STATE_DIR_ENV = "HYPERDB_STATE_DIR";

/** Name of the default state directory inside the home directory. */
export const DEFAULT_STATE_DIR_NAME = ".hyperdb-ts";

/**
 * The state directory: `$HYPERDB_STATE_DIR` (made absolute) when set and non-empty, otherwise
 * `<homedir>/.hyperdb-ts`. Pass `process.env` and `os.homedir()`; both are parameters so that
 * callers and tests control them.
 *
 * @throws InvalidArgumentError when the variable is unset and `homedir` is empty.
 */
export function resolveStateDir(env: Readonly<Record<string, string | undefined>>, homedir: string): string {
  const override = env[STATE_DIR_ENV];
  if (override !== undefined && override.trim() !== "") {
    return resolve(override);
  }
  if (homedir === "") {
    throw new InvalidArgumentError(
      `cannot locate the state directory: no home directory; set ${STATE_DIR_ENV}`,
    );
  }
  return join(homedir, DEFAULT_STATE_DIR_NAME);
}
