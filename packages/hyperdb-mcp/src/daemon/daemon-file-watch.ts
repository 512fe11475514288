/**
 * Waking a waiting client as soon as `daemon.json` changes.
 *
 * A client that waits for a starting daemon polls it; a daemon is ready once it has published
 * `daemon.json`, so watching the state directory for that file lets the next poll run right away
 * instead of at the end of its interval. Watching is only a shortcut: where it is not available
 * (no state directory yet, no inotify left, an unsupported file system) the interval still ends
 * every wait.
 *
 * A caller looks at the file and then waits, so a change between its look and its wait must not
 * be lost: it starts watching ({@link DaemonFileWatch.start}) before its first look, a change that
 * comes while no wait runs ends the next wait at once, and so does a wait that could only now
 * start watching (the file may have changed before). On a cold start the daemon often publishes
 * while the client is busy answering `initialize`; without this the client found out only at the
 * end of its poll interval.
 *
 * @module
 */
import { type FSWatcher, watch } from "node:fs";
import { DAEMON_FILE_NAME } from "./state-dir-location.ts";

/** Waits that end after a timeout or at the next change of `daemon.json`, whichever comes first. */
export class DaemonFileWatch {
  readonly #stateDir: string;
  #watcher: FSWatcher | undefined;
  #wake: (() => void) | undefined;
  /** `daemon.json` changed while no wait ran. */
  #changed = false;
  /** Whether a watcher ever started (a restarted one ends no wait early: no busy loop). */
  #everWatched = false;

  constructor(stateDir: string) {
    this.#stateDir = stateDir;
  }

  /** Starts watching (when the state directory exists), before the caller's first look. */
  start(): void {
    this.#ensureWatching();
  }

  /**
   * Resolves after `ms`, or earlier when `daemon.json` is written, renamed or removed; at once when
   * it changed since the last wait, or when watching could start only now (the first time: a
   * watcher that fails again and again must not turn the caller's waits into a busy loop).
   */
  wait(ms: number): Promise<void> {
    const firstWatch = !this.#everWatched;
    const startedNow = this.#ensureWatching() && firstWatch;
    if (startedNow || this.#changed) {
      this.#changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        if (this.#wake === finish) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.#wake = finish;
    });
  }

  /** Stops watching. */
  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#wake?.();
  }

  /** Returns whether watching started with this call. */
  #ensureWatching(): boolean {
    if (this.#watcher !== undefined) return false;
    try {
      const watcher = watch(this.#stateDir, { persistent: false }, (_event, name) => {
        if (name !== null && name !== DAEMON_FILE_NAME) return;
        if (this.#wake === undefined) this.#changed = true;
        else this.#wake();
      });
      watcher.on("error", () => {
        watcher.close();
        if (this.#watcher === watcher) this.#watcher = undefined;
      });
      this.#watcher = watcher;
      this.#everWatched = true;
      return true;
    } catch {
      // The state directory does not exist yet (the daemon creates it), or watching is not
      // possible here: the next wait tries again, and the timeout ends this one.
      return false;
    }
  }
}
