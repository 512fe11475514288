/**
 * The daemon's log: timestamped lines appended to `<stateDir>/logs/hyperdb-mcp-daemon.log`
 * (and, in the foreground, to an extra sink such as stderr).
 *
 * A detached daemon has no terminal, so the file is the only place its decisions (restarts,
 * watchdog verdicts, shutdown reasons) can be read afterwards. Writes are synchronous appends:
 * the volume is a few lines per event, and a line written just before `process.exit` is not lost.
 *
 * @module
 */
import { join } from "node:path";

// Not `import … from "node:fs"`: that builds an ES module facade of the whole fs module, which
// loads fs streams too, a few milliseconds of the daemon's start before it can start hyperd.
const { appendFileSync, mkdirSync } = process.getBuiltinModule("node:fs");

/** File name of the daemon log inside `<stateDir>/logs`. */
export const DAEMON_LOG_FILE_NAME = "hyperdb-mcp-daemon.log";

/** Directory of the daemon log and of its hyperd's logs. */
export function daemonLogDir(stateDir: string): string {
  return join(stateDir, "logs");
}

/** A line logger. */
export type LogLine = (line: string) => void;

/**
 * Creates the daemon logger. Each line is prefixed with an ISO timestamp and the daemon pid.
 * A failing write (disk full, directory removed) never throws into the daemon.
 */
export function createDaemonLog(stateDir: string, extraSink?: LogLine): LogLine {
  const dir = daemonLogDir(stateDir);
  const file = join(dir, DAEMON_LOG_FILE_NAME);
  let dirReady = false;
  return (line: string) => {
    const stamped = `${new Date().toISOString()} [daemon ${process.pid}] ${line}\n`;
    try {
      if (!dirReady) {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        dirReady = true;
      }
      appendFileSync(file, stamped, { mode: 0o600 });
    } catch {
      // Logging must never take the daemon down.
    }
    extraSink?.(stamped.trimEnd());
  };
}
