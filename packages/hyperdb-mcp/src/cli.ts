#!/usr/bin/env node
import { defaultTestConfig } from "./config/server-config.ts";
/**
 * The `hyperdb-mcp` command.
 *
 * - no arguments (or `--no-daemon`, currently the only engine mode): serve MCP over stdio;
 * - `--help` / `-h`: usage on stdout, exit 0;
 * - `--version` / `-V`: the version on stdout, exit 0;
 * - anything else: usage on stderr, exit 2.
 *
 * @module
 */
import { packageVersion } from "./server/package-info.ts";
import { runStdioServer } from "./server/run-stdio.ts";

const USAGE = `Usage: hyperdb-mcp [options]

Starts the hyperdb-mcp Model Context Protocol server on stdio (stdin/stdout).
A private Hyper engine (hyperd) starts on the first SQL tool call and stops with the server.

Options:
  --no-daemon    use a private hyperd owned by this process (the default for now)
  -h, --help     print this help and exit
  -V, --version  print the version and exit

Environment:
  HYPERD_PATH    the hyperd binary or the folder that holds it
`;

function main(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === "--help" || arg === "-h") {
      process.stdout.write(USAGE);
      return;
    }
    if (arg === "--version" || arg === "-V") {
      process.stdout.write(`${packageVersion()}\n`);
      return;
    }
  }
  const unknown = argv.filter((arg) => arg !== "--no-daemon");
  if (unknown.length > 0) {
    process.stderr.write(`hyperdb-mcp: unknown argument '${unknown[0]}'\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  runStdioServer(defaultTestConfig()).catch((error: unknown) => {
    process.stderr.write(
      `hyperdb-mcp: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}

main(process.argv.slice(2));
