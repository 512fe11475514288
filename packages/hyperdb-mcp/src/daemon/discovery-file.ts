/**
 * `daemon.json`: the file through which front processes discover the running daemon.
 *
 * The file is private to the user: the state directory is kept at mode 0700 and the file is
 * written with mode 0600. Writes are atomic (write `daemon.json.tmp`, then rename over the old
 * file), so a reader sees either the previous or the new content, never a torn one.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { chmod, mkdir, open, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api/errors";
import { checkDaemonInfo, type DaemonInfo, parseDaemonInfoJson } from "./daemon-info.ts";
import { DAEMON_FILE_NAME } from "./state-dir-location.ts";

export { DAEMON_FILE_NAME } from "./state-dir-location.ts";

/**
 * Returns `value` as a validated {@link DaemonInfo}. (Here rather than in daemon-info.ts, which
 * the stdio relay loads and which must therefore not import hyperdb-api.)
 *
 * @throws InvalidArgumentError naming the first offending field.
 */
export function toDaemonInfo(value: unknown): DaemonInfo {
  const check = checkDaemonInfo(value);
  if (!check.ok) {
    throw new InvalidArgumentError(`invalid daemon info: ${check.reason}`);
  }
  return check.info;
}

const TEMP_SUFFIX = ".tmp";
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
const isWindows = process.platform === "win32";

/** Full path of `daemon.json` in `stateDir`. */
export function daemonFilePath(stateDir: string): string {
  return join(stateDir, DAEMON_FILE_NAME);
}

/**
 * Creates `stateDir` (and missing parents) with mode 0700; if it already exists with group or
 * other permission bits, tightens it to 0700. Permission bits are not managed on Windows.
 */
export async function ensureStateDir(stateDir: string): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: DIR_MODE });
  if (isWindows) {
    return;
  }
  const { mode } = await stat(stateDir);
  if ((mode & 0o077) !== 0) {
    await chmod(stateDir, DIR_MODE);
  }
}

/**
 * Atomically publishes `info` as `<stateDir>/daemon.json` (mode 0600), creating the state
 * directory if needed.
 *
 * @throws InvalidArgumentError when `info` is not a valid DaemonInfo.
 */
export async function writeDaemonFile(stateDir: string, info: DaemonInfo): Promise<void> {
  const validated = toDaemonInfo(info);
  await ensureStateDir(stateDir);
  const target = daemonFilePath(stateDir);
  const temp = target + TEMP_SUFFIX;
  // A leftover temp file from a crashed writer may carry other permissions; start fresh.
  await rm(temp, { force: true });
  const handle = await open(temp, "wx", FILE_MODE);
  try {
    await handle.writeFile(`${JSON.stringify(validated)}\n`, "utf8");
    if (!isWindows) {
      await handle.chmod(FILE_MODE); // the umask never widens, but be explicit
    }
    // No fsync: the file describes a running process, so after a machine crash it is stale
    // anyway, and readers reject a file whose content is not a valid description. The rename
    // alone keeps readers from ever seeing half a file.
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Reads `<stateDir>/daemon.json`. Returns `null` when the file (or directory) is missing or its
 * content is not a valid DaemonInfo. Other I/O failures (e.g. permission denied) are thrown.
 *
 * The result is only a claim: callers must still confirm it with an identified PING.
 *
 * The read is synchronous: the file is a few hundred bytes in the user's private state folder,
 * while an asynchronous read takes four thread-pool round trips, each queued behind whatever
 * else the event loop runs. On a cold start that is the server's own start-up work, and the
 * client noticed the freshly published daemon several milliseconds late.
 */
export async function readDaemonFile(stateDir: string): Promise<DaemonInfo | null> {
  let text: string;
  try {
    text = readFileSync(daemonFilePath(stateDir), "utf8");
  } catch (error) {
    if (isMissing(error)) {
      return null;
    }
    throw error;
  }
  return parseDaemonInfoJson(text) ?? null;
}

/** Options of {@link removeDaemonFile}. */
export interface RemoveDaemonFileOptions {
  /**
   * Remove the file only if it currently names this pid (or is malformed). A shutting-down daemon
   * passes its own pid so that it never deletes a file a newer daemon has already published.
   */
  readonly ifPid?: number;
}

/**
 * Deletes `<stateDir>/daemon.json`. Returns whether a file was removed; a missing file is not an
 * error.
 */
export async function removeDaemonFile(
  stateDir: string,
  options: RemoveDaemonFileOptions = {},
): Promise<boolean> {
  if (options.ifPid !== undefined) {
    let current: DaemonInfo | null;
    try {
      current = await readDaemonFile(stateDir);
    } catch {
      current = null;
    }
    if (current !== null && current.pid !== options.ifPid) {
      return false;
    }
  }
  try {
    await rm(daemonFilePath(stateDir));
    return true;
  } catch (error) {
    if (isMissing(error)) {
      return false;
    }
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
