/**
 * The folder of the daemon's hyperd Unix socket (which only the watchdog uses).
 *
 * Its name is derived from the user and the state folder, so a daemon that was SIGKILLed
 * (whose hyperd then exits without cleaning up) leaves at most this one folder behind, and the
 * next daemon of that state folder clears it before starting hyperd. It lives in the OS temp
 * folder because socket paths are limited to about 100 bytes, which a state folder deep in a
 * home directory could exceed. Only one daemon runs per state folder, so clearing is safe.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The socket folder of the daemon of `stateDir`. */
export function hyperdSocketDir(stateDir: string): string {
  const digest = createHash("sha256").update(stateDir).digest("hex").slice(0, 12);
  return join(tmpdir(), `hyperdb-ts-${process.getuid?.() ?? "u"}-${digest}`);
}

/** Creates the socket folder afresh (private to the user), removing what a previous daemon left. */
export async function prepareHyperdSocketDir(stateDir: string): Promise<string> {
  const dir = hyperdSocketDir(stateDir);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Removes the socket folder (at shutdown). */
export async function removeHyperdSocketDir(stateDir: string): Promise<void> {
  await rm(hyperdSocketDir(stateDir), { recursive: true, force: true });
}
