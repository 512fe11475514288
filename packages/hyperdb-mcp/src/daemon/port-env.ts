/**
 * The daemon's port settings as the environment gives them, with no dependency beyond
 * daemon-info.ts: the launcher reads them before anything else of the server is loaded.
 *
 * Our range starts at 7535 (not upstream's 7485) so that the two implementations' daemons do not
 * compete for the same ports.
 *
 * @module
 */
import { isPort } from "./daemon-info.ts";

/** First port of the default scan range. */
export const DEFAULT_BASE_PORT = 7535;

/** Number of ports in the default scan range. */
export const DEFAULT_SCAN_SPAN = 16;

/** Environment variable pinning the daemon to exactly one port. */
export const DAEMON_PORT_ENV = "HYPERDB_DAEMON_PORT";

/**
 * Environment variable moving the start of the scan range (span {@link DEFAULT_SCAN_SPAN});
 * ignored when {@link DAEMON_PORT_ENV} pins a port. Lets isolated runs (tests, a second user
 * setup) use their own range while keeping the multi-port scan and its dedup.
 */
export const DAEMON_BASE_PORT_ENV = "HYPERDB_DAEMON_BASE_PORT";

/** A port variable as set: its port, `undefined` when unset or empty, or the malformed text. */
export type PortSetting =
  | { readonly kind: "unset" }
  | { readonly kind: "port"; readonly port: number }
  | { readonly kind: "malformed"; readonly raw: string };

/** Reads the port variable `name` of `env`. */
export function readPortSetting(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): PortSetting {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") {
    return { kind: "unset" };
  }
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  return isPort(port) ? { kind: "port", port } : { kind: "malformed", raw };
}

/**
 * The base port (`pinned` when {@link DAEMON_PORT_ENV} gave it), or the variable that should
 * have given it and is malformed.
 */
export type BasePortSetting =
  | { readonly kind: "port"; readonly port: number; readonly pinned: boolean }
  | { readonly kind: "malformed"; readonly name: string; readonly raw: string };

/**
 * The port a daemon is started on first: `$HYPERDB_DAEMON_PORT` when set, else
 * `$HYPERDB_DAEMON_BASE_PORT`, else {@link DEFAULT_BASE_PORT}.
 */
export function basePortSetting(env: Readonly<Record<string, string | undefined>>): BasePortSetting {
  for (const name of [DAEMON_PORT_ENV, DAEMON_BASE_PORT_ENV]) {
    const setting = readPortSetting(env, name);
    if (setting.kind === "port")
      return { kind: "port", port: setting.port, pinned: name === DAEMON_PORT_ENV };
    if (setting.kind === "malformed") return { kind: "malformed", name, raw: setting.raw };
  }
  return { kind: "port", port: DEFAULT_BASE_PORT, pinned: false };
}
