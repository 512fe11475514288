/**
 * Where the daemon's state directory and its `daemon.json` are, without any dependency beyond
 * `node:path`: the stdio relay reads them before anything else of the server is loaded.
 *
 * @module
 */
// Start-up path: builtins come from process.getBuiltinModule, which skips the ES module facade
// an `import` of a builtin builds (a few milliseconds per start on a small machine).
const { join, resolve } = process.getBuiltinModule("node:path");

/** Environment variable overriding the state directory. */
export const STATE_DIR_ENV = "HYPERDB_STATE_DIR";

/** Name of the default state directory inside the home directory. */
export const DEFAULT_STATE_DIR_NAME = ".hyperdb-ts";

/** File name of the discovery file inside the state directory. */
export const DAEMON_FILE_NAME = "daemon.json";

/**
 * The home folder an environment names (`HOME`, or `USERPROFILE` on Windows); empty when neither
 * is set. The relay and the daemon that hosts its session must read it alike.
 */
export function homedirOf(env: Readonly<Record<string, string | undefined>>): string {
  return env.HOME ?? env.USERPROFILE ?? "";
}

/**
 * The state directory: `$HYPERDB_STATE_DIR` (made absolute) when set and non-empty, otherwise
 * `<homedir>/.hyperdb-ts`; `undefined` when neither is known.
 */
export function stateDirLocation(
  env: Readonly<Record<string, string | undefined>>,
  homedir: string,
): string | undefined {
  const override = env[STATE_DIR_ENV];
  if (override !== undefined && override.trim() !== "") {
    return resolve(override);
  }
  return homedir === "" ? undefined : join(homedir, DEFAULT_STATE_DIR_NAME);
}
