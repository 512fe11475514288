/**
 * The shared daemon: the daemon process itself ({@link runDaemon}), the client side that finds
 * or spawns it ({@link ensureDaemon}, `daemon status` / `daemon stop`), and their building
 * blocks — the health-port protocol (server and client), the `daemon.json` discovery file, the
 * state directory and health-port selection.
 *
 * @module
 */
export { type DaemonArgs, parseDaemonArgs } from "./daemon-args.ts";
export {
  checkDaemonInfo,
  type DaemonIdentity,
  type DaemonInfo,
  type DaemonInfoCheck,
  formatStartedAt,
  isDaemonInfo,
  isPort,
  parseDaemonInfoJson,
} from "./daemon-info.ts";
export { createDaemonLog, DAEMON_LOG_FILE_NAME, daemonLogDir, type LogLine } from "./daemon-log.ts";
export {
  DAEMON_EXIT_FAILURE,
  DAEMON_EXIT_OK,
  DAEMON_EXIT_USAGE,
  type RunDaemonOptions,
  runDaemon,
} from "./daemon-main.ts";
export { DaemonUnavailableError } from "./daemon-unavailable-error.ts";
export {
  DAEMON_FILE_NAME,
  daemonFilePath,
  ensureStateDir,
  type RemoveDaemonFileOptions,
  readDaemonFile,
  removeDaemonFile,
  toDaemonInfo,
  writeDaemonFile,
} from "./discovery-file.ts";
export {
  DAEMON_POLL_INTERVAL_MS,
  DAEMON_READY_TIMEOUT_MS,
  DAEMON_STOP_WAIT_MS,
  type DaemonCommandOptions,
  type DaemonCommandResult,
  daemonStatus,
  daemonStop,
  type EnsureDaemonOptions,
  ensureDaemon,
} from "./ensure-daemon.ts";
export {
  type HealthClientOptions,
  type HealthSession,
  inspectPort,
  isConnectionRefused,
  openHealthSession,
  type PortInspection,
  type PortStatus,
  PROBE_TIMEOUT_MS,
  type ProbeOptions,
  probePort,
  sendCommand,
} from "./health-client.ts";
export { HealthPortInUseError } from "./health-port-in-use-error.ts";
export {
  DAEMON_IDENTITY_TOKEN,
  formatPong,
  HealthCommand,
  type HealthCommandName,
  HealthReply,
  isOurPong,
  MAX_COMMAND_LINE_BYTES,
  type PongInfo,
  parseCommand,
  parsePong,
} from "./health-protocol.ts";
export {
  HEALTH_IDLE_TIMEOUT_MS,
  type HealthHandlers,
  type HealthServer,
  type HealthServerOptions,
  type LoopbackHost,
  startHealthServer,
} from "./health-server.ts";
export { IDLE_TIMEOUT_ENV, resolveIdleTimeoutSec } from "./idle-policy.ts";
export {
  type DaemonProbe,
  type LocateOptions,
  type LocateResult,
  locateDaemon,
  probeDaemon,
  scanForDaemon,
} from "./locate-daemon.ts";
export {
  DAEMON_BASE_PORT_ENV,
  DAEMON_PORT_ENV,
  DEFAULT_BASE_PORT,
  DEFAULT_SCAN_SPAN,
  type PortRange,
  resolveBasePort,
  resolveScanRange,
  type ScanOptions,
  type ScanResult,
  scanPorts,
} from "./port-scan.ts";
export { DEFAULT_STATE_DIR_NAME, resolveStateDir, STATE_DIR_ENV } from "./state-dir.ts";
