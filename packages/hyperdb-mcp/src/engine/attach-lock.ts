/**
 * A cross-process lock around creating and attaching one database file.
 *
 * Several sessions that run `CREATE DATABASE IF NOT EXISTS` and `ATTACH` on the same file at
 * the same instant can wedge hyperd: the statements neither finish nor fail, also on fresh
 * connections (seen in the cold-start race test; the upstream server hangs the same way). So
 * sessions take turns: the lock is a folder next to the file (`mkdir` is atomic), held only for
 * those two statements. A lock older than {@link STALE_LOCK_MS} belongs to a session that died
 * and is broken. Waiting is bounded by the caller's deadline.
 *
 * @module
 */
import { mkdir, rmdir, stat } from "node:fs/promises";
import { TimeoutError } from "@hyperdb-ts/hyperdb-api";

/** A lock older than this is taken to be left behind by a dead session. */
export const STALE_LOCK_MS = 15_000;

/** Runs `work` while holding the attach lock of `databasePath`, waiting at most until `deadline`. */
export async function withAttachLock<T>(
  databasePath: string,
  deadline: number,
  work: () => Promise<T>,
): Promise<T> {
  const lock = `${databasePath}.attach-lock`;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw error;
      }
      const age = await stat(lock).then(
        (stats) => Date.now() - stats.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS) {
        await rmdir(lock).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) {
        throw new TimeoutError(`another session kept ${databasePath} locked for attaching past the deadline`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
    }
  }
  try {
    return await work();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}
