/**
 * Where the persistent database lives: `--persistent-db` beats `HYPERDB_PERSISTENT_DB`, which
 * beats the platform default. The default is this project's own data folder (not the upstream
 * Rust server's `hyperdb/workspace.hyper`), so the two servers never contend for one file:
 * - Linux: `$XDG_DATA_HOME/hyperdb-ts/workspace.hyper`, else `~/.local/share/hyperdb-ts/…`;
 * - macOS: `~/Library/Application Support/hyperdb-ts/workspace.hyper`;
 * - Windows: `%APPDATA%\hyperdb-ts\workspace.hyper`.
 * A leading `~/` is expanded; relative paths are made absolute against the working directory.
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";

/** Environment variable naming the persistent database file. */
export const PERSISTENT_DB_ENV = "HYPERDB_PERSISTENT_DB";

/** Folder name of this project under the platform's data directory. */
export const DATA_DIR_NAME = "hyperdb-ts";

/** File name of the default persistent database. */
export const DEFAULT_PERSISTENT_FILE = "workspace.hyper";

/** A resolved persistent path and where it came from. */
export interface PersistentPathChoice {
  readonly path: string;
  readonly source: "flag" | "env" | "default";
}

/** What the resolution depends on; all injectable for tests. */
export interface PathEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
  readonly platform: NodeJS.Platform;
  readonly cwd: string;
}

/** Expands `~/` and makes `path` absolute. */
export function expandPath(path: string, environment: PathEnvironment): string {
  const expanded =
    path === "~" || path.startsWith("~/") || path.startsWith("~\\")
      ? join(environment.homedir, path.slice(2))
      : path;
  return isAbsolute(expanded) ? expanded : resolve(environment.cwd, expanded);
}

/** The platform's per-user data directory for this project. */
export function defaultDataDir(environment: PathEnvironment): string {
  const { env, homedir, platform } = environment;
  if (platform === "darwin") {
    return join(homedir, "Library", "Application Support", DATA_DIR_NAME);
  }
  if (platform === "win32") {
    const appData = env.APPDATA;
    return join(
      appData !== undefined && appData !== "" ? appData : join(homedir, "AppData", "Roaming"),
      DATA_DIR_NAME,
    );
  }
  const xdg = env.XDG_DATA_HOME;
  return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir, ".local", "share"), DATA_DIR_NAME);
}

/** Resolves the persistent database path from the flag (if any), the environment and the platform. */
export function resolvePersistentPath(
  flag: string | undefined,
  environment: PathEnvironment,
): PersistentPathChoice {
  if (flag !== undefined) {
    return { path: expandPath(flag, environment), source: "flag" };
  }
  const fromEnv = environment.env[PERSISTENT_DB_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== "") {
    return { path: expandPath(fromEnv.trim(), environment), source: "env" };
  }
  return { path: join(defaultDataDir(environment), DEFAULT_PERSISTENT_FILE), source: "default" };
}
