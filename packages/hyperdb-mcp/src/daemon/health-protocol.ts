/**
 * The health-port line protocol spoken between a front process and the shared daemon.
 *
 * Each command is one `\n`-terminated ASCII line and gets exactly one reply line. Our daemon
 * identifies itself with its own token, {@link DAEMON_IDENTITY_TOKEN}, so that it never mistakes
 * the upstream Rust daemon (token `hyperdb-mcp`) for itself, and vice versa.
 *
 * @module
 */

/** The identity token in every PONG of this implementation's daemon. */
export const DAEMON_IDENTITY_TOKEN = "hyperdb-ts-mcp";

/** The commands a health server understands. */
export const HealthCommand = {
  /** Identity and liveness check; answered with a PONG. */
  ping: "PING",
  /** Current {@link DaemonInfo} as one line of JSON. */
  status: "STATUS",
  /** Resets the daemon's idle timer; answered with `OK`. */
  heartbeat: "HEARTBEAT",
  /** Asks the daemon to shut down; answered with `STOPPING`. */
  stop: "STOP",
  /** Tells the daemon its hyperd seems broken and should be restarted; answered with `OK`. */
  reportHyperdError: "REPORT_HYPERD_ERROR",
} as const;

/** One of the {@link HealthCommand} strings. */
export type HealthCommandName = (typeof HealthCommand)[keyof typeof HealthCommand];

/** Fixed reply lines (the PONG and STATUS replies are built per call). */
export const HealthReply = {
  ok: "OK",
  stopping: "STOPPING",
  unknownCommand: "ERR unknown command",
  /** Sent when a handler failed; not part of the upstream contract, clients treat it as an error. */
  internalError: "ERR internal error",
  /** Sent (then the connection is closed) when a command line exceeds {@link MAX_COMMAND_LINE_BYTES}. */
  lineTooLong: "ERR line too long",
} as const;

/** The longest command line a server accepts before giving up on the connection. */
export const MAX_COMMAND_LINE_BYTES = 1024;

const commandNames: ReadonlySet<string> = new Set(Object.values(HealthCommand));

/**
 * The command named by one received line, or `undefined` when it is not a known command.
 * Surrounding whitespace (including a trailing `\r`) is ignored; matching is case-sensitive.
 */
export function parseCommand(line: string): HealthCommandName | undefined {
  const trimmed = line.trim();
  return commandNames.has(trimmed) ? (trimmed as HealthCommandName) : undefined;
}

/** The PONG line a daemon of the given version sends: `PONG hyperdb-ts-mcp <version>`. */
export function formatPong(version: string): string {
  return `PONG ${DAEMON_IDENTITY_TOKEN} ${version}`;
}

/** What an identified PONG says about the daemon. */
export interface PongInfo {
  /** The daemon's version, or `""` when the PONG carried no third token. */
  readonly version: string;
}

/**
 * Parses a PONG line, returning `undefined` unless its first two whitespace-separated tokens are
 * exactly `PONG` and {@link DAEMON_IDENTITY_TOKEN}. A prefix match is deliberately not enough:
 * `PONG hyperdb-ts-mcpEVIL` and the upstream `PONG hyperdb-mcp 0.7.3` are both rejected.
 */
export function parsePong(line: string): PongInfo | undefined {
  const tokens = line.trim().split(/\s+/);
  if (tokens[0] !== "PONG" || tokens[1] !== DAEMON_IDENTITY_TOKEN) {
    return undefined;
  }
  return { version: tokens[2] ?? "" };
}

/** Whether `line` is a PONG from a daemon of this implementation (see {@link parsePong}). */
export function isOurPong(line: string): boolean {
  return parsePong(line) !== undefined;
}
