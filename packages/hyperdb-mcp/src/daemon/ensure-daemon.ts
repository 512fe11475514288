/**
 * The front process's side of the shared daemon: find it, or start it, and return its
 * {@link DaemonInfo}; plus the `daemon status` / `daemon stop` operations for the CLI.
 *
 * `ensureDaemon` loops over one decision until a daemon is ready or its deadline passes:
 *
 * 1. locate (daemon.json claim, then the port range): ready ⇒ step 3; starting ⇒ wait a poll
 *    interval; free ⇒ spawn a daemon there (unless the one this call spawned is still coming
 *    up) and wait; all ports taken ⇒ fail (at once when each is known to be foreign; ports that
 *    only timed out are looked at again until the deadline).
 * 2. A daemon this call spawned that exits lost the bind to a concurrent spawner: the next
 *    locate finds the winner.
 * 3. Cold-start dedup: a daemon above the base port is only kept if no daemon answers on a lower
 *    port; otherwise it is sent STOP and the lower one (which bound first) is adopted.
 * 4. Version takeover: a strictly newer client stops an older daemon, waits (bounded) until it is
 *    gone and starts its own on the same port; if the old one does not go away it is reused.
 *
 * Every wait is bounded; failure is a {@link DaemonUnavailableError} (the caller then falls back
 * to a private hyperd).
 *
 * @module
 */

import { errorMessage } from "../error-message.ts";
import { packageVersion } from "../server/package-info.ts";
import { DaemonFileWatch } from "./daemon-file-watch.ts";
import type { DaemonInfo } from "./daemon-info.ts";
import type { LogLine } from "./daemon-log.ts";
import { DaemonUnavailableError } from "./daemon-unavailable-error.ts";
import { takeEarlyDaemon } from "./early-daemon.ts";
import { sendCommand } from "./health-client.ts";
import { HealthCommand, HealthReply } from "./health-protocol.ts";
import { type LocateResult, locateDaemon, probeDaemon, scanForDaemon } from "./locate-daemon.ts";
import { type PortRange, resolveScanRange } from "./port-scan.ts";
import { isProcessAlive } from "./process-alive.ts";
import { type SpawnedDaemon, spawnDaemon } from "./spawn-daemon.ts";
import { shouldTakeOver } from "./version-order.ts";

/** How long a client waits for a daemon to become ready. */
export const DAEMON_READY_TIMEOUT_MS = 10_000;
/**
 * Poll interval while waiting. A probe is one loopback connect; polling often keeps a cold
 * start from idling after the daemon is ready (the upstream's 100 ms cost ~85 ms per start).
 */
export const DAEMON_POLL_INTERVAL_MS = 20;
/** How long a client waits for a daemon it stopped to go away. */
export const DAEMON_STOP_WAIT_MS = 10_000;
/** Most daemons one `ensureDaemon` call spawns (each lost bind allows another try). */
const MAX_SPAWNS = 3;
/** Timeouts of STOP sent by a client (connect, reply). */
const STOP_CONNECT_TIMEOUT_MS = 2000;
const STOP_READ_TIMEOUT_MS = 5000;
/** PING timeout while waiting for a stopped daemon to go. */
const GONE_PROBE_TIMEOUT_MS = 200;

/** Options of {@link ensureDaemon}. */
export interface EnsureDaemonOptions {
  /** The state directory (the daemon is per state directory). */
  readonly stateDir: string;
  /** Script run by `process.execPath` to start a daemon with `daemon --port N` (e.g. `process.argv[1]`). */
  readonly entryPath: string;
  /** Environment passed to a spawned daemon and used for the port range; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** Ports to look at; default from `HYPERDB_DAEMON_PORT` or the base port range. */
  readonly range?: PortRange | undefined;
  /** This client's version, for the takeover; default this package's version. */
  readonly version?: string | undefined;
  /** Default {@link DAEMON_READY_TIMEOUT_MS}. */
  readonly readyTimeoutMs?: number | undefined;
  /** Default {@link DAEMON_POLL_INTERVAL_MS}. */
  readonly pollIntervalMs?: number | undefined;
  readonly log?: LogLine | undefined;
}

/**
 * Finds or starts the daemon of `options.stateDir` and returns its current description.
 *
 * @throws DaemonUnavailableError when no daemon is ready in time, every port is taken, or
 *   spawning keeps failing.
 */
export async function ensureDaemon(options: EnsureDaemonOptions): Promise<DaemonInfo> {
  const fileWatch = new DaemonFileWatch(options.stateDir);
  fileWatch.start();
  try {
    return await locateOrStart(options, fileWatch);
  } finally {
    fileWatch.close();
  }
}

async function locateOrStart(options: EnsureDaemonOptions, fileWatch: DaemonFileWatch): Promise<DaemonInfo> {
  const env = options.env ?? process.env;
  const range = options.range ?? resolveScanRange(env);
  const version = options.version ?? packageVersion();
  const readyTimeoutMs = options.readyTimeoutMs ?? DAEMON_READY_TIMEOUT_MS;
  const pollMs = options.pollIntervalMs ?? DAEMON_POLL_INTERVAL_MS;
  const log = options.log ?? (() => {});
  const { stateDir } = options;
  const avoid = new Set<number>();
  let deadline = Date.now() + readyTimeoutMs;
  // A daemon the launcher spawned before the server loaded counts as this call's own spawn
  // while the port it went for is the one to spawn on.
  const early = takeEarlyDaemon(stateDir);
  let spawned: SpawnedDaemon | undefined = early;
  let spawns = early === undefined ? 0 : 1;
  let tookOver = false;
  let preferredPort: number | undefined;

  for (;;) {
    // Its own spawn's claim is trusted only on the first port: a daemon above it may duplicate
    // one below, which the full look below finds.
    const ownSpawn =
      spawned?.pid !== undefined && spawned.port === range.base && !spawned.exited()
        ? { pid: spawned.pid, port: spawned.port }
        : undefined;
    const found: LocateResult = await locateDaemon(range, { stateDir, avoid }, ownSpawn);
    if (found.kind === "ready") {
      if (found.port > range.base && found.port < range.base + range.span) {
        const lower = await scanForDaemon(
          { base: range.base, span: found.port - range.base },
          { stateDir, avoid },
        );
        if (lower.kind === "ready" || lower.kind === "starting") {
          log(`daemon on port ${found.port} duplicates the one on port ${lower.port}; stopping it`);
          avoid.add(found.port);
          await stopQuietly(found.port);
          continue;
        }
      }
      if (!tookOver && shouldTakeOver(version, found.version)) {
        tookOver = true;
        log(`daemon ${found.version} on port ${found.port} is older than ${version}; replacing it`);
        await stopQuietly(found.port);
        if (!(await waitUntilGone(found.port, found.info.pid, DAEMON_STOP_WAIT_MS, pollMs))) {
          log(`daemon on port ${found.port} did not stop within ${DAEMON_STOP_WAIT_MS} ms; reusing it`);
          return found.info;
        }
        preferredPort = found.port;
        deadline = Date.now() + readyTimeoutMs;
        continue;
      }
      return found.info;
    }
    if (found.kind === "all-occupied" && (found.definite || Date.now() >= deadline)) {
      // Ports that only timed out (8 servers and their daemons starting at once on 2 cores can
      // starve the event loop past the probe timeout) are looked at again until the deadline.
      throw new DaemonUnavailableError(
        `every daemon port ${range.base}..${range.base + range.span - 1} is taken by another program`,
      );
    }
    if (Date.now() >= deadline) {
      throw new DaemonUnavailableError(
        `the daemon did not become ready within ${readyTimeoutMs / 1000} seconds`,
      );
    }
    if (found.kind === "free" && spawned !== undefined && spawned === early && early.port !== found.port) {
      spawned = undefined;
    }
    if (found.kind === "free" && (spawned === undefined || spawned.exited())) {
      if (spawns >= MAX_SPAWNS) {
        throw new DaemonUnavailableError(`${spawns} daemons were spawned and none stayed up`);
      }
      let port = found.port;
      if (preferredPort !== undefined && (await probeDaemon(preferredPort, { stateDir })).kind === "free") {
        port = preferredPort;
      }
      spawned = spawnDaemon({ entryPath: options.entryPath, port, stateDir, env });
      spawns++;
      log(`spawned daemon pid ${String(spawned.pid)} on port ${port}`);
    }
    await fileWatch.wait(Math.min(pollMs, Math.max(0, deadline - Date.now())));
  }
}

/** Sends STOP, ignoring every failure (best effort). */
async function stopQuietly(port: number): Promise<void> {
  await sendCommand(port, HealthCommand.stop, {
    connectTimeoutMs: STOP_CONNECT_TIMEOUT_MS,
    readTimeoutMs: STOP_READ_TIMEOUT_MS,
  }).catch(() => undefined);
}

/**
 * Waits until no daemon of ours answers on `port` and process `pid` has exited (when it is a
 * local pid), polling every `pollMs`. Returns whether that happened within `timeoutMs`.
 */
export async function waitUntilGone(
  port: number,
  pid: number,
  timeoutMs: number,
  pollMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = await probeDaemon(port, {
      stateDir: "",
      anyStateDir: true,
      timeoutMs: GONE_PROBE_TIMEOUT_MS,
    });
    const answering = probe.kind === "ready" || probe.kind === "starting";
    if (!answering && !isProcessAlive(pid)) {
      return true;
    }
    if (Date.now() >= deadline) {
      return false;
    }
    await sleep(pollMs);
  }
}

/** Result of a CLI daemon operation: the lines to print and the exit code. */
export interface DaemonCommandResult {
  readonly exitCode: 0 | 1;
  /** Lines for stdout (success) or stderr (exit code 1). */
  readonly lines: readonly string[];
  /** The daemon concerned, when one was found. */
  readonly info: DaemonInfo | null;
}

/** Options of {@link daemonStatus} and {@link daemonStop}. */
export interface DaemonCommandOptions {
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly range?: PortRange | undefined;
}

const NO_DAEMON = "No daemon is currently running.";

/** `daemon status`: describes the running daemon (no spawning); exit code 1 when there is none. */
export async function daemonStatus(
  stateDir: string,
  options: DaemonCommandOptions = {},
): Promise<DaemonCommandResult> {
  const range = options.range ?? resolveScanRange(options.env ?? process.env);
  const found = await locateDaemon(range, { stateDir });
  if (found.kind !== "ready") {
    return { exitCode: 1, lines: [NO_DAEMON], info: null };
  }
  const { info } = found;
  return {
    exitCode: 0,
    info,
    lines: [
      `PID:             ${info.pid}`,
      `Hyperd endpoint: ${info.hyperd_endpoint}`,
      `Health port:     ${info.health_port}`,
      `Started:         ${info.started_at}`,
      `Version:         ${info.version}`,
    ],
  };
}

/**
 * `daemon stop [--port N]`: sends STOP to the daemon on `port` (any daemon of ours there) or to
 * the one discovery finds, then waits (≤ {@link DAEMON_STOP_WAIT_MS}) until it has exited.
 * Exit code 1 when there is no daemon, it refused, or it did not exit in time.
 */
export async function daemonStop(
  stateDir: string,
  port?: number,
  options: DaemonCommandOptions = {},
): Promise<DaemonCommandResult> {
  let info: DaemonInfo | null = null;
  if (port === undefined) {
    const range = options.range ?? resolveScanRange(options.env ?? process.env);
    const found = await locateDaemon(range, { stateDir });
    info = found.kind === "ready" ? found.info : null;
  } else {
    // An explicit port may name our daemon of any state directory.
    const probe = await probeDaemon(port, { stateDir, anyStateDir: true });
    info = probe.kind === "ready" ? probe.info : null;
  }
  if (info === null) {
    return { exitCode: 1, lines: [NO_DAEMON], info: null };
  }
  let reply: string;
  try {
    reply = await sendCommand(info.health_port, HealthCommand.stop, {
      connectTimeoutMs: STOP_CONNECT_TIMEOUT_MS,
      readTimeoutMs: STOP_READ_TIMEOUT_MS,
    });
  } catch (error) {
    return {
      exitCode: 1,
      lines: [`Sending STOP to port ${info.health_port} failed: ${errorMessage(error)}`],
      info,
    };
  }
  const lines = [`Daemon responded: ${reply}`];
  if (reply !== HealthReply.stopping) {
    return { exitCode: 1, lines, info };
  }
  if (!(await waitUntilGone(info.health_port, info.pid, DAEMON_STOP_WAIT_MS, DAEMON_POLL_INTERVAL_MS))) {
    return {
      exitCode: 1,
      lines: [
        ...lines,
        `The daemon (pid ${info.pid}) did not exit within ${DAEMON_STOP_WAIT_MS / 1000} seconds.`,
      ],
      info,
    };
  }
  return { exitCode: 0, lines, info };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
