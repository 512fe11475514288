/**
 * The server's configuration, resolved once at start-up from flags and environment variables.
 *
 * @module
 */
import type { QueryTimeoutSetting } from "./query-timeout.ts";

/** How the server runs, as resolved from the command line and the environment. */
export interface ServerConfig {
  /** `--read-only`: every tool that could write is refused with `READ_ONLY_VIOLATION`. */
  readonly readOnly: boolean;
  /** `--ephemeral-only`: no persistent database; only the session's local database. */
  readonly ephemeralOnly: boolean;
  /** `--no-daemon`: a private hyperd owned by this process instead of the shared daemon. */
  readonly noDaemon: boolean;
  /** The persistent database file (absolute), `null` with `--ephemeral-only`. */
  readonly persistentPath: string | null;
  /** Where the persistent path came from: `flag`, `env` or `default`; `null` when none. */
  readonly persistentPathSource: "flag" | "env" | "default" | null;
  /** The daemon's state directory (daemon.json, logs). */
  readonly stateDir: string;
  /** An explicit hyperd (`HYPERD_PATH`), passed on to the resolver. */
  readonly hyperdPath: string | undefined;
  /** The `query` tool's optional time limit (`HYPERDB_QUERY_TIMEOUT_MS`). */
  readonly queryTimeout: QueryTimeoutSetting;
}

/** The persistent database a session of `config` has: none with `--ephemeral-only`. */
export function sessionPersistentPath(config: ServerConfig): string | null {
  return config.ephemeralOnly ? null : config.persistentPath;
}

/** A configuration for tests and embedders: ephemeral, private hyperd, writable. */
export function defaultTestConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    readOnly: false,
    ephemeralOnly: true,
    noDaemon: true,
    persistentPath: null,
    persistentPathSource: null,
    stateDir: "",
    hyperdPath: undefined,
    queryTimeout: { timeoutMs: undefined },
    ...overrides,
  };
}
