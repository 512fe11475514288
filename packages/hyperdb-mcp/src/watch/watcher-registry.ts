/**
 * The directory watchers of one session, by canonical directory: one watcher per directory.
 * The registry answers `status` (`watchers[]`) and `detach_database` (an attachment a watcher
 * loads into cannot be detached), and stops every watcher when the session ends.
 *
 * @module
 */
import type { DirectoryWatcher, WatcherSnapshot } from "./directory-watcher.ts";

/** The watchers of one session. */
export class WatcherRegistry {
  readonly #byDirectory = new Map<string, DirectoryWatcher>();
  #closed = false;

  /** The watcher of the canonical `directory`, if any. */
  get(directory: string): DirectoryWatcher | undefined {
    return this.#byDirectory.get(directory);
  }

  /**
   * Records a watcher; its directory must be free.
   * @throws Error when the directory is watched already or the session has ended.
   */
  add(watcher: DirectoryWatcher): void {
    if (this.#closed) throw new Error("the session has ended");
    if (this.#byDirectory.has(watcher.directory)) {
      throw new Error(`Already watching ${watcher.directory}`);
    }
    this.#byDirectory.set(watcher.directory, watcher);
  }

  /** Forgets the watcher of `directory` (it is not stopped here). */
  remove(directory: string): void {
    this.#byDirectory.delete(directory);
  }

  /** Every watcher as `status` reports it. */
  snapshot(): WatcherSnapshot[] {
    return [...this.#byDirectory.values()].map((watcher) => watcher.snapshot());
  }

  /** Why the attachment `alias` is in use (a watcher loads into it), or undefined. */
  userOf(alias: string): string | undefined {
    for (const watcher of this.#byDirectory.values()) {
      if (watcher.target.attachment?.alias === alias) {
        return `watch_directory loads ${watcher.directory} into it (table '${watcher.table}')`;
      }
    }
    return undefined;
  }

  /** Stops every watcher and refuses new ones (the session ended). */
  stopAll(): void {
    this.#closed = true;
    for (const watcher of this.#byDirectory.values()) watcher.stop();
    this.#byDirectory.clear();
  }
}
