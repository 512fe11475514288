/**
 * The daemon's own process entry: `daemon-entry.js daemon [--port N] [--idle-timeout S]`.
 *
 * Front processes spawn the daemon as `<node> <entry> daemon --port N`, so this entry accepts
 * exactly that shape (the main CLI routes its `daemon` subcommand to the same
 * {@link runDaemon}). It goes straight to the daemon, without the relay and the command line the
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
  { DAEMON_EXIT_USAGE, runDaemon },
  { resolveBasePort },
  { resolveStateDir },
] = await Promise.all([
  import("../error-message.ts"),
  import("./daemon-args.ts"),
  import("./daemon-main.ts"),
  import("./port-scan.ts"),
  import("./state-dir.ts"),
]);

const { homedir } = process.getBuiltinModule("node:os");

function writeStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseDaemonArgs>;
  let port: number;
  let stateDir: string;
  try {
    args = parseDaemonArgs(process.argv.slice(2));
    port = args.port ?? resolveBasePort(process.env);
    stateDir = resolveStateDir(process.env, homedir());
  } catch (error) {
    writeStderr(errorMessage(error));
    return DAEMON_EXIT_USAGE;
  }
  return await runDaemon({
    port,
    stateDir,
    idleTimeoutSec: args.idleTimeoutSec,
    hyperdPath: process.env.HYPERD_PATH,
    log: writeStderr,
  });
}

process.exitCode = await main();
// Nothing should be left running, but a stray handle must not keep a stopped daemon alive.
setTimeout(() => process.exit(), 500).unref();
