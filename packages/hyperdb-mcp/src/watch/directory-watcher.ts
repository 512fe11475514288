/**
 * One watched directory: loads every data file whose `.ready` sentinel appears (see
 * `ready-files.ts`), deleting both files on success and moving them to `failed/` on failure.
 *
 * - Sentinels are found by `fs.watch` on the directory (not recursive) and, because `fs.watch`
 *   can miss events (and does on some file systems), by a rescan of the directory every few
 *   seconds. {@link DirectoryWatcher.start} sweeps the files already there before it returns.
 * - At most `maxConcurrent` files load at once; an event for a sentinel that is already queued
 *   or loading is ignored.
 * - Neither the file watcher nor the rescan timer keeps the process alive, and
 *   {@link DirectoryWatcher.stop} ends both. A load that fails because the watcher was stopped
 *   meanwhile (e.g. the session ended) leaves its files where they are, for a later watcher.
 *
 * @module
 */
import { type FSWatcher, watch } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { errorMessage } from "../error-message.ts";
import type { DatabaseTarget } from "../tools/resolve-database.ts";
import { type FailureReport, moveToFailed } from "./failed-files.ts";
import { dataNameOf, readyPair } from "./ready-files.ts";

/** How often the directory is listed again, in case `fs.watch` missed a sentinel. */
export const RESCAN_INTERVAL_MS = 2_000;

/** Options of {@link DirectoryWatcher}. */
export interface DirectoryWatcherOptions {
  /** The canonical path of the directory. */
  readonly directory: string;
  readonly table: string;
  readonly target: DatabaseTarget;
  readonly maxConcurrent: number;
  /** Loads one data file into the table; throws when it cannot. */
  readonly load: (dataPath: string) => Promise<void>;
  /** What a load failure is reported as in `failed/<file>.error`. */
  readonly describeFailure: (error: unknown) => FailureReport;
  readonly log: (line: string) => void;
  /** @default RESCAN_INTERVAL_MS */
  readonly rescanMs?: number;
}

/** The counters of a watcher. */
export interface WatcherCounts {
  readonly files_ingested: number;
  readonly files_failed: number;
}

/** A watcher as `status` reports it. */
export interface WatcherSnapshot extends WatcherCounts {
  readonly directory: string;
  readonly table: string;
  readonly target_db: string;
  readonly last_event_ms_ago: number | null;
  readonly last_error: string | null;
  readonly max_concurrent: number;
  readonly in_flight: number;
}

type Outcome = "ingested" | "failed" | "skipped";

/** A watcher of one directory (see the module documentation). */
export class DirectoryWatcher {
  readonly #options: DirectoryWatcherOptions;
  readonly #pending = new Map<string, Promise<Outcome>>();
  readonly #waitingForSlot: (() => void)[] = [];
  /** Sentinels whose files were loaded but could not be deleted: never loaded twice. */
  readonly #undeletable = new Set<string>();
  #active = 0;
  #ingested = 0;
  #failed = 0;
  #lastError: string | null = null;
  #lastEventAt: number | null = null;
  #fsWatcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** The last listing failure logged, so a vanished directory is not logged every rescan. */
  #lastScanError: string | undefined;

  constructor(options: DirectoryWatcherOptions) {
    this.#options = options;
  }

  get directory(): string {
    return this.#options.directory;
  }

  get table(): string {
    return this.#options.table;
  }

  get target(): DatabaseTarget {
    return this.#options.target;
  }

  /**
   * Starts watching and sweeps the sentinels already there; resolves with what the sweep did.
   * `onSweepProgress` hears of every swept file as it finishes (files done, files in the sweep).
   */
  async start(onSweepProgress?: (done: number, total: number) => void): Promise<WatcherCounts> {
    // Watch first, so a sentinel created during the sweep is not missed.
    this.#fsWatcher = watch(this.#options.directory, { persistent: false }, (_event, name) => {
      if (typeof name === "string") void this.#schedule(name);
    });
    this.#fsWatcher.on("error", (error) => {
      this.#options.log(`watch_directory ${this.#options.directory}: ${errorMessage(error)}`);
    });
    this.#timer = setInterval(() => void this.#scan(), this.#options.rescanMs ?? RESCAN_INTERVAL_MS);
    this.#timer.unref();
    const outcomes = await this.#scan(onSweepProgress);
    return {
      files_ingested: outcomes.filter((outcome) => outcome === "ingested").length,
      files_failed: outcomes.filter((outcome) => outcome === "failed").length,
    };
  }

  /** Stops watching; loads already running finish (see {@link DirectoryWatcher.settled}). */
  stop(): WatcherCounts & { last_error: string | null } {
    this.#stopped = true;
    this.#fsWatcher?.close();
    clearInterval(this.#timer);
    for (const wake of this.#waitingForSlot.splice(0)) wake();
    return this.#counts();
  }

  /** Resolves when the loads running now are done, or after `ms`; returns the final counts. */
  async settled(ms: number): Promise<WatcherCounts & { last_error: string | null }> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#pending.values()]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, ms);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    return this.#counts();
  }

  /** The watcher as `status` reports it. */
  snapshot(): WatcherSnapshot {
    return {
      directory: this.#options.directory,
      table: this.#options.table,
      target_db: this.#options.target.name,
      files_ingested: this.#ingested,
      files_failed: this.#failed,
      last_event_ms_ago: this.#lastEventAt === null ? null : Date.now() - this.#lastEventAt,
      last_error: this.#lastError,
      max_concurrent: this.#options.maxConcurrent,
      in_flight: this.#active,
    };
  }

  #counts(): WatcherCounts & { last_error: string | null } {
    return { files_ingested: this.#ingested, files_failed: this.#failed, last_error: this.#lastError };
  }

  /** Schedules every sentinel in the directory; resolves with their outcomes. */
  async #scan(onProgress?: (done: number, total: number) => void): Promise<Outcome[]> {
    if (this.#stopped) return [];
    let names: string[];
    try {
      names = await readdir(this.#options.directory);
    } catch (error) {
      const message = errorMessage(error);
      if (message !== this.#lastScanError) {
        this.#options.log(`watch_directory ${this.#options.directory}: ${message}`);
      }
      this.#lastScanError = message;
      return [];
    }
    this.#lastScanError = undefined;
    const sentinels = names.filter((name) => dataNameOf(name) !== undefined);
    let done = 0;
    return Promise.all(
      sentinels.map((name) =>
        this.#schedule(name).then((outcome) => {
          done += 1;
          onProgress?.(done, sentinels.length);
          return outcome;
        }),
      ),
    );
  }

  #schedule(readyName: string): Promise<Outcome> {
    if (this.#stopped || dataNameOf(readyName) === undefined || this.#undeletable.has(readyName)) {
      return Promise.resolve("skipped");
    }
    const existing = this.#pending.get(readyName);
    if (existing !== undefined) return existing;
    const job = this.#inSlot(() => this.#process(readyName)).finally(() => {
      this.#pending.delete(readyName);
    });
    this.#pending.set(readyName, job);
    return job;
  }

  async #inSlot(work: () => Promise<Outcome>): Promise<Outcome> {
    while (this.#active >= this.#options.maxConcurrent && !this.#stopped) {
      await new Promise<void>((resolve) => this.#waitingForSlot.push(resolve));
    }
    this.#active += 1;
    try {
      return await work();
    } finally {
      this.#active -= 1;
      this.#waitingForSlot.shift()?.();
    }
  }

  async #process(readyName: string): Promise<Outcome> {
    if (this.#stopped) return "skipped";
    const pair = await readyPair(this.#options.directory, readyName);
    if (pair === undefined) return "skipped";
    this.#lastEventAt = Date.now();
    try {
      await this.#options.load(pair.dataPath);
    } catch (error) {
      if (this.#stopped) {
        this.#options.log(
          `watch_directory: ${pair.dataName} not loaded (watcher stopped): ${errorMessage(error)}`,
        );
        return "skipped";
      }
      const report = this.#options.describeFailure(error);
      this.#failed += 1;
      this.#lastError = `[${report.code}] ${report.message}`;
      await moveToFailed(this.#options.directory, pair, report).catch((moveError: unknown) => {
        this.#undeletable.add(readyName);
        this.#options.log(
          `watch_directory: could not move ${pair.dataName} to failed/: ${errorMessage(moveError)}`,
        );
      });
      return "failed";
    }
    this.#ingested += 1;
    await Promise.all([rm(pair.dataPath, { force: true }), rm(pair.readyPath, { force: true })]).catch(
      (error: unknown) => {
        this.#undeletable.add(readyName);
        this.#options.log(
          `watch_directory: loaded ${pair.dataName} but could not delete it: ${errorMessage(error)}`,
        );
      },
    );
    return "ingested";
  }
}
