/**
 * Building blocks of the shared daemon: the health-port protocol (server and client), the
 * `daemon.json` discovery file, the state directory and health-port selection.
 *
 * @module
 */
export {
  checkDaemonInfo,
  type DaemonIdentity,
  type DaemonInfo,
  type DaemonInfoCheck,
  formatStartedAt,
  isDaemonInfo,
  isPort,
  parseDaemonInfoJson,
  toDaemonInfo,
} from "./daemon-info.ts";
export {
  DAEMON_FILE_NAME,
  daemonFilePath,
  ensureStateDir,
  type RemoveDaemonFileOptions,
  readDaemonFile,
  removeDaemonFile,
  writeDaemonFile,
} from "./discovery-file.ts";
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
export {
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
