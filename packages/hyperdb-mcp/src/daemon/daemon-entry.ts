/**
 * A minimal process entry for the daemon: `daemon-entry.js daemon [--port N] [--idle-timeout S]`.
 *
 * Front processes spawn the daemon as `<node> <entry> daemon --port N`, so this entry accepts
 * exactly that shape (the main CLI routes its `daemon` subcommand to the same
 * {@link runDaemon}). The state directory comes from `HYPERDB_STATE_DIR` or the home directory,
 * the port defaults to `HYPERDB_DAEMON_PORT` or the base port.
 *
 * @module
 */
import { homedir } from "node:os";
import { errorMessage } from "../error-message.ts";
import { parseDaemonArgs } from "./daemon-args.ts";
import { DAEMON_EXIT_USAGE, runDaemon } from "./daemon-main.ts";
import { resolveBasePort } from "./port-scan.ts";
import { resolveStateDir } from "./state-dir.ts";

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
