/**
 * Keeps the daemon's hyperd alive: restarts it when it exits and when the watchdog finds it
 * broken, within a restart budget.
 *
 * Everything runs in one loop, so a check, a restart and a client's report can never overlap:
 * an exit is noticed at once (through the process's exit promise, not by polling), a watchdog
 * probe runs every {@link WATCHDOG_INTERVAL_MS} and right after a `REPORT_HYPERD_ERROR`, and the
 * verdict follows the rule of `watchdog-policy.ts`. Reports that arrive during a restart are
 * drained, so one incident causes one restart. When the budget is spent the supervisor gives
 * up and tells the daemon to shut down. No step waits without a bound: probes have a deadline,
 * starts have hyperd's startup timeout, stops escalate to SIGKILL.
 *
 * The probe goes through hyperd's Unix domain socket when it has one ({@link probeEndpointOf}),
 * not through the TCP port that clients use: a network fault on that port (a firewall rule, a
 * stuck loopback, an exhausted port range) must not look like a dead hyperd and make the daemon
 * restart a healthy one under its clients. Clients keep using TCP.
 *
 * @module
 */
import type { HyperProcess } from "@hyperdb-ts/hyperdb-api/process";
import { errorMessage } from "../error-message.ts";
import type { LogLine } from "./daemon-log.ts";
import { RestartBudget } from "./restart-budget.ts";
import { judgeProbe, type ProbeOutcome } from "./watchdog-policy.ts";
import { WatchdogProbe } from "./watchdog-probe.ts";

/** Pause between two watchdog probes of a healthy hyperd. */
export const WATCHDOG_INTERVAL_MS = 10_000;
/** How long `SELECT 1` may take before hyperd counts as hung. */
export const WATCHDOG_DEADLINE_MS = 5_000;
/** Pause before re-probing after one failed probe. */
export const SUSPECT_RETRY_MS = 1_000;
/** Pause before the next attempt after a failed hyperd start. */
export const RESTART_RETRY_MS = 1_000;

/** Options of {@link HyperdSupervisor}. */
export interface HyperdSupervisorOptions {
  /** Starts a hyperd (the same parameters every time). */
  readonly startHyperd: () => Promise<HyperProcess>;
  /** Called after each successful restart (to publish the new endpoint). */
  readonly onRestarted: (hyper: HyperProcess) => Promise<void>;
  /** Called once when the restart budget is spent; the supervisor has stopped by then. */
  readonly onGaveUp: (reason: string) => void;
  readonly log: LogLine;
  readonly budget?: RestartBudget;
  /** Default {@link WATCHDOG_INTERVAL_MS}. */
  readonly watchdogIntervalMs?: number;
  /** Default {@link WATCHDOG_DEADLINE_MS}. */
  readonly watchdogDeadlineMs?: number;
  /**
   * Probe implementation, given {@link probeEndpointOf} the current hyperd; default `SELECT 1`
   * on a kept connection.
   */
  readonly probe?: (endpoint: string, deadlineMs: number) => Promise<ProbeOutcome>;
}

/** `host:port` of a TCP hyperd (what clients connect to). */
export function tcpEndpointOf(hyper: HyperProcess): string {
  const endpoint = hyper.endpoint;
  if (endpoint.kind !== "tcp") {
    throw new Error(`hyperd reported ${hyper.endpointDescriptor}, expected a TCP endpoint`);
  }
  const host = endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host;
  return `${host}:${endpoint.port}`;
}

/**
 * Where the watchdog probes `hyper`: its Unix domain socket path when it listens on one (the
 * daemon starts hyperd with `listen: "tcp+unix"` except on Windows), else its TCP `host:port`.
 */
export function probeEndpointOf(hyper: HyperProcess): string {
  return hyper.unixSocketPath ?? tcpEndpointOf(hyper);
}

/** The restart loop around one hyperd at a time. */
export class HyperdSupervisor {
  readonly #options: HyperdSupervisorOptions;
  readonly #budget: RestartBudget;
  readonly #intervalMs: number;
  readonly #deadlineMs: number;
  readonly #watchdog = new WatchdogProbe();
  readonly #probe: (endpoint: string, deadlineMs: number) => Promise<ProbeOutcome>;
  #hyper: HyperProcess | undefined;
  #loop: Promise<void> | undefined;
  #stopped = false;
  #checkRequested: string | undefined;
  #failures = 0;
  #wake: (() => void) | undefined;
  readonly #stopSignal: Promise<void>;
  #signalStop: () => void = () => {};

  constructor(options: HyperdSupervisorOptions) {
    this.#options = options;
    this.#budget = options.budget ?? new RestartBudget();
    this.#intervalMs = options.watchdogIntervalMs ?? WATCHDOG_INTERVAL_MS;
    this.#deadlineMs = options.watchdogDeadlineMs ?? WATCHDOG_DEADLINE_MS;
    this.#probe = options.probe ?? ((endpoint, deadlineMs) => this.#watchdog.probe(endpoint, deadlineMs));
    this.#stopSignal = new Promise<void>((resolve) => {
      this.#signalStop = resolve;
    });
  }

  /** The current hyperd; `undefined` while a failed restart waits for its retry. */
  get hyper(): HyperProcess | undefined {
    return this.#hyper;
  }

  /**
   * Starts the first hyperd (outside the restart budget) and then the monitor loop.
   * Errors of that first start are thrown: the daemon cannot serve without it.
   */
  async start(): Promise<HyperProcess> {
    const hyper = await this.#options.startHyperd();
    this.#adopt(hyper);
    this.#loop = this.#run().catch((error: unknown) => {
      this.#options.log(`hyperd monitor failed: ${errorMessage(error)}`);
    });
    return hyper;
  }

  /** Asks for an immediate health check (a client reported trouble). Never restarts blindly. */
  requestCheck(reason: string): void {
    if (this.#stopped) {
      return;
    }
    this.#checkRequested ??= reason;
    this.#wake?.();
  }

  /** Stops the loop and the current hyperd; resolves once both are done. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#signalStop();
    this.#wake?.();
    await this.#loop;
    this.#watchdog.reset();
    const hyper = this.#hyper;
    if (hyper !== undefined) {
      await hyper.close();
      this.#options.log(`stopped hyperd pid ${hyper.pid}`);
    }
  }

  #adopt(hyper: HyperProcess): void {
    this.#hyper = hyper;
    this.#failures = 0;
    void hyper.exited.then(() => this.#wake?.());
  }

  async #run(): Promise<void> {
    let nextCheckAt = Date.now() + this.#intervalMs;
    while (!this.#stopped) {
      const hyper = this.#hyper;
      if (hyper === undefined || hyper.hasExited) {
        const why =
          hyper === undefined
            ? "the previous start failed"
            : `hyperd pid ${hyper.pid} exited${await exitText(hyper)}`;
        await this.#restart(why, hyper);
        nextCheckAt = Date.now() + this.#intervalMs;
        continue;
      }
      if (this.#checkRequested === undefined) {
        await this.#sleep(nextCheckAt - Date.now());
      }
      if (this.#stopped || hyper.hasExited) {
        continue;
      }
      const requested = this.#checkRequested;
      if (requested === undefined && Date.now() < nextCheckAt) {
        continue;
      }
      this.#checkRequested = undefined;
      if (requested !== undefined) {
        this.#options.log(`checking hyperd now: a client reported ${requested}`);
      }
      const outcome = await Promise.race([
        this.#probe(probeEndpointOf(hyper), this.#deadlineMs),
        this.#stopSignal.then((): ProbeOutcome => ({ kind: "ok" })),
      ]);
      if (this.#stopped || this.#hyper !== hyper) {
        continue;
      }
      const verdict = judgeProbe(this.#failures, outcome, !hyper.hasExited);
      this.#failures = verdict.consecutiveFailures;
      if (verdict.action === "restart") {
        await this.#restart(`watchdog: ${verdict.reason}`, hyper);
        nextCheckAt = Date.now() + this.#intervalMs;
      } else if (verdict.action === "suspect") {
        this.#options.log(`watchdog: ${verdict.reason}; probing again in ${SUSPECT_RETRY_MS} ms`);
        nextCheckAt = Date.now() + SUSPECT_RETRY_MS;
      } else {
        if (requested !== undefined) {
          this.#options.log(`hyperd pid ${hyper.pid} answers SELECT 1; no restart`);
        }
        nextCheckAt = Date.now() + this.#intervalMs;
      }
    }
  }

  async #restart(reason: string, old: HyperProcess | undefined): Promise<void> {
    const now = Date.now();
    if (!this.#budget.tryAttempt(now)) {
      const message = `${reason}; restart budget spent (${this.#budget.limit} attempts in ${this.#budget.windowMs / 1000} s), giving up`;
      this.#options.log(message);
      this.#stopped = true;
      this.#options.onGaveUp(message);
      return;
    }
    this.#options.log(
      `restarting hyperd (attempt ${this.#budget.attemptsInWindow(now)} of ${this.#budget.limit} in ${this.#budget.windowMs / 1000} s): ${reason}`,
    );
    this.#watchdog.reset();
    if (old !== undefined) {
      // A hung hyperd ignores the graceful shutdown; close() escalates to SIGTERM and SIGKILL.
      await old.close();
    }
    this.#hyper = undefined;
    if (this.#stopped) {
      return;
    }
    let hyper: HyperProcess;
    try {
      hyper = await this.#options.startHyperd();
    } catch (error) {
      this.#options.log(`starting hyperd failed: ${errorMessage(error)}; retrying in ${RESTART_RETRY_MS} ms`);
      await this.#sleep(RESTART_RETRY_MS);
      return;
    }
    if (this.#stopped) {
      await hyper.close();
      return;
    }
    this.#adopt(hyper);
    this.#checkRequested = undefined; // reports about the old hyperd are answered by this restart
    this.#options.log(
      `hyperd restarted: pid ${hyper.pid} at ${tcpEndpointOf(hyper)}; watchdog probes hyperd at ${probeEndpointOf(hyper)}`,
    );
    try {
      await this.#options.onRestarted(hyper);
    } catch (error) {
      this.#options.log(`publishing the restarted hyperd failed: ${errorMessage(error)}`);
    }
  }

  /** Sleeps up to `ms`, waking early for an exit, a check request or stop. */
  #sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.#stopped) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.#wake === done) {
          self.#wake = undefined;
        }
        resolve();
      }
      this.#wake = done;
    });
  }
}

async function exitText(hyper: HyperProcess): Promise<string> {
  const status = await hyper.exited;
  return status.signal !== null ? ` (signal ${status.signal})` : ` (exit code ${String(status.code)})`;
}
