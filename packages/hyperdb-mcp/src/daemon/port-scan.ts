/**
 * Choosing the daemon's health port: which port range to look at and what the range holds.
 *
 * @module
 */
import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api/errors";
import { type DaemonInfo, isPort } from "./daemon-info.ts";
import { inspectPort, type PortInspection, type ProbeOptions } from "./health-client.ts";
import { basePortSetting, DAEMON_BASE_PORT_ENV, DEFAULT_SCAN_SPAN } from "./port-env.ts";

export { DAEMON_BASE_PORT_ENV, DAEMON_PORT_ENV, DEFAULT_BASE_PORT, DEFAULT_SCAN_SPAN } from "./port-env.ts";

/** A contiguous range of candidate ports, `base` to `base + span - 1`. */
export interface PortRange {
  readonly base: number;
  readonly span: number;
}

/**
 * The base port: `$HYPERDB_DAEMON_PORT` when set (non-empty), else `$HYPERDB_DAEMON_BASE_PORT`,
 * otherwise {@link DEFAULT_BASE_PORT}.
 *
 * @throws InvalidArgumentError when a variable is set but is not a port number in 1..65535.
 */
export function resolveBasePort(env: Readonly<Record<string, string | undefined>>): number {
  return validBasePort(env).port;
}

/**
 * The range to scan: just the pinned port (span 1) when `$HYPERDB_DAEMON_PORT` is set, otherwise
 * {@link DEFAULT_SCAN_SPAN} ports from {@link DEFAULT_BASE_PORT}.
 *
 * @throws InvalidArgumentError when the variable is malformed.
 */
export function resolveScanRange(env: Readonly<Record<string, string | undefined>>): PortRange {
  const { port: base, pinned } = validBasePort(env);
  if (pinned) {
    return { base, span: 1 };
  }
  if (!isPort(base + DEFAULT_SCAN_SPAN - 1)) {
    throw new InvalidArgumentError(
      `${DAEMON_BASE_PORT_ENV} leaves no room for ${DEFAULT_SCAN_SPAN} ports below 65536, got ${base}`,
    );
  }
  return { base, span: DEFAULT_SCAN_SPAN };
}

/** {@link basePortSetting}, throwing InvalidArgumentError for a malformed variable. */
function validBasePort(env: Readonly<Record<string, string | undefined>>): { port: number; pinned: boolean } {
  const setting = basePortSetting(env);
  if (setting.kind === "malformed") {
    throw new InvalidArgumentError(`${setting.name} must be a port number in 1..65535, got "${setting.raw}"`);
  }
  return setting;
}

/** Outcome of {@link scanPorts}. */
export type ScanResult =
  /** A daemon of ours answers on `port`: reuse it. */
  | { readonly kind: "ours"; readonly port: number; readonly info: DaemonInfo; readonly version: string }
  /** No daemon of ours; `port` is the lowest free port, where a new daemon should be spawned. */
  | { readonly kind: "free"; readonly port: number }
  /** Every port is taken by something that is not our daemon. */
  | { readonly kind: "all-occupied" };

/** Options of {@link scanPorts}. */
export interface ScanOptions extends PortRange, ProbeOptions {
  /** Port classifier; defaults to {@link inspectPort} (for tests). */
  readonly inspect?: (port: number, options: ProbeOptions) => Promise<PortInspection>;
}

/**
 * Looks at every port of the range (concurrently, so a range full of silent listeners costs one
 * probe timeout, not sixteen) and decides in port order: the lowest port with our daemon wins;
 * failing that the lowest free port is the spawn target; failing that `all-occupied`.
 *
 * To re-check only the ports below a daemon found at port `p` (cold-start dedup), scan
 * `{ base, span: p - base }`.
 *
 * @throws InvalidArgumentError when the range is empty or leaves 1..65535.
 */
export async function scanPorts(options: ScanOptions): Promise<ScanResult> {
  const { base, span } = options;
  if (!isPort(base) || !Number.isInteger(span) || span < 1 || !isPort(base + span - 1)) {
    throw new InvalidArgumentError(`invalid port range: base ${base}, span ${span}`);
  }
  const inspect = options.inspect ?? inspectPort;
  const probeOptions: ProbeOptions = {
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  const ports = Array.from({ length: span }, (_, index) => base + index);
  const inspections = await Promise.all(ports.map((port) => inspect(port, probeOptions)));
  const ours = inspections.find((inspection) => inspection.kind === "ours");
  if (ours !== undefined) {
    return { kind: "ours", port: ours.port, info: ours.info, version: ours.version };
  }
  const free = inspections.find((inspection) => inspection.kind === "free");
  if (free !== undefined) {
    return { kind: "free", port: free.port };
  }
  return { kind: "all-occupied" };
}
