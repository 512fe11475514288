/**
 * The daemon as the job of its whole process: what both ways of running it share, the daemon's
 * own entry (how clients spawn it) and the `hyperdb-mcp daemon` command (in the foreground).
 *
 * @module
 */
import { type RunDaemonOptions, runDaemon } from "./daemon-main.ts";

/** How long a stopped daemon's process may take to end by itself before it exits anyway. */
const EXIT_GUARD_MS = 500;

/** Runs the daemon with its log also on stderr and sets the process's exit code when it stops. */
export async function runDaemonProcess(options: Omit<RunDaemonOptions, "log">): Promise<void> {
  process.exitCode = await runDaemon({
    ...options,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  // Nothing should be left running, but a stray handle must not keep a stopped daemon alive.
  setTimeout(() => process.exit(), EXIT_GUARD_MS).unref();
}
