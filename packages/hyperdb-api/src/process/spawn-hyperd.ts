import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { open } from "node:fs/promises";
import { HyperdStartError } from "./errors.ts";

/** How hyperd ended. */
export interface HyperdExitStatus {
  /** Exit code, or `null` if it was ended by a signal. */
  readonly code: number | null;
  /** Signal that ended it, or `null` if it exited by itself. */
  readonly signal: NodeJS.Signals | null;
}

/** Input of {@link spawnHyperd}. */
export interface SpawnHyperdOptions {
  readonly executable: string;
  /** Command line without the executable, starting with `run`. */
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** File that receives hyperd's stdout and stderr (created or truncated). */
  readonly consoleLogPath: string;
  /** Password for the init user; hyperd reads it (twice) from stdin. */
  readonly password?: string | undefined;
}

/** A hyperd process that was spawned successfully. */
export interface SpawnedHyperd {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the process has exited; never rejects. */
  readonly exited: Promise<HyperdExitStatus>;
}

/**
 * Spawns hyperd in its own process group (so a Ctrl-C aimed at the parent's group does not
 * reach it; it stops when its callback connection closes instead), with no pipes to the parent:
 * stdin is `/dev/null`, stdout and stderr go to `consoleLogPath`. The child is `unref()`ed.
 *
 * @throws {@link HyperdStartError} if the console log cannot be created or the executable
 *   cannot be started (missing, not executable, wrong architecture, …).
 */
export async function spawnHyperd(options: SpawnHyperdOptions): Promise<SpawnedHyperd> {
  let consoleLog: Awaited<ReturnType<typeof open>>;
  try {
    consoleLog = await open(options.consoleLogPath, "w");
  } catch (error) {
    throw new HyperdStartError(
      `cannot create hyperd's console log ${options.consoleLogPath}: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }

  let child: ChildProcess;
  let spawnFailure: Promise<unknown>;
  let exited: Promise<HyperdExitStatus>;
  try {
    child = spawn(options.executable, options.args, {
      detached: true,
      stdio: [options.password === undefined ? "ignore" : "pipe", consoleLog.fd, consoleLog.fd],
      env: options.env,
      windowsHide: true,
    });
    // Subscribe before anything is awaited: 'spawn' / 'error' may be emitted on the next tick.
    spawnFailure = once(child, "spawn").then(
      () => undefined,
      (error: unknown) => error ?? new Error("spawn failed"),
    );
    exited = new Promise<HyperdExitStatus>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
    });
    if (options.password !== undefined && child.stdin !== null) {
      // hyperd asks for the password and its confirmation.
      child.stdin.on("error", () => {});
      child.stdin.end(`${options.password}\n${options.password}\n`);
    }
  } catch (error) {
    throw new HyperdStartError(`cannot start ${options.executable}: ${messageOf(error)}`, { cause: error });
  } finally {
    // The child holds its own copy of the descriptor.
    await consoleLog.close();
  }

  const failure = await spawnFailure;
  if (failure !== undefined) {
    throw new HyperdStartError(`cannot start ${options.executable}: ${messageOf(failure)}`, {
      cause: failure,
    });
  }
  // Later 'error' events (e.g. a failed kill) must not crash the host process.
  child.on("error", () => undefined);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) {
    throw new HyperdStartError(`cannot start ${options.executable}: no process id`);
  }
  return { child, pid, exited };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
