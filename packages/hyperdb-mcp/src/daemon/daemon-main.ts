/**
 * The shared daemon process: one per user and state directory, owning one hyperd that every
 * front process connects to.
 *
 * Start-up order makes the health port the single-instance lock: bind it first (taken ⇒ exit
 * before starting hyperd or writing any file), then start hyperd, then publish `daemon.json`.
 * While hyperd is starting the health server already answers `PING` but not `STATUS`, so a
 * concurrently starting client sees "our daemon, starting" and waits instead of spawning a
 * second daemon elsewhere.
 *
 * The daemon stops on `STOP` (promptly: the port is released right after the reply, not at a
 * later monitor tick), on SIGINT/SIGTERM, after an opt-in idle timeout, or when hyperd cannot be
 * kept running (restart budget spent). On the way out it removes `daemon.json` only if the file
 * still names this process, so a newer daemon's file is never deleted.
 *
 * hyperd listens on TCP for clients and, except on Windows, also on a Unix domain socket in a
 * short temp directory named after the state directory and the health port (see socket-dir.ts). Only the watchdog uses the socket: a network fault on the TCP port must not
 * look like a dead hyperd. `daemon.json` and STATUS publish the TCP endpoint only.
 *
 * @module
 */
import { HyperProcess } from "@hyperdb-ts/hyperdb-api/process";
import { errorMessage } from "../error-message.ts";
import { packageVersion } from "../server/package-info.ts";
import { type DaemonInfo, formatStartedAt } from "./daemon-info.ts";
import { createDaemonLog, daemonLogDir, type LogLine } from "./daemon-log.ts";
import { ensureStateDir, removeDaemonFile, writeDaemonFile } from "./discovery-file.ts";
import { HealthPortInUseError } from "./health-port-in-use-error.ts";
import { DAEMON_IDENTITY_TOKEN } from "./health-protocol.ts";
import { type HealthServer, startHealthServer } from "./health-server.ts";
import { HostedHyperd } from "./hosted-hyperd.ts";
import { HyperdSupervisor, probeEndpointOf, tcpEndpointOf } from "./hyperd-supervisor.ts";
import { idleCheckIntervalMs, isIdleExpired, resolveIdleTimeoutSec } from "./idle-policy.ts";
import type { SessionHost } from "./session-host.ts";
import {
  prepareHyperdSocketDir,
  prepareSessionSocket,
  removeHyperdSocketDir,
  removeSessionSocketDir,
} from "./socket-dir.ts";
import { warmUpEndpointOf, warmUpHyperd } from "./warm-up-hyperd.ts";

/** Options of {@link runDaemon}. */
export interface RunDaemonOptions {
  /** Health port to bind (exactly this one; the daemon never scans). */
  readonly port: number;
  /** State directory for `daemon.json` and `logs/`. */
  readonly stateDir: string;
  /**
   * Idle timeout in seconds: a number enables it, `null` (or 0) keeps the daemon resident,
   * `undefined` defers to `HYPERDB_DAEMON_IDLE_TIMEOUT`.
   */
  readonly idleTimeoutSec?: number | null | undefined;
  /** An explicit hyperd (else `HYPERD_PATH` and the installed package). */
  readonly hyperdPath?: string | undefined;
  /** Extra log sink besides the log file, e.g. stderr in the foreground. */
  readonly log?: LogLine | undefined;
  /** Environment (idle timeout variable, hyperd lookup and hyperd's environment); default `process.env`. */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** Version announced in PONG and STATUS; default this package's version. */
  readonly version?: string | undefined;
  /** Install SIGINT/SIGTERM handlers (default true). */
  readonly handleSignals?: boolean | undefined;
  /** Watchdog tuning (defaults 10 s interval, 5 s deadline). */
  readonly watchdogIntervalMs?: number | undefined;
  readonly watchdogDeadlineMs?: number | undefined;
}

/** Exit code when the daemon stopped as asked (STOP, signal, idle). */
export const DAEMON_EXIT_OK = 0;
/** Exit code when the daemon could not start or could not keep hyperd running. */
export const DAEMON_EXIT_FAILURE = 1;
/** Exit code for invalid options. */
export const DAEMON_EXIT_USAGE = 2;

/** How long after replying `STOPPING` the daemon starts shutting down (lets the reply leave). */
const STOP_REPLY_GRACE_MS = 20;
/** How long hyperd may take to exit after its callback connection closed before SIGTERM. */
const HYPERD_SHUTDOWN_TIMEOUT_MS = 3000;

/** How long after publishing `daemon.json` the daemon starts hosting sessions. */
const SESSION_HOST_DELAY_MS = 200;

/** Thrown by the STATUS handler while hyperd is not yet up; answered `ERR internal error`. */
class DaemonStartingError extends Error {}

interface ShutdownRequest {
  readonly reason: string;
  readonly code: number;
}

/**
 * Runs the daemon in this process until it stops and resolves with the process exit code.
 * Never rejects: failures are logged and turned into {@link DAEMON_EXIT_FAILURE}.
 */
export async function runDaemon(options: RunDaemonOptions): Promise<number> {
  const env = options.env ?? process.env;
  const sink: LogLine = options.log ?? (() => {});
  const version = options.version ?? packageVersion();
  const { port, stateDir } = options;
  /** Set once this daemon, holding the port, prepared hyperd's socket folder. */
  let ownsSocketDir = false;
  const prepareSocketDir = async (): Promise<string> => {
    ownsSocketDir = true;
    return prepareHyperdSocketDir(stateDir, port);
  };

  let idleTimeoutSec: number | null;
  try {
    idleTimeoutSec = resolveIdleTimeoutSec(options.idleTimeoutSec, env);
  } catch (error) {
    sink(errorMessage(error));
    return DAEMON_EXIT_USAGE;
  }

  let info: DaemonInfo | undefined;
  let lastActivity = Date.now();
  let shutdownRequest: ShutdownRequest | undefined;
  let resolveShutdown: (request: ShutdownRequest) => void = () => {};
  const shutdownRequested = new Promise<ShutdownRequest>((resolve) => {
    resolveShutdown = resolve;
  });
  const requestShutdown = (reason: string, code: number): void => {
    if (shutdownRequest === undefined) {
      shutdownRequest = { reason, code };
      resolveShutdown(shutdownRequest);
    }
  };
  let supervisor: HyperdSupervisor | undefined;
  let sessionHost: SessionHost | undefined;
  let ownsSessionSocketDir = false;
  /** Where sessions are hosted: published from the start, listened on a moment later. */
  let sessionSocket: string | undefined;
  // Nothing goes to the log file until the port is ours: a losing daemon writes no file.
  let log: LogLine = sink;

  let server: HealthServer;
  try {
    server = await startHealthServer({
      port,
      version,
      handlers: {
        status: () => {
          if (info === undefined) {
            throw new DaemonStartingError("hyperd is still starting");
          }
          return info;
        },
        heartbeat: () => {
          lastActivity = Date.now();
        },
        stop: () => {
          setTimeout(() => requestShutdown("STOP command", DAEMON_EXIT_OK), STOP_REPLY_GRACE_MS);
        },
        reportHyperdError: () => {
          lastActivity = Date.now();
          supervisor?.requestCheck("a hyperd error");
        },
      },
      onError: (error) => {
        if (!(error instanceof DaemonStartingError)) {
          log(`health server: ${errorMessage(error)}`);
        }
      },
    });
  } catch (error) {
    if (error instanceof HealthPortInUseError) {
      sink(`Another hyperdb-mcp daemon is already running on port ${port} (or another program holds it)`);
    } else {
      sink(`cannot bind health port ${port}: ${errorMessage(error)}`);
    }
    return DAEMON_EXIT_FAILURE;
  }

  const onSignal = (signal: NodeJS.Signals): void => requestShutdown(`signal ${signal}`, DAEMON_EXIT_OK);
  const handleSignals = options.handleSignals ?? true;
  if (handleSignals) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  let idleTimer: NodeJS.Timeout | undefined;

  try {
    await ensureStateDir(stateDir);
    log = createDaemonLog(stateDir, sink);
    log(
      `daemon ${version} starting: health port ${server.port}, state dir ${stateDir}, ` +
        (idleTimeoutSec === null ? "resident (no idle timeout)" : `idle timeout ${idleTimeoutSec} s`),
    );

    const publish = async (hyper: HyperProcess): Promise<void> => {
      const base: DaemonInfo = info ?? {
        pid: process.pid,
        hyperd_endpoint: "",
        health_port: server.port,
        started_at: formatStartedAt(),
        version,
        identity: { token: DAEMON_IDENTITY_TOKEN, state_dir: stateDir },
      };
      const next: DaemonInfo = {
        ...base,
        hyperd_endpoint: tcpEndpointOf(hyper),
        ...(sessionSocket === undefined ? {} : { session_socket: sessionSocket }),
      };
      // STATUS turns "ready" only once daemon.json says the same: a client that adopts the
      // daemon from STATUS then finds the file in place.
      try {
        await writeDaemonFile(stateDir, next);
      } finally {
        info = next;
      }
    };
    const activeSupervisor = new HyperdSupervisor({
      startHyperd: async () =>
        HyperProcess.start({
          hyperdPath: options.hyperdPath,
          // The socket is for the watchdog only (see socket-dir.ts for where it lives).
          ...(process.platform === "win32"
            ? { listen: "tcp" as const }
            : { listen: "tcp+unix" as const, socketDirectory: await prepareSocketDir() }),
          logDir: daemonLogDir(stateDir),
          shutdownTimeoutMs: HYPERD_SHUTDOWN_TIMEOUT_MS,
          env,
        }),
      onRestarted: publish,
      onGaveUp: (reason) => requestShutdown(`hyperd cannot be kept running: ${reason}`, DAEMON_EXIT_FAILURE),
      log: (line) => log(line),
      watchdogIntervalMs: options.watchdogIntervalMs,
      watchdogDeadlineMs: options.watchdogDeadlineMs,
    });
    supervisor = activeSupervisor;

    const started = Date.now();
    let hyper: HyperProcess;
    try {
      hyper = await activeSupervisor.start();
    } catch (error) {
      requestShutdown(`cannot start hyperd: ${errorMessage(error)}`, DAEMON_EXIT_FAILURE);
      return await shutdown();
    }
    log(
      `hyperd pid ${hyper.pid} listening at ${tcpEndpointOf(hyper)} (started in ${Date.now() - started} ms); ` +
        `watchdog probes hyperd at ${probeEndpointOf(hyper)}`,
    );
    if (process.platform !== "win32" && shutdownRequest === undefined) {
      try {
        ownsSessionSocketDir = true;
        sessionSocket = await prepareSessionSocket(stateDir, server.port);
      } catch (error) {
        log(`cannot prepare the session socket folder: ${errorMessage(error)}`);
      }
    }
    if (shutdownRequest === undefined) {
      // hyperd's one-time cost of a first query is paid here, not by the first client's.
      const warmUpEndpoint = warmUpEndpointOf(hyper);
      if (warmUpEndpoint !== undefined) void warmUpHyperd(warmUpEndpoint);
      try {
        await publish(hyper);
      } catch (error) {
        requestShutdown(`cannot write daemon.json: ${errorMessage(error)}`, DAEMON_EXIT_FAILURE);
      }
      if (sessionSocket !== undefined && shutdownRequest === undefined) {
        try {
          // The server code the hosted sessions run is loaded only now, and a moment later: on a
          // cold start that CPU belongs to hyperd and to the client that spawned the daemon (it
          // serves itself and is opening its session). Until the host listens, a relay finds no
          // listener and its process serves the client itself.
          await new Promise((resolve) => setTimeout(resolve, SESSION_HOST_DELAY_MS));
          const { startSessionHost } = await import("./session-host.ts");
          sessionHost = await startSessionHost({
            socketPath: sessionSocket,
            version,
            stateDir,
            source: new HostedHyperd({
              supervisor: activeSupervisor,
              stateDir,
              healthPort: server.port,
              onActivity: () => {
                lastActivity = Date.now();
              },
            }),
            log: (line) => log(line),
          });
        } catch (error) {
          log(`cannot host sessions (clients then run the server themselves): ${errorMessage(error)}`);
        }
      }
    }
    if (shutdownRequest === undefined && idleTimeoutSec !== null) {
      const timeoutSec = idleTimeoutSec;
      idleTimer = setInterval(() => {
        // A hosted session lives in this process: the daemon is never idle while one is open.
        if ((sessionHost?.sessionCount() ?? 0) > 0) {
          lastActivity = Date.now();
        } else if (isIdleExpired(lastActivity, Date.now(), timeoutSec)) {
          requestShutdown(`idle for ${timeoutSec} s`, DAEMON_EXIT_OK);
        }
      }, idleCheckIntervalMs(timeoutSec));
    }
    await shutdownRequested;
    return await shutdown();
  } catch (error) {
    requestShutdown(`unexpected failure: ${errorMessage(error)}`, DAEMON_EXIT_FAILURE);
    return await shutdown();
  }

  async function shutdown(): Promise<number> {
    const request = shutdownRequest ?? { reason: "shutdown", code: DAEMON_EXIT_FAILURE };
    log(`shutting down: ${request.reason}`);
    clearInterval(idleTimer);
    // Release the port first: clients stop adopting this daemon at once.
    await server.close();
    await sessionHost
      ?.close()
      .catch((error: unknown) => log(`closing the hosted sessions: ${errorMessage(error)}`));
    if (ownsSessionSocketDir) {
      await removeSessionSocketDir(stateDir, port).catch(() => undefined);
    }
    try {
      await removeDaemonFile(stateDir, { ifPid: process.pid });
    } catch (error) {
      log(`cannot remove daemon.json: ${errorMessage(error)}`);
    }
    await supervisor?.stop();
    if (ownsSocketDir) {
      // Only the daemon that holds the port made the folder: a daemon that lost the bind must
      // not remove the winner's socket.
      await removeHyperdSocketDir(stateDir, port).catch(() => undefined);
    }
    if (handleSignals) {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    log(`daemon stopped (exit code ${request.code})`);
    return request.code;
  }
}
