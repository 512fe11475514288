/**
 * The `.ready` sentinel protocol of watched directories: a producer writes a data file (ideally
 * to a temporary name, then renamed), then creates an empty `<datafile>.ready` next to it. Only
 * the sentinel's appearance makes the data file eligible, so a half-written file is never read.
 *
 * A pair is taken only when both files exist, are regular files and neither is a symbolic link
 * (a link could make the server read, then delete, a file outside the watched directory).
 *
 * @module
 */
import { lstat } from "node:fs/promises";
import { join } from "node:path";

/** The suffix of sentinel files. */
export const READY_SUFFIX = ".ready";

/** A data file and its sentinel, both checked. */
export interface ReadyPair {
  /** File name of the data file (in the watched directory). */
  readonly dataName: string;
  readonly dataPath: string;
  readonly readyPath: string;
}

/** The data file a sentinel name stands for, or undefined when `name` is not a sentinel. */
export function dataNameOf(name: string): string | undefined {
  if (!name.endsWith(READY_SUFFIX) || name.length === READY_SUFFIX.length) return undefined;
  return name.slice(0, -READY_SUFFIX.length);
}

/** The pair of sentinel `readyName` in `directory`, or undefined when it is not (or no longer) eligible. */
export async function readyPair(directory: string, readyName: string): Promise<ReadyPair | undefined> {
  const dataName = dataNameOf(readyName);
  if (dataName === undefined) return undefined;
  const dataPath = join(directory, dataName);
  const readyPath = join(directory, readyName);
  const [data, ready] = await Promise.all([
    lstat(dataPath).catch(() => undefined),
    lstat(readyPath).catch(() => undefined),
  ]);
  if (data === undefined || ready === undefined) return undefined;
  if (!data.isFile() || !ready.isFile()) return undefined; // symlinks are not files to lstat
  return { dataName, dataPath, readyPath };
}
