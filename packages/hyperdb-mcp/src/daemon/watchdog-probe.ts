/**
 * The watchdog's probe: `SELECT 1` against the daemon's hyperd on the daemon's own connection,
 * raced against a deadline.
 *
 * The connection is kept between probes (a probe then costs one round trip) and dropped after
 * any failure, so that the next probe starts from a fresh connection. A probe never waits longer
 * than its deadline, even when hyperd accepts the connection but never answers (the kernel
 * completes a stopped or hung process's TCP handshake and queues its Unix socket connections).
 *
 * The endpoint is a TCP `host:port` or a Unix domain socket path. The daemon's supervisor passes
 * hyperd's socket, so that a network fault on the TCP port clients use does not look like a dead
 * hyperd; client sessions probe the TCP endpoint they use themselves.
 *
 * @module
 */
import type { Connection } from "@hyperdb-ts/hyperdb-api";
import { errorMessage } from "../error-message.ts";
import type { ProbeOutcome } from "./watchdog-policy.ts";

/** Application name hyperd sees for the watchdog connection. */
const APPLICATION_NAME = "hyperdb-ts-mcp-daemon-watchdog";

/** Runs watchdog probes against one endpoint at a time. */
export class WatchdogProbe {
  readonly #applicationName: string;
  #endpoint: string | undefined;
  #connection: Connection | undefined;
  /** Bumped by {@link reset}, so that a connect finishing after a reset is discarded. */
  #generation = 0;

  /** `applicationName` is what hyperd sees for the probe connection. */
  constructor(applicationName: string = APPLICATION_NAME) {
    this.#applicationName = applicationName;
  }

  /**
   * Probes `endpoint` (`host:port` or a Unix domain socket path) with `SELECT 1`, giving up
   * after `deadlineMs`.
   */
  async probe(endpoint: string, deadlineMs: number): Promise<ProbeOutcome> {
    if (endpoint !== this.#endpoint) {
      this.reset();
      this.#endpoint = endpoint;
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<ProbeOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: "deadline", deadlineMs }), deadlineMs);
    });
    const attempt = this.#selectOne(endpoint, deadlineMs).then(
      (): ProbeOutcome => ({ kind: "ok" }),
      (error: unknown): ProbeOutcome => ({
        kind: "error",
        message: errorMessage(error),
      }),
    );
    const outcome = await Promise.race([attempt, deadline]).finally(() => clearTimeout(timer));
    if (outcome.kind !== "ok") {
      this.reset();
    }
    return outcome;
  }

  /** Drops the kept connection (without waiting for it to close). */
  reset(): void {
    this.#generation++;
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection !== undefined) {
      void connection.close().catch(() => undefined);
    }
  }

  async #selectOne(endpoint: string, deadlineMs: number): Promise<void> {
    if (this.#connection === undefined) {
      const generation = this.#generation;
      // Loaded on the first probe, not with the daemon: a cold daemon spawns hyperd sooner
      // when it has not first read the whole wire layer.
      const { Connection } = await import("@hyperdb-ts/hyperdb-api");
      const connection = await Connection.connect({
        endpoint,
        applicationName: this.#applicationName,
        connectTimeoutMs: deadlineMs,
      });
      if (this.#generation !== generation || this.#endpoint !== endpoint) {
        void connection.close().catch(() => undefined);
        throw new Error("the probe was abandoned while connecting");
      }
      this.#connection = connection;
    }
    await this.#connection.ping();
  }
}
