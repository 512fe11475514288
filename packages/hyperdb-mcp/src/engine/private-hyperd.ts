/**
 * The `--no-daemon` hyperd source: one hyperd owned by this process, started on first use and
 * stopped with the session. Its logs go to a folder the caller names (inside the session's
 * temp folder, so a session leaves nothing behind).
 *
 * When hyperd has died, the next {@link PrivateHyperd.target} starts a new one; a report that a
 * live hyperd is unhealthy (a fresh connection and a probe failed) stops it so that the next
 * call starts afresh.
 *
 * @module
 */
import { HyperProcess } from "@hyperdb-ts/hyperdb-api";
import type { HyperdSource, HyperdTarget } from "./hyperd-source.ts";

/** Options of {@link PrivateHyperd}. */
export interface PrivateHyperdOptions {
  /** An explicit hyperd (else `HYPERD_PATH` and the installed package are used). */
  readonly hyperdPath?: string | undefined;
  /** Where hyperd writes its logs; called once per start. */
  readonly logDir: () => Promise<string>;
  /** Lifecycle lines (to stderr in the server). */
  readonly log?: ((line: string) => void) | undefined;
}

/** A private hyperd of this process. */
export class PrivateHyperd implements HyperdSource {
  readonly mode = "local" as const;
  readonly #options: PrivateHyperdOptions;
  #starting: Promise<HyperProcess> | undefined;
  #hyper: HyperProcess | undefined;
  #closed = false;

  constructor(options: PrivateHyperdOptions) {
    this.#options = options;
  }

  async target(): Promise<HyperdTarget> {
    if (this.#closed) {
      throw new Error("the engine is closed");
    }
    if (this.#hyper?.hasExited === true) {
      this.#options.log?.(`hyperd pid ${this.#hyper.pid} has exited; starting a new one`);
      this.#hyper = undefined;
      this.#starting = undefined;
    }
    this.#starting ??= this.#start();
    try {
      const hyper = await this.#starting;
      return { endpoint: hyper.endpointDescriptor, pid: hyper.pid, logDir: hyper.logDir };
    } catch (error) {
      this.#starting = undefined;
      throw error;
    }
  }

  reportUnhealthy(reason: string): void {
    const hyper = this.#hyper;
    if (hyper === undefined) {
      return;
    }
    this.#options.log?.(
      `hyperd pid ${hyper.pid} looks unhealthy (${reason}); restarting it on the next call`,
    );
    this.#hyper = undefined;
    this.#starting = undefined;
    void hyper.close().catch(() => undefined);
  }

  touch(): void {}

  current(): HyperdTarget | null {
    const hyper = this.#hyper;
    return hyper === undefined
      ? null
      : { endpoint: hyper.endpointDescriptor, pid: hyper.pid, logDir: hyper.logDir };
  }

  isRunning(): boolean {
    return this.#hyper !== undefined && !this.#hyper.hasExited;
  }

  healthPort(): number | null {
    return null;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const starting = this.#starting;
    this.#starting = undefined;
    this.#hyper = undefined;
    const hyper = await starting?.catch(() => undefined);
    if (hyper !== undefined) {
      await hyper.close().catch(() => undefined);
      this.#options.log?.(`stopped hyperd pid ${hyper.pid}`);
    }
  }

  async #start(): Promise<HyperProcess> {
    const started = Date.now();
    const hyper = await HyperProcess.start({
      hyperdPath: this.#options.hyperdPath,
      logDir: await this.#options.logDir(),
    });
    if (this.#closed) {
      await hyper.close().catch(() => undefined);
      throw new Error("the engine was closed while hyperd was starting");
    }
    this.#hyper = hyper;
    this.#options.log?.(
      `started hyperd pid ${hyper.pid} at ${hyper.endpointDescriptor} in ${Date.now() - started} ms`,
    );
    return hyper;
  }
}
