/**
 * `hyperdb-mcp doctor`: diagnostics that start nothing and write nothing. It reads files and
 * asks the health ports who they are (an identified PING and a STATUS), and reports what a
 * server started with the same flags and environment would use: versions, hyperd, the
 * persistent database, the state directory, the daemon and the tool catalogue, plus warnings.
 *
 * @module
 */
import { readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { resolveHyperdPath } from "@hyperdb-ts/hyperdb-api";
import type { ServerConfig } from "../config/server-config.ts";
import type { DaemonInfo } from "../daemon/daemon-info.ts";
import { parseDaemonInfoJson } from "../daemon/daemon-info.ts";
import { daemonFilePath } from "../daemon/discovery-file.ts";
import { inspectPort } from "../daemon/health-client.ts";
import { resolveScanRange, scanPorts } from "../daemon/port-scan.ts";
import { errorMessage } from "../error-message.ts";
import { serverInstructions } from "../server/instructions.ts";
import { packageVersion } from "../server/package-info.ts";
import { README_TEXT, TOOL_SUMMARIES } from "../tools/readme-text.ts";

/** What a path points at. */
export interface PathReport {
  readonly path: string;
  readonly exists: boolean;
  readonly is_file: boolean;
  readonly is_directory: boolean;
}

/** How the daemon was found, if at all. */
export type DaemonState =
  | "not_used"
  | "missing"
  | "unreadable"
  | "malformed"
  | "parsed_unreachable"
  | "live_from_discovery"
  | "live_from_scan";

/** One warning of the report. */
export interface DoctorWarning {
  readonly code: string;
  readonly message: string;
}

/** The whole report (`doctor --json` prints it as is). */
export interface DoctorReport {
  readonly status: "ok" | "warnings" | "error";
  readonly installation: {
    readonly mcp_version: string;
    readonly node_version: string;
    readonly executable_path: string;
    readonly hyperd: { readonly path: string | null; readonly error: string | null };
  };
  readonly configuration: {
    readonly persistent_mode: "persistent_attached" | "ephemeral_only";
    readonly persistent_path_source: ServerConfig["persistentPathSource"];
    readonly resolved_persistent_path: PathReport | null;
    readonly resolved_persistent_parent: PathReport | null;
    readonly daemon_state_directory: PathReport;
    readonly daemon_discovery_file: PathReport;
    readonly daemon_ports: { readonly base: number; readonly span: number };
    readonly read_only: boolean;
    readonly no_daemon: boolean;
  };
  readonly daemon: {
    readonly state: DaemonState;
    readonly pid: number | null;
    readonly hyperd_endpoint: string | null;
    readonly health_port: number | null;
    readonly started_at: string | null;
    readonly version: string | null;
  };
  readonly tool_catalog: {
    readonly tool_count: number;
    readonly get_readme_bytes: number;
    readonly initialization_instructions_bytes: number;
  };
  readonly warnings: readonly DoctorWarning[];
}

/** Collects the report. Never starts a process and never writes a file. */
export async function collectDoctorReport(
  config: ServerConfig,
  env: Readonly<Record<string, string | undefined>>,
): Promise<DoctorReport> {
  const warnings: DoctorWarning[] = [];

  let hyperdPath: string | null = null;
  let hyperdError: string | null = null;
  try {
    hyperdPath = resolveHyperdPath({ env: { ...env } });
  } catch (error) {
    hyperdError = errorMessage(error);
    warnings.push({ code: "hyperd_not_found", message: hyperdError });
  }

  const persistent = config.persistentPath === null ? null : pathReport(config.persistentPath);
  const persistentParent = config.persistentPath === null ? null : pathReport(dirname(config.persistentPath));
  if (persistent?.exists && !persistent.is_file) {
    warnings.push({
      code: "persistent_path_not_a_file",
      message: `the persistent database path ${persistent.path} exists but is not a file`,
    });
  }

  const range = resolveScanRange(env);
  const daemon = config.noDaemon ? notUsedDaemon() : await findDaemon(config.stateDir, range, warnings);
  if (daemon.version !== null && daemon.version !== packageVersion()) {
    warnings.push({
      code: "daemon_client_version_mismatch",
      message: `the running daemon is version ${daemon.version}; this client is ${packageVersion()}. A newer client replaces an older daemon when it connects.`,
    });
  }

  const hasError = hyperdPath === null;
  return {
    status: hasError ? "error" : warnings.length > 0 ? "warnings" : "ok",
    installation: {
      mcp_version: packageVersion(),
      node_version: process.version,
      executable_path: process.argv[1] ?? "",
      hyperd: { path: hyperdPath, error: hyperdError },
    },
    configuration: {
      persistent_mode: config.persistentPath === null ? "ephemeral_only" : "persistent_attached",
      persistent_path_source: config.persistentPathSource,
      resolved_persistent_path: persistent,
      resolved_persistent_parent: persistentParent,
      daemon_state_directory: pathReport(config.stateDir),
      daemon_discovery_file: pathReport(daemonFilePath(config.stateDir)),
      daemon_ports: range,
      read_only: config.readOnly,
      no_daemon: config.noDaemon,
    },
    daemon,
    tool_catalog: {
      tool_count: TOOL_SUMMARIES.length,
      get_readme_bytes: Buffer.byteLength(README_TEXT, "utf8"),
      initialization_instructions_bytes: Buffer.byteLength(serverInstructions(config.readOnly), "utf8"),
    },
    warnings,
  };
}

/** The report as text sections for people. */
export function formatDoctorReport(report: DoctorReport): string {
  const yesNo = (value: boolean): string => (value ? "yes" : "no");
  const describePath = (path: PathReport | null): string =>
    path === null
      ? "(none)"
      : `${path.path} (${path.exists ? (path.is_file ? "file" : "folder") : "missing"})`;
  const { installation, configuration, daemon, tool_catalog } = report;
  const lines = [
    "Status",
    `  Overall: ${report.status}`,
    "",
    "Installation",
    `  hyperdb-mcp: ${installation.mcp_version}`,
    `  Node.js: ${installation.node_version}`,
    `  Executable: ${installation.executable_path}`,
    `  hyperd: ${installation.hyperd.path ?? `NOT FOUND (${installation.hyperd.error ?? ""})`}`,
    "",
    "Configuration",
    `  Persistent database: ${describePath(configuration.resolved_persistent_path)}${configuration.persistent_path_source === null ? "" : ` [from ${configuration.persistent_path_source}]`}`,
    `  Ephemeral only: ${yesNo(configuration.persistent_mode === "ephemeral_only")}`,
    `  Read-only: ${yesNo(configuration.read_only)}`,
    `  Shared daemon: ${configuration.no_daemon ? "no (--no-daemon: a private hyperd per server)" : "yes"}`,
    `  State directory: ${describePath(configuration.daemon_state_directory)}`,
    `  Daemon ports: ${configuration.daemon_ports.base}-${configuration.daemon_ports.base + configuration.daemon_ports.span - 1}`,
    "",
    "Daemon",
    `  State: ${daemon.state}`,
    ...(daemon.pid === null
      ? []
      : [
          `  PID: ${daemon.pid}`,
          `  Hyperd endpoint: ${daemon.hyperd_endpoint ?? ""}`,
          `  Health port: ${daemon.health_port ?? ""}`,
          `  Started: ${daemon.started_at ?? ""}`,
          `  Version: ${daemon.version ?? ""}`,
        ]),
    "",
    "Tool catalog",
    `  Tools: ${tool_catalog.tool_count}`,
    `  get_readme: ${tool_catalog.get_readme_bytes} bytes`,
    `  Instructions: ${tool_catalog.initialization_instructions_bytes} bytes`,
    "",
    "Warnings",
    ...(report.warnings.length === 0
      ? ["  (none)"]
      : report.warnings.map((warning) => `  [${warning.code}] ${warning.message}`)),
  ];
  return `${lines.join("\n")}\n`;
}

function notUsedDaemon(): DoctorReport["daemon"] {
  return {
    state: "not_used",
    pid: null,
    hyperd_endpoint: null,
    health_port: null,
    started_at: null,
    version: null,
  };
}

function daemonFields(state: DaemonState, info: DaemonInfo | null): DoctorReport["daemon"] {
  return {
    state,
    pid: info?.pid ?? null,
    hyperd_endpoint: info?.hyperd_endpoint ?? null,
    health_port: info?.health_port ?? null,
    started_at: info?.started_at ?? null,
    version: info?.version ?? null,
  };
}

async function findDaemon(
  stateDir: string,
  range: { base: number; span: number },
  warnings: DoctorWarning[],
): Promise<DoctorReport["daemon"]> {
  const file = daemonFilePath(stateDir);
  let text: string | null = null;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      warnings.push({ code: "daemon_discovery_unreadable", message: `${file}: ${String(error)}` });
      return daemonFields("unreadable", null);
    }
  }
  let fileState: DaemonState = "missing";
  if (text !== null) {
    const claimed = parseDaemonInfoJson(text);
    fileState = claimed === undefined ? "malformed" : "parsed_unreachable";
    if (claimed === undefined) {
      warnings.push({ code: "daemon_discovery_malformed", message: `${file} is not a valid daemon file` });
    } else {
      // A claim counts only after a fresh identified STATUS from the port it names.
      const inspection = await inspectPort(claimed.health_port);
      if (inspection.kind === "ours") {
        if (inspection.info.pid !== claimed.pid) {
          warnings.push({
            code: "daemon_discovery_stale_or_replaced",
            message: `${file} names pid ${claimed.pid}, but the daemon on port ${claimed.health_port} is pid ${inspection.info.pid}`,
          });
        }
        return daemonFields("live_from_discovery", inspection.info);
      }
      warnings.push({
        code: "daemon_discovery_candidate_unreachable",
        message: `${file} names port ${claimed.health_port}, where no daemon of ours answers; the next server start replaces it`,
      });
    }
  }
  const scan = await scanPorts(range);
  if (scan.kind === "ours") {
    return daemonFields("live_from_scan", scan.info);
  }
  if (scan.kind === "all-occupied") {
    warnings.push({
      code: "daemon_ports_occupied",
      message: `every port of ${range.base}-${range.base + range.span - 1} is taken by another program; servers fall back to a private hyperd (set HYPERDB_DAEMON_PORT to a free port)`,
    });
  }
  return daemonFields(fileState, null);
}

function pathReport(path: string): PathReport {
  try {
    const stats = statSync(path);
    return { path, exists: true, is_file: stats.isFile(), is_directory: stats.isDirectory() };
  } catch {
    return { path, exists: false, is_file: false, is_directory: false };
  }
}
