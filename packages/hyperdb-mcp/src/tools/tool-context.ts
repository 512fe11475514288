/**
 * What tool handlers share: the session engine, the configuration, the server's identity and
 * its logger.
 *
 * @module
 */
import type { ServerConfig } from "../config/server-config.ts";
import type { Engine } from "../engine/engine.ts";

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
}
