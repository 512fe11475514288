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
import { basePortSetting } from "./port-env.ts";
import { type SpawnedDaemon, spawnDaemon } from "./spawn-daemon.ts";

/** The daemon spawned early by this process, until `ensureDaemon` takes it over. */
interface EarlySpawn {
  readonly stateDir: string;
  readonly daemon: SpawnedDaemon;
}

/**
 * Where the early spawn is kept: a global slot, not a module variable, because the launcher is
 * bundled on its own (one file, for start-up speed) and so has its own copy of this module.
 */
const EARLY_SLOT = Symbol.for("hyperdb-mcp.early-daemon");

type EarlySlot = { [EARLY_SLOT]?: EarlySpawn | undefined };

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
  // A malformed port variable is left to the full start-up path, which reports it.
  const first = basePortSetting(options.env);
  if (first.kind !== "port" || (await isListening(first.port))) return undefined;
  const daemon = spawnDaemon({
    entryPath: options.entryPath,
    port: first.port,
    stateDir: options.stateDir,
    env: options.env,
  });
  (globalThis as EarlySlot)[EARLY_SLOT] = { stateDir: options.stateDir, daemon };
  return daemon;
}

/** The daemon this process spawned early for `stateDir`, handed out once. */
export function takeEarlyDaemon(stateDir: string): SpawnedDaemon | undefined {
  const slot = globalThis as EarlySlot;
  const early = slot[EARLY_SLOT];
  slot[EARLY_SLOT] = undefined;
  return early?.stateDir === stateDir ? early.daemon : undefined;
}

/** Whether a loopback connection to `port` is accepted (a refusal comes back at once). */
function isListening(port: number): Promise<boolean> {
  // Loaded here, not imported: the launcher loads this module on every start (see stdio-relay.ts).
  const { connect } = process.getBuiltinModule("node:net");
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
