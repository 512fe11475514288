/**
 * The folder of the daemon's hyperd Unix socket (which only the watchdog uses).
 *
 * Its name is derived from the user, the state folder and the daemon's health port, so a
 * daemon that was SIGKILLed (whose hyperd then exits without cleaning up) leaves at most this
 * one folder behind, and the next daemon on that port (normally the base port) clears it before
 * starting hyperd. The port is part of the name because during a cold-start race several
 * daemons of one state folder may run for a moment, each on its own port (the port is the
 * single-instance lock), and each needs a socket of its own. It lives in the OS temp folder
 * because socket paths are limited to about 100 bytes, which a state folder deep in a home
 * directory could exceed.
 *
 * @module
 */
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SESSION_SOCKET_NAME } from "../relay/relay-protocol.ts";

/**
 * FNV-1a (64-bit) of the text's UTF-8 bytes, as 16 hex digits: a stable short tag for a folder
 * name, not a security measure. Not SHA-256: loading `node:crypto` costs the daemon a few
 * milliseconds before it can start hyperd.
 */
function folderTag(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, "utf8")) {
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

/** The socket folder of the daemon of `stateDir` on health port `port`. */
export function hyperdSocketDir(stateDir: string, port: number): string {
  const digest = folderTag(stateDir).slice(0, 12);
  return join(tmpdir(), `hyperdb-ts-${process.getuid?.() ?? "u"}-${digest}-${port}`);
}

/** Creates the socket folder afresh (private to the user), removing what a previous daemon left. */
export async function prepareHyperdSocketDir(stateDir: string, port: number): Promise<string> {
  const dir = hyperdSocketDir(stateDir, port);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Removes the socket folder (at shutdown). */
export async function removeHyperdSocketDir(stateDir: string, port: number): Promise<void> {
  await rm(hyperdSocketDir(stateDir, port), { recursive: true, force: true });
}

/** The folder of the daemon's session socket (see session-host.ts), next to hyperd's. */
export function sessionSocketDir(stateDir: string, port: number): string {
  return `${hyperdSocketDir(stateDir, port)}-sessions`;
}

/** Creates the session socket folder afresh (private to the user); returns the socket's path. */
export async function prepareSessionSocket(stateDir: string, port: number): Promise<string> {
  const dir = sessionSocketDir(stateDir, port);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return join(dir, SESSION_SOCKET_NAME);
}

/** Removes the session socket folder (at shutdown). */
export async function removeSessionSocketDir(stateDir: string, port: number): Promise<void> {
  await rm(sessionSocketDir(stateDir, port), { recursive: true, force: true });
}
