/**
 * Starting a daemon in the background: the current Node executable running the CLI entry with
 * `daemon --port N`, in its own session (detached), with no stdio, not keeping the spawner
 * alive. The spawner does not bind the port itself: the daemon's own bind is the lock, and a
 * daemon that loses it simply exits.
 *
 * @module
 */
import { STATE_DIR_ENV } from "./state-dir-location.ts";

/** A spawned daemon process as its spawner sees it. */
export interface SpawnedDaemon {
  readonly pid: number | undefined;
  readonly port: number;
  /** Whether the process has exited (or could not be spawned). */
  readonly exited: () => boolean;
}

/** Options of {@link spawnDaemon}. */
export interface SpawnDaemonOptions {
  /** The script Node runs (the CLI entry, or the daemon entry). */
  readonly entryPath: string;
  readonly port: number;
  readonly stateDir: string;
  /** Passed through (plus `HYPERDB_STATE_DIR` set to `stateDir`). */
  readonly env: NodeJS.ProcessEnv;
  /** Extra daemon arguments (e.g. `--idle-timeout`). */
  readonly extraArgs?: readonly string[];
}

/** Spawns a detached daemon; never throws (a spawn failure shows as an exited process). */
export function spawnDaemon(options: SpawnDaemonOptions): SpawnedDaemon {
  let exited = false;
  try {
    // Loaded only when spawning: the launcher loads this module on every start.
    const { spawn } = process.getBuiltinModule("node:child_process");
    const child = spawn(
      process.execPath,
      [options.entryPath, "daemon", "--port", String(options.port), ...(options.extraArgs ?? [])],
      {
        detached: true,
        stdio: "ignore",
        windowsHide: true,
        env: { ...options.env, [STATE_DIR_ENV]: options.stateDir },
      },
    );
    child.once("error", () => {
      exited = true;
    });
    child.once("exit", () => {
      exited = true;
    });
    child.unref();
    return { pid: child.pid, port: options.port, exited: () => exited };
  } catch {
    return { pid: undefined, port: options.port, exited: () => true };
  }
}
