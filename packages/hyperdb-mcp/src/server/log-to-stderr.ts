/**
 * The server's diagnostic output: stderr, one prefixed line per message (stdout belongs to the
 * protocol).
 *
 * @module
 */
import { MCP_SERVER_NAME } from "./package-info.ts";

/** Writes one line to stderr, prefixed with the server name. */
export function logToStderr(line: string): void {
  process.stderr.write(`${MCP_SERVER_NAME}: ${line}\n`);
}
