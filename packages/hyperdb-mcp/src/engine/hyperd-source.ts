/**
 * Where a session's hyperd comes from. The session engine asks its source for the endpoint
 * each time it opens a connection, so a hyperd restarted elsewhere (by the daemon) on a new
 * port is picked up by the next connection.
 *
 * @module
 */
import type { EngineMode } from "./engine.ts";

/** A hyperd a session can connect to. */
export interface HyperdTarget {
  /** `host:port` (TCP) hyperd listens on. */
  readonly endpoint: string;
  /** hyperd's process id when known. */
  readonly pid: number | null;
  /** The folder hyperd logs into, when known. */
  readonly logDir: string | null;
}

/** A provider of hyperd for the session engine. */
export interface HyperdSource {
  /** `local` for a private hyperd, `daemon` for the shared daemon's. */
  readonly mode: EngineMode;
  /**
   * The hyperd to connect to, starting it (private) or finding or spawning the daemon (shared)
   * on first use. Concurrent callers share one start.
   */
  target(): Promise<HyperdTarget>;
  /**
   * Tells the source that a fresh connection to {@link target} failed as well as a probe query:
   * hyperd itself looks broken. A private source restarts its hyperd on the next `target()`; a
   * daemon source asks the daemon to check (it restarts hyperd only after its own check fails).
   */
  reportUnhealthy(reason: string): void;
  /** Signals activity (daemon mode: a debounced HEARTBEAT). Never throws, never blocks. */
  touch(): void;
  /** The last known target without starting anything; `null` before the first `target()`. */
  current(): HyperdTarget | null;
  /** Whether the hyperd of {@link current} is believed to be running. */
  isRunning(): boolean;
  /** The daemon's health port (daemon mode) when known. */
  healthPort(): number | null;
  /** Releases what the source owns (stops a private hyperd). Idempotent. */
  close(): Promise<void>;
}
