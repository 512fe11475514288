/**
 * The default hyperd source: the shared per-user daemon's hyperd.
 *
 * The first `target()` finds or spawns the daemon (concurrent callers share that one attempt).
 * If that fails the source falls back, for the rest of the session, to a private hyperd, and
 * says why in the log. A report that hyperd looks broken (the caller's own fresh connection and
 * probe failed) is forwarded as `REPORT_HYPERD_ERROR` to the health port the daemon was
 * discovered on — the daemon then checks and restarts hyperd only if its own check fails — and
 * the next `target()` re-discovers the daemon, waiting (bounded) for a restarted hyperd's new
 * endpoint. The daemon stays resident when the session ends: `close()` stops nothing there.
 *
 * @module
 */
import type { DaemonInfo } from "../daemon/daemon-info.ts";
import { daemonLogDir } from "../daemon/daemon-log.ts";
import { type EnsureDaemonOptions, ensureDaemon } from "../daemon/ensure-daemon.ts";
import { sendCommand } from "../daemon/health-client.ts";
import { HealthCommand } from "../daemon/health-protocol.ts";
import type { PortRange } from "../daemon/port-scan.ts";
import { WatchdogProbe } from "../daemon/watchdog-probe.ts";
import { errorMessage } from "../error-message.ts";
import type { EngineMode } from "./engine.ts";
import type { HyperdSource, HyperdTarget } from "./hyperd-source.ts";

/** HEARTBEATs are sent at most this often. */
export const HEARTBEAT_INTERVAL_MS = 60_000;
/** Timeouts of the fire-and-forget messages (REPORT_HYPERD_ERROR, HEARTBEAT). */
const NOTIFY_TIMEOUT_MS = 200;
/**
 * After a report, how long the next `target()` waits for the daemon to replace hyperd: its
 * immediate check can take the 5 s probe deadline, stopping a hung hyperd a few more seconds.
 */
const RECOVERY_WAIT_MS = 15_000;
const RECOVERY_POLL_MS = 250;
/** Deadline of our own `SELECT 1` against an endpoint the daemon still advertises after a report. */
const ENDPOINT_PROBE_DEADLINE_MS = 2000;

/** Options of {@link DaemonHyperd}. */
export interface DaemonHyperdOptions {
  readonly stateDir: string;
  /** The CLI entry a daemon is spawned with (`<node> <entryPath> daemon --port N`). */
  readonly entryPath: string;
  /** Environment for discovery and the spawned daemon; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** An explicit hyperd for a spawned daemon (passed as `HYPERD_PATH`). */
  readonly hyperdPath?: string | undefined;
  /** Port range override (tests); default from the environment. */
  readonly range?: PortRange | undefined;
  /** Builds the private hyperd used when the daemon cannot be had. */
  readonly fallback: () => HyperdSource;
  /** Lifecycle lines. */
  readonly log?: ((line: string) => void) | undefined;
  /** Daemon wait override (tests); default 10 s. */
  readonly readyTimeoutMs?: number | undefined;
}

/** A session's view of the shared daemon's hyperd. */
export class DaemonHyperd implements HyperdSource {
  readonly #options: DaemonHyperdOptions;
  #info: DaemonInfo | undefined;
  #resolving: Promise<HyperdTarget> | undefined;
  /** The endpoint reported broken, until a fresh target replaced it. */
  #reportedEndpoint: string | undefined;
  #fallback: HyperdSource | undefined;
  #lastHeartbeat = 0;
  #closed = false;

  constructor(options: DaemonHyperdOptions) {
    this.#options = options;
  }

  /** `daemon`, or `local` once the session fell back to a private hyperd. */
  get mode(): EngineMode {
    return this.#fallback === undefined ? "daemon" : "local";
  }

  async target(): Promise<HyperdTarget> {
    if (this.#closed) {
      throw new Error("the engine is closed");
    }
    if (this.#fallback !== undefined) {
      return await this.#fallback.target();
    }
    if (this.#info !== undefined && this.#reportedEndpoint === undefined) {
      return this.#targetOf(this.#info);
    }
    this.#resolving ??= this.#resolve().finally(() => {
      this.#resolving = undefined;
    });
    return await this.#resolving;
  }

  reportUnhealthy(reason: string): void {
    if (this.#fallback !== undefined) {
      this.#fallback.reportUnhealthy(reason);
      return;
    }
    const info = this.#info;
    if (info === undefined) {
      return;
    }
    this.#options.log?.(
      `hyperd at ${info.hyperd_endpoint} looks unhealthy (${reason}); asking the daemon on port ${info.health_port} to check it`,
    );
    this.#reportedEndpoint = info.hyperd_endpoint;
    void sendCommand(info.health_port, HealthCommand.reportHyperdError, {
      connectTimeoutMs: NOTIFY_TIMEOUT_MS,
      readTimeoutMs: NOTIFY_TIMEOUT_MS,
    }).catch(() => undefined);
  }

  touch(): void {
    if (this.#fallback !== undefined || this.#info === undefined) {
      return;
    }
    const now = Date.now();
    if (now - this.#lastHeartbeat < HEARTBEAT_INTERVAL_MS) {
      return;
    }
    this.#lastHeartbeat = now;
    void sendCommand(this.#info.health_port, HealthCommand.heartbeat, {
      connectTimeoutMs: NOTIFY_TIMEOUT_MS,
      readTimeoutMs: NOTIFY_TIMEOUT_MS,
    }).catch(() => undefined);
  }

  current(): HyperdTarget | null {
    if (this.#fallback !== undefined) {
      return this.#fallback.current();
    }
    return this.#info === undefined ? null : this.#targetOf(this.#info);
  }

  isRunning(): boolean {
    if (this.#fallback !== undefined) {
      return this.#fallback.isRunning();
    }
    return this.#info !== undefined && this.#reportedEndpoint === undefined;
  }

  healthPort(): number | null {
    return this.#fallback === undefined ? (this.#info?.health_port ?? null) : null;
  }

  async close(): Promise<void> {
    this.#closed = true;
    // The daemon and its hyperd are shared and stay resident; only a fallback is ours to stop.
    await this.#fallback?.close();
  }

  async #resolve(): Promise<HyperdTarget> {
    const reported = this.#reportedEndpoint;
    let info: DaemonInfo;
    try {
      info = await this.#ensure();
      if (reported !== undefined) {
        info = await this.#awaitRecovery(info, reported);
      }
    } catch (error) {
      return await this.#fallBack(error);
    }
    this.#info = info;
    this.#reportedEndpoint = undefined;
    if (this.#lastHeartbeat === 0) {
      this.touch();
    }
    return this.#targetOf(info);
  }

  #ensure(): Promise<DaemonInfo> {
    const env = this.#options.env ?? process.env;
    const ensureOptions: EnsureDaemonOptions = {
      stateDir: this.#options.stateDir,
      entryPath: this.#options.entryPath,
      env: this.#options.hyperdPath === undefined ? env : { ...env, HYPERD_PATH: this.#options.hyperdPath },
      range: this.#options.range,
      readyTimeoutMs: this.#options.readyTimeoutMs,
      log: this.#options.log,
    };
    return ensureDaemon(ensureOptions);
  }

  /**
   * After a report: waits (bounded) until the daemon advertises a different endpoint, or the
   * advertised one answers `SELECT 1` after all (the daemon's check found hyperd healthy).
   * Returns the latest info either way; the caller's next connection is the real test.
   */
  async #awaitRecovery(initial: DaemonInfo, reported: string): Promise<DaemonInfo> {
    const deadline = Date.now() + RECOVERY_WAIT_MS;
    const probe = new WatchdogProbe("hyperdb-ts-mcp-recovery-check");
    let info = initial;
    for (;;) {
      if (info.hyperd_endpoint !== reported) {
        probe.reset();
        return info;
      }
      const outcome = await probe.probe(info.hyperd_endpoint, ENDPOINT_PROBE_DEADLINE_MS);
      probe.reset();
      if (outcome.kind === "ok") {
        return info;
      }
      if (Date.now() >= deadline) {
        return info;
      }
      await new Promise((resolve) => setTimeout(resolve, RECOVERY_POLL_MS));
      info = await this.#ensure();
    }
  }

  async #fallBack(error: unknown): Promise<HyperdTarget> {
    const message = errorMessage(error);
    this.#options.log?.(`the shared daemon is unavailable (${message}); using a private hyperd`);
    const fallback = this.#options.fallback();
    this.#fallback = fallback;
    return await fallback.target();
  }

  #targetOf(info: DaemonInfo): HyperdTarget {
    return { endpoint: info.hyperd_endpoint, pid: null, logDir: daemonLogDir(this.#options.stateDir) };
  }
}
