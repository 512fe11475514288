/**
 * Builds the session engine the configuration asks for: a private hyperd with `--no-daemon`,
 * otherwise the shared daemon's hyperd.
 *
 * @module
 */
import { join } from "node:path";
import { type ServerConfig, sessionPersistentPath } from "../config/server-config.ts";
import { daemonEntryPath } from "../daemon/daemon-entry-path.ts";
import { DaemonHyperd } from "./daemon-hyperd.ts";
import type { HyperdSource } from "./hyperd-source.ts";
import { PrivateHyperd } from "./private-hyperd.ts";
import { SessionEngine } from "./session-engine.ts";

/** Options of {@link createEngine}. */
export interface CreateEngineOptions {
  /**
   * The script a shared daemon is spawned with; default the built daemon entry, else the
   * command's entry (`process.argv[1]`).
   */
  readonly entryPath?: string | undefined;
}

/**
 * Creates the engine of one session; nothing starts until its first use. Without `--no-daemon`
 * it uses the shared daemon's hyperd, falling back to a private one when the daemon cannot be had.
 */
export function createEngine(
  config: ServerConfig,
  log: (line: string) => void,
  options: CreateEngineOptions = {},
): SessionEngine {
  let engine: SessionEngine | undefined;
  const privateHyperd = (): PrivateHyperd =>
    new PrivateHyperd({
      hyperdPath: config.hyperdPath,
      // The private hyperd logs into the session folder, which is removed at shutdown.
      logDir: async () => join(await (engine as SessionEngine).sessionDir(), "logs"),
      log,
    });
  const commandEntry = process.argv[1];
  const entryPath =
    options.entryPath ?? (commandEntry === undefined ? undefined : daemonEntryPath(commandEntry));
  const source: HyperdSource =
    config.noDaemon || config.stateDir === "" || entryPath === undefined
      ? privateHyperd()
      : new DaemonHyperd({
          stateDir: config.stateDir,
          entryPath,
          hyperdPath: config.hyperdPath,
          fallback: privateHyperd,
          log,
        });
  engine = new SessionEngine({
    source,
    persistentPath: sessionPersistentPath(config),
    log,
  });
  return engine;
}
