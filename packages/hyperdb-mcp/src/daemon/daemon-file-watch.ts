/**
 * Waking a waiting client as soon as `daemon.json` changes.
 *
 * A client that waits for a starting daemon polls it; a daemon is ready once it has published
 * `daemon.json`, so watching the state directory for that file lets the next poll run right away
 * instead of at the end of its interval. Watching is only a shortcut: where it is not available
 * (no state directory yet, no inotify left, an unsupported file system) the interval still ends
 * every wait.
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

  constructor(stateDir: string) {
    this.#stateDir = stateDir;
  }

  /** Resolves after `ms`, or earlier when `daemon.json` is written, renamed or removed. */
  wait(ms: number): Promise<void> {
    this.#ensureWatching();
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

  #ensureWatching(): void {
    if (this.#watcher !== undefined) return;
    try {
      const watcher = watch(this.#stateDir, { persistent: false }, (_event, name) => {
        if (name === null || name === DAEMON_FILE_NAME) this.#wake?.();
      });
      watcher.on("error", () => {
        watcher.close();
        if (this.#watcher === watcher) this.#watcher = undefined;
      });
      this.#watcher = watcher;
    } catch {
      // The state directory does not exist yet (the daemon creates it), or watching is not
      // possible here: the next wait tries again, and the timeout ends this one.
    }
  }
}
