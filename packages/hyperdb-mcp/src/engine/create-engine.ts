/**
 * Builds the session engine the configuration asks for: a private hyperd with `--no-daemon`,
 * otherwise the shared daemon's hyperd.
 *
 * @module
 */
import { join } from "node:path";
import type { ServerConfig } from "../config/server-config.ts";
import { PrivateHyperd } from "./private-hyperd.ts";
import { SessionEngine } from "./session-engine.ts";

/** Creates the engine of one session; nothing starts until its first use. */
export function createEngine(config: ServerConfig, log: (line: string) => void): SessionEngine {
  let engine: SessionEngine | undefined;
  const source = new PrivateHyperd({
    hyperdPath: config.hyperdPath,
    // The private hyperd logs into the session folder, which is removed at shutdown.
    logDir: async () => join(await (engine as SessionEngine).sessionDir(), "logs"),
    log,
  });
  engine = new SessionEngine({
    source,
    persistentPath: config.ephemeralOnly ? null : config.persistentPath,
    log,
  });
  return engine;
}
