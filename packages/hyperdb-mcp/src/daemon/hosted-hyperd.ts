/**
 * The hyperd source of the sessions the daemon hosts itself (see session-host.ts): the
 * daemon's own hyperd, read from its supervisor. A restart in progress is waited for; a report
 * of trouble becomes a supervisor check (which restarts hyperd only when its own probe fails).
 *
 * @module
 */
import type { EngineMode } from "../engine/engine.ts";
import type { HyperdSource, HyperdTarget } from "../engine/hyperd-source.ts";
import { daemonLogDir } from "./daemon-log.ts";
import { type HyperdSupervisor, tcpEndpointOf } from "./hyperd-supervisor.ts";

/** How long a session waits for a hyperd that is being restarted. */
const RESTART_WAIT_MS = 30_000;
const RESTART_POLL_MS = 50;

/** Options of {@link HostedHyperd}. */
export interface HostedHyperdOptions {
  readonly supervisor: HyperdSupervisor;
  readonly stateDir: string;
  readonly healthPort: number;
  /** Called on every use of hyperd (keeps an idle timeout from firing). */
  readonly onActivity: () => void;
}

/** The daemon's hyperd, as a {@link HyperdSource} for a hosted session. */
export class HostedHyperd implements HyperdSource {
  readonly mode: EngineMode = "daemon";
  readonly #options: HostedHyperdOptions;
  #last: HyperdTarget | null = null;

  constructor(options: HostedHyperdOptions) {
    this.#options = options;
  }

  async target(): Promise<HyperdTarget> {
    const deadline = Date.now() + RESTART_WAIT_MS;
    for (;;) {
      const hyper = this.#options.supervisor.hyper;
      if (hyper !== undefined && !hyper.hasExited) {
        this.#last = {
          endpoint: tcpEndpointOf(hyper),
          pid: hyper.pid,
          logDir: daemonLogDir(this.#options.stateDir),
        };
        return this.#last;
      }
      if (Date.now() >= deadline) {
        throw new Error(`the daemon's hyperd did not come back within ${RESTART_WAIT_MS / 1000} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, RESTART_POLL_MS));
    }
  }

  reportUnhealthy(reason: string): void {
    this.#options.supervisor.requestCheck(reason);
  }

  touch(): void {
    this.#options.onActivity();
  }

  current(): HyperdTarget | null {
    return this.#last;
  }

  isRunning(): boolean {
    return this.#options.supervisor.hyper?.hasExited === false;
  }

  healthPort(): number | null {
    return this.#options.healthPort;
  }

  async close(): Promise<void> {
    // The hyperd belongs to the daemon, not to the session.
  }
}
