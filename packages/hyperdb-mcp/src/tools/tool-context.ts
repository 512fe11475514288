/**
 * What tool handlers share: the session engine, the configuration, the server's identity and
 * its logger.
 *
 * @module
 */
import type { ServerConfig } from "../config/server-config.ts";
import type { Engine } from "../engine/engine.ts";
import type { TableEvents } from "../server/table-events.ts";
import type { WatcherRegistry } from "../watch/watcher-registry.ts";

/** The dependencies handed to every `register…Tool` function. */
export interface ToolContext {
  /** The session's engine; `engine.use(work)` lends a pooled connection. */
  readonly engine: Engine;
  /** Flags and environment as resolved at start-up. */
  readonly config: ServerConfig;
  /** This package's version. */
  readonly version: string;
  /** Writes one diagnostic line (to stderr in the server; never stdout). */
  readonly log: (line: string) => void;
  /** Where tools announce the tables they changed (resources and the catalog listen). */
  readonly events: TableEvents;
  /**
   * What keeps the attachment `alias` from being detached (e.g. a directory watcher loading into
   * it), or undefined when nothing does.
   */
  readonly databaseUsers?: ((alias: string) => string | undefined) | undefined;
  /** Whether the daemon hosts this session for a stdio relay (reported by `status`). */
  readonly hosted?: boolean | undefined;
  /** The session's directory watchers (`watch_directory`), reported by `status`. */
  readonly watchers?: WatcherRegistry | undefined;
}
