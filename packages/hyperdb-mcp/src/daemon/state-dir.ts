/**
 * Where the daemon keeps `daemon.json` and its logs.
 *
 * Deliberately not the upstream `~/.hyperdb/`: this implementation must never read or delete the
 * Rust daemon's discovery file.
 *
 * @module
 */
import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api/errors";
import { STATE_DIR_ENV, stateDirLocation } from "./state-dir-location.ts";

export { DEFAULT_STATE_DIR_NAME, STATE_DIR_ENV } from "./state-dir-location.ts";

/**
 * The state directory: `$HYPERDB_STATE_DIR` (made absolute) when set and non-empty, otherwise
 * `<homedir>/.hyperdb-ts`. Pass `process.env` and `os.homedir()`; both are parameters so that
 * callers and tests control them.
 *
 * @throws InvalidArgumentError when the variable is unset and `homedir` is empty.
 */
export function resolveStateDir(env: Readonly<Record<string, string | undefined>>, homedir: string): string {
  const location = stateDirLocation(env, homedir);
  if (location === undefined) {
    throw new InvalidArgumentError(
      `cannot locate the state directory: no home directory; set ${STATE_DIR_ENV}`,
    );
  }
  return location;
}
