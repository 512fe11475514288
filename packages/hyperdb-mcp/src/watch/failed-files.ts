/**
 * Where a watched file goes when it cannot be loaded: the data file and its sentinel move into
 * `<directory>/failed/`, next to `<datafile>.error`, a pretty-printed JSON object
 * `{code, message, suggestion}` (`code` in CamelCase, e.g. `SchemaMismatch`). The pair is not
 * tried again; fixing the file and moving both back retries it.
 *
 * @module
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { ReadyPair } from "./ready-files.ts";

/** The folder failed files move to, inside the watched directory. */
export const FAILED_DIRECTORY = "failed";

/** Why a file failed, as written to its `.error` file. */
export interface FailureReport {
  readonly code: string;
  readonly message: string;
  readonly suggestion: string | null;
}

/** Moves `pair` to `<directory>/failed/` and writes its `.error` file. */
export async function moveToFailed(directory: string, pair: ReadyPair, report: FailureReport): Promise<void> {
  const failed = join(directory, FAILED_DIRECTORY);
  await mkdir(failed, { recursive: true });
  await writeFile(join(failed, `${pair.dataName}.error`), `${JSON.stringify(report, null, 2)}\n`);
  await rename(pair.dataPath, join(failed, pair.dataName));
  await rename(pair.readyPath, join(failed, basename(pair.readyPath)));
}
