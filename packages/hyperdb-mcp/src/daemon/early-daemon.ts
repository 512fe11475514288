/**
 * Spawning the daemon at the very start of a cold start, before the server is loaded.
 *
 * On a cold start the client's first SQL result waits for a chain: the daemon's Node start, its
 * hyperd's start, then the client's connection. Loading the server first (the MCP SDK, zod, the
 * tools) would put about a tenth of a second in front of that chain, so the launcher spawns the
 * daemon as soon as it sees that none runs, and the server's {@link ensureDaemon} later adopts
 * that spawn instead of starting a second one. Everything else (a daemon of another version, a
 * port held by another program, a lost bind) stays with `ensureDaemon`: this module only saves
 * time, it never decides.
 *
 * @module
 */
import { connect } from "node:net";
import { firstDaemonPort } from "./port-env.ts";
import { type SpawnedDaemon, spawnDaemon } from "./spawn-daemon.ts";

/** The daemon spawned early by this process, until `ensureDaemon` takes it over. */
let early: { readonly stateDir: string; readonly daemon: SpawnedDaemon } | undefined;

/** Options of {@link spawnDaemonEarly}. */
export interface EarlyDaemonOptions {
  /** The script the daemon runs (`<node> <entryPath> daemon --port N`). */
  readonly entryPath: string;
  readonly stateDir: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Spawns the daemon on its first port unless something already listens there (a daemon that is
 * starting, or another program). Never throws; resolves with the spawn, if there was one.
 */
export async function spawnDaemonEarly(options: EarlyDaemonOptions): Promise<SpawnedDaemon | undefined> {
  const port = firstDaemonPort(options.env);
  if (port === undefined || (await isListening(port))) return undefined;
  const daemon = spawnDaemon({
    entryPath: options.entryPath,
    port,
    stateDir: options.stateDir,
    env: options.env,
  });
  early = { stateDir: options.stateDir, daemon };
  return daemon;
}

/** The daemon this process spawned early for `stateDir`, handed out once. */
export function takeEarlyDaemon(stateDir: string): SpawnedDaemon | undefined {
  const taken = early?.stateDir === stateDir ? early.daemon : undefined;
  early = undefined;
  return taken;
}

/** Whether a loopback connection to `port` is accepted (a refusal comes back at once). */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (listening: boolean): void => {
      socket.destroy();
      resolve(listening);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.setTimeout(100, () => done(true));
  });
}
