/**
 * What tool handlers share: the engine and the server's identity and logger.
 *
 * @module
 */
import type { LocalEngine } from "../engine/local-engine.ts";

/** The dependencies handed to every `register…Tool` function. */
export interface ToolContext {
  /** The lazily started engine. */
  readonly engine: LocalEngine;
  /** This package's version. */
  readonly version: string;
  /** Writes one diagnostic line (to stderr in the server; never stdout). */
  readonly log: (line: string) => void;
}
