/**
 * Runs the stdio server in this process on given streams: what the relay falls back to when the
 * daemon hosting its session goes away.
 *
 * @module
 */
import type { Readable, Writable } from "node:stream";
import { parseArgs } from "../cli/parse-args.ts";
import { processEnvironment, resolveServerConfig } from "../config/resolve-config.ts";
import { runStdioServer } from "../server/run-stdio.ts";

/** Starts the server for the command line `argv`, reading `input` and writing `output`. */
export async function serveInProcess(
  argv: readonly string[],
  input: Readable,
  output: Writable,
): Promise<void> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    throw new Error(parsed.message);
  }
  await runStdioServer(resolveServerConfig(parsed.flags, processEnvironment()), { input, output });
}
