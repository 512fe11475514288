/**
 * The opening exchange between the stdio relay (the `hyperdb-mcp` process a client spawns) and
 * the daemon that hosts its MCP session, over the daemon's session socket:
 *
 * 1. the relay sends one line of JSON, a {@link RelayHello}: its version and what the session
 *    would have been started with (arguments, environment, working directory);
 * 2. the daemon answers one line, a {@link RelayReply}: `ok`, or why it will not host the
 *    session (the relay then serves the client in its own process);
 * 3. after `ok` the socket carries the MCP messages unchanged, in both directions.
 *
 * The relay loads this module before any of the server: it imports nothing heavy.
 *
 * @module
 */

import { isRecord, parseJsonRecord } from "../json-record.ts";

/** Bumped when the exchange changes; a daemon refuses a relay of another revision. */
export const RELAY_PROTOCOL = 1;

/** File name of the session socket in the daemon's socket folder. */
export const SESSION_SOCKET_NAME = "mcp.sock";

/** Longest hello line the daemon reads. */
export const MAX_HELLO_BYTES = 1024 * 1024;

/** What the relay announces. */
export interface RelayHello {
  readonly relay: typeof RELAY_PROTOCOL;
  /** The relay's package version; the daemon hosts only its own version's sessions. */
  readonly version: string;
  /** The command-line arguments of the relay process (without node and the script). */
  readonly argv: readonly string[];
  /** The relay's environment (the server's configuration is read from it). */
  readonly env: Readonly<Record<string, string>>;
  /** The relay's working directory (relative paths in the configuration resolve against it). */
  readonly cwd: string;
}

/** The daemon's answer. */
export type RelayReply =
  | { readonly ok: true; readonly session: string }
  | { readonly ok: false; readonly reason: string };

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((entry) => typeof entry === "string");
}

/** Parses a hello line; a string says what is wrong with it. */
export function parseRelayHello(line: string): RelayHello | string {
  const value = parseJsonRecord(line);
  if (value === undefined) return "the hello is not a JSON object";
  if (value.relay !== RELAY_PROTOCOL) {
    return `the hello is not of relay protocol ${RELAY_PROTOCOL}`;
  }
  const { version, argv, env, cwd } = value;
  if (typeof version !== "string" || typeof cwd !== "string") {
    return "the hello lacks version or cwd";
  }
  if (!Array.isArray(argv) || !argv.every((arg) => typeof arg === "string")) {
    return "the hello's argv is not a list of strings";
  }
  if (!isStringRecord(env)) {
    return "the hello's env is not a map of strings";
  }
  return { relay: RELAY_PROTOCOL, version, argv, env, cwd };
}

/** Parses the daemon's reply line; `undefined` when it is not one. */
export function parseRelayReply(line: string): RelayReply | undefined {
  const value = parseJsonRecord(line);
  if (value === undefined) return undefined;
  if (value.ok === true && typeof value.session === "string") {
    return { ok: true, session: value.session };
  }
  if (value.ok === false && typeof value.reason === "string") {
    return { ok: false, reason: value.reason };
  }
  return undefined;
}
