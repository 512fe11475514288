/**
 * The description of a running daemon: what `daemon.json` holds and what `STATUS` replies.
 *
 * Field names are snake_case because they are a wire/file format shared by every front process.
 *
 * @module
 */
import { isRecord, parseJsonRecord } from "../json-record.ts";
import { DAEMON_IDENTITY_TOKEN } from "./health-protocol.ts";

/** Who wrote a {@link DaemonInfo}: always this implementation, never the upstream daemon. */
export interface DaemonIdentity {
  /** Always {@link DAEMON_IDENTITY_TOKEN}. */
  readonly token: typeof DAEMON_IDENTITY_TOKEN;
  /** The state directory the daemon publishes its `daemon.json` in. */
  readonly state_dir: string;
}

/** A running daemon, as published in `daemon.json` and returned by `STATUS`. */
export interface DaemonInfo {
  /** Process id of the daemon. */
  readonly pid: number;
  /** Where its hyperd listens, `"127.0.0.1:<port>"`; changes after a hyperd restart. */
  readonly hyperd_endpoint: string;
  /** The loopback TCP port of its health server. */
  readonly health_port: number;
  /** When the daemon started, RFC 3339 in UTC (e.g. `2026-01-02T03:04:05.678Z`). */
  readonly started_at: string;
  /** The daemon's package version (semver). */
  readonly version: string;
  readonly identity: DaemonIdentity;
  /**
   * The Unix socket where the daemon hosts MCP sessions for the stdio relay (see
   * session-host.ts); absent where it hosts none (Windows, or a daemon of an older version).
   */
  readonly session_socket?: string;
}

/** Outcome of {@link checkDaemonInfo}. */
export type DaemonInfoCheck =
  | { readonly ok: true; readonly info: DaemonInfo }
  | { readonly ok: false; readonly reason: string };

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_PID = 0xffff_ffff;

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

/**
 * Validates an untrusted value (parsed JSON) as a {@link DaemonInfo}. On success the returned
 * `info` is a fresh object holding only the known fields; unknown extra fields are dropped.
 */
export function checkDaemonInfo(value: unknown): DaemonInfoCheck {
  if (!isRecord(value)) {
    return { ok: false, reason: "not a JSON object" };
  }
  const { pid, hyperd_endpoint, health_port, started_at, version, identity, session_socket } = value;
  if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0 || pid > MAX_PID) {
    return { ok: false, reason: "pid must be a positive 32-bit integer" };
  }
  if (!nonEmptyString(hyperd_endpoint)) {
    return { ok: false, reason: "hyperd_endpoint must be a non-empty string" };
  }
  if (typeof health_port !== "number" || !isPort(health_port)) {
    return { ok: false, reason: "health_port must be an integer in 1..65535" };
  }
  if (!nonEmptyString(started_at) || !RFC3339.test(started_at) || Number.isNaN(Date.parse(started_at))) {
    return { ok: false, reason: "started_at must be an RFC 3339 timestamp" };
  }
  if (!nonEmptyString(version)) {
    return { ok: false, reason: "version must be a non-empty string" };
  }
  if (!isRecord(identity)) {
    return { ok: false, reason: "identity must be an object" };
  }
  if (identity.token !== DAEMON_IDENTITY_TOKEN) {
    return { ok: false, reason: `identity.token must be "${DAEMON_IDENTITY_TOKEN}"` };
  }
  if (!nonEmptyString(identity.state_dir)) {
    return { ok: false, reason: "identity.state_dir must be a non-empty string" };
  }
  if (session_socket !== undefined && !nonEmptyString(session_socket)) {
    return { ok: false, reason: "session_socket must be a non-empty string when present" };
  }
  return {
    ok: true,
    info: {
      pid,
      hyperd_endpoint,
      health_port,
      started_at,
      version,
      identity: { token: DAEMON_IDENTITY_TOKEN, state_dir: identity.state_dir },
      ...(session_socket === undefined ? {} : { session_socket }),
    },
  };
}

/** Whether `value` is a valid {@link DaemonInfo}. */
export function isDaemonInfo(value: unknown): value is DaemonInfo {
  return checkDaemonInfo(value).ok;
}

/** Parses one line/file of JSON as a {@link DaemonInfo}; `undefined` when malformed. */
export function parseDaemonInfoJson(text: string): DaemonInfo | undefined {
  const parsed = parseJsonRecord(text);
  const check = parsed === undefined ? undefined : checkDaemonInfo(parsed);
  return check?.ok === true ? check.info : undefined;
}

/** A timestamp in the RFC 3339 UTC form used by `started_at`. */
export function formatStartedAt(date: Date = new Date()): string {
  return date.toISOString();
}

/** Whether `value` is a usable TCP port number (1..65535). */
export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65_535;
}
