/**
 * The daemon's own process entry: `daemon-entry.js daemon [--port N] [--idle-timeout S]`.
 *
 * Front processes spawn the daemon as `<node> <entry> daemon --port N`, so this entry accepts
 * exactly that shape (the main CLI routes its `daemon` subcommand to the same
 * {@link runDaemonProcess}). It goes straight to the daemon, without the relay and the command line the
 * CLI's entry loads first, and turns on Node's compile cache before loading the daemon's code:
 * on a cold start hyperd is spawned only once that code has run. The state directory comes from
 * `HYPERDB_STATE_DIR` or the home directory, the port defaults to `HYPERDB_DAEMON_PORT` or the
 * base port.
 *
 * @module
 */
import { turnOnCompileCache } from "../compile-cache.ts";

// Before the daemon's modules are loaded, as the command's entry does.
turnOnCompileCache();

const [
  { errorMessage },
  { parseDaemonArgs },
  { DAEMON_EXIT_USAGE },
  { runDaemonProcess },
  { resolveBasePort },
  { resolveStateDir },
] = await Promise.all([
  import("../error-message.ts"),
  import("./daemon-args.ts"),
  import("./daemon-main.ts"),
  import("./daemon-process.ts"),
  import("./port-scan.ts"),
  import("./state-dir.ts"),
]);

const { homedir } = process.getBuiltinModule("node:os");

/** The daemon's settings from the command line and the environment; `undefined` after a usage error. */
function settingsOf(
  argv: readonly string[],
): { port: number; stateDir: string; idleTimeoutSec: number | null | undefined } | undefined {
  try {
    const args = parseDaemonArgs(argv);
    return {
      port: args.port ?? resolveBasePort(process.env),
      stateDir: resolveStateDir(process.env, homedir()),
      idleTimeoutSec: args.idleTimeoutSec,
    };
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n`);
    process.exitCode = DAEMON_EXIT_USAGE;
    return undefined;
  }
}

const settings = settingsOf(process.argv.slice(2));
if (settings !== undefined) {
  await runDaemonProcess({ ...settings, hyperdPath: process.env.HYPERD_PATH });
}
