/**
 * Global setup of the integration tests that fails the run when it leaves processes behind:
 * servers (`node .test-dist/<pid>/hyperdb-mcp.js`, including the SDK's version-probe siblings and any
 * daemon they spawn), their hyperds and fake hyperds.
 *
 * Marking: setup puts {@link RUN_MARKER_ENV} (this run's id) into the environment before the
 * test workers start; tests hand their environment to the servers they spawn, the servers to
 * hyperd and to daemons. `/proc/<pid>/environ` keeps the environment a process was started
 * with, so a hyperd orphaned by a crashed server still carries the mark, while processes of
 * other, concurrent runs carry another id (or none). Processes that already ran at setup
 * (the run's shared hyperd from the hyperd global setup, torn down by that setup) are not
 * counted, nor are vitest's own workers.
 *
 * Teardown (which runs before the other setups' teardowns, as this setup is registered last)
 * waits a moment for processes that are still exiting, then names the survivors, kills them
 * (they are this run's), sets a failing exit code and throws. Needs `/proc` (Linux); elsewhere it only logs that it
 * could not check.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findProcesses } from "./processes.ts";

/** The environment variable that marks the processes of one test run. */
export const RUN_MARKER_ENV = "HYPERDB_MCP_TEST_RUN";

const PACKAGE_DIR = fileURLToPath(new URL("../../../", import.meta.url));

/** How long teardown waits for marked processes that are still on their way out. */
const EXIT_GRACE_MS = 5_000;

/** Live processes of this run started after setup, minus vitest's workers. */
function leftovers(marker: string, before: ReadonlySet<number>): { pid: number; commandLine: string }[] {
  const buildDir = `${join(PACKAGE_DIR, ".test-dist", String(process.pid))}/`;
  return findProcesses(({ pid, cmdline, environ }) => {
    if (before.has(pid)) return false;
    const commandLine = cmdline.join(" ");
    const runsOurBuild = commandLine.includes(buildDir);
    if (!runsOurBuild && !environ.includes(marker)) return false;
    return runsOurBuild || !/[/\\]vitest[/\\]/.test(commandLine);
  }).map(({ pid, cmdline }) => ({ pid, commandLine: cmdline.join(" ") }));
}

export default function setup(): () => Promise<void> {
  if (!existsSync("/proc/self/environ")) {
    return async () => {
      console.warn("leftover-processes: no /proc on this platform; leftover processes are not checked");
    };
  }
  const marker = `${RUN_MARKER_ENV}=${process.pid}`;
  process.env[RUN_MARKER_ENV] = String(process.pid);
  const before = new Set(findProcesses(() => true).map(({ pid }) => pid));

  return async () => {
    const deadline = Date.now() + EXIT_GRACE_MS;
    let left = leftovers(marker, before);
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = leftovers(marker, before);
    }
    if (left.length === 0) {
      return;
    }
    for (const { pid } of left) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Exited in the meantime.
      }
    }
    // vitest only logs an error thrown by a global teardown; the exit code is what fails CI.
    process.exitCode = 1;
    const list = left.map(({ pid, commandLine }) => `  pid ${pid}: ${commandLine}`).join("\n");
    throw new Error(
      `the integration tests left ${left.length} process(es) running ${EXIT_GRACE_MS} ms after the last test (now killed):\n${list}`,
    );
  };
}
