/**
 * The engine a session's tools run SQL on, independent of where hyperd comes from.
 *
 * A session owns a local database file (`scratch.hyper` in a private temp folder) that outlives
 * any one connection, and a small pool of connections to hyperd. Every pooled connection opens
 * the local database as its primary database (alias {@link LOCAL_ALIAS}, so unqualified names
 * land there) and, unless the server runs `--ephemeral-only`, attaches the persistent database
 * as {@link PERSISTENT_ALIAS}. Tools borrow a connection with {@link Engine.use}; several tool
 * calls therefore run side by side, and a long query never blocks `status` or a second query.
 *
 * @module
 */
import type { Connection } from "@hyperdb-ts/hyperdb-api";
import type { AttachmentRegistry } from "./attachments.ts";
import { mentionsWord } from "./sql-mentions.ts";

/** The name clients use for the session's local database. */
export const LOCAL_DATABASE = "local";

/** The alias the local database is attached under on every connection (its file stem). */
export const LOCAL_ALIAS = "scratch";

/** The name and alias of the persistent database. */
export const PERSISTENT_ALIAS = "persistent";

/** Where hyperd comes from: a private hyperd of this process, or the shared daemon's. */
export type EngineMode = "local" | "daemon";

/** What `status` reports about the engine; cheap to compute, never starts anything. */
export interface EngineSnapshot {
  /** `local` (private hyperd) or `daemon` (the shared per-user daemon's hyperd). */
  readonly mode: EngineMode;
  /** Whether a tool call has started the engine (and it was not closed since). */
  readonly started: boolean;
  /** Whether hyperd is believed to be running (last known state; no round trip). */
  readonly hyperdRunning: boolean;
  /** Process id of hyperd when known. */
  readonly hyperdPid: number | null;
  /** `host:port` hyperd listens on, `null` before the start. */
  readonly hyperdEndpoint: string | null;
  /** The daemon's health port (daemon mode), else `null`. */
  readonly daemonHealthPort: number | null;
  /** The folder of hyperd's log files, when known. */
  readonly hyperdLogDir: string | null;
  /** Path of the local database file, `null` before the start. */
  readonly localPath: string | null;
  /** Path of the persistent database, `null` with `--ephemeral-only`. */
  readonly persistentPath: string | null;
  /** Connections open to hyperd, and how many of them run a tool call right now. */
  readonly connections: { readonly open: number; readonly inUse: number };
}

/** Options of {@link Engine.use}. */
export interface UseOptions {
  /** Aborts waiting for a connection; the work itself should pass the signal on to queries. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Attach the persistent database for this call (as `persistent`), and detach it afterwards.
   * hyperd writes a database file only when no session has it attached, so holding it only
   * during calls is what makes committed rows survive a crash of hyperd. Ignored without a
   * persistent database.
   */
  readonly persistent?: boolean | undefined;
  /**
   * Aliases of the session's attachments (see {@link Engine.attachments}) to attach for this
   * call, read-only or writable as they were attached, and to detach afterwards.
   */
  readonly attach?: readonly string[] | undefined;
  /**
   * The call keeps the session's caches of local data right by itself (the KV tools do), so it
   * does not advance {@link Engine.localEpoch}.
   */
  readonly cacheAware?: boolean | undefined;
}

/** Whether SQL text may name the persistent database (`persistent.…`), so a call must attach it. */
export function mentionsPersistent(sql: string): boolean {
  return mentionsWord(sql.toLowerCase(), PERSISTENT_ALIAS);
}

/** The SQL engine of one MCP session. */
export interface Engine {
  /**
   * Runs `work` on a pooled connection whose primary database is the local database (and, with
   * `options.persistent` and `options.attach`, the persistent database and attachments attached
   * for the call). Starts the engine on first use. The
   * connection goes back to the pool when `work` settles; a connection that broke meanwhile is
   * discarded and replaced by a fresh one on the next call. `work` must leave the connection's
   * search path as it found it (see `withSearchPath`).
   */
  use<T>(work: (connection: Connection) => Promise<T>, options?: UseOptions): Promise<T>;
  /**
   * Advances whenever the local database may have changed behind a cache's back: when a call
   * that is not {@link UseOptions.cacheAware} starts and when it ends, and when a connection is
   * opened (a new hyperd may hold an older copy of the file). What a cache learned of the local
   * database is valid only while this stays the same.
   */
  readonly localEpoch: number;
  /** The configured persistent database file, `null` with `--ephemeral-only`. */
  readonly persistentPath: string | null;
  /** The databases the client attached in this session (`attach_database`). */
  readonly attachments: AttachmentRegistry;
  /** A cheap description for `status`; never blocks and never starts the engine. */
  snapshot(): EngineSnapshot;
  /** Closes every connection, detaches the databases and deletes the local database. */
  close(): Promise<void>;
}
