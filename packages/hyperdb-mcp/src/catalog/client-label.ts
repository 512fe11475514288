/**
 * The connected client as the table catalog records it in `created_by` and `last_modified_by`:
 * `"<name> <version>"` from the client's `initialize`, or `"unknown"` before that (or for a
 * client that never sent one).
 *
 * @module
 */
import type { McpServer } from "@modelcontextprotocol/server";

/** The label of `server`'s client. */
export function clientLabel(server: McpServer): string {
  const info = server.server.getClientVersion();
  return info === undefined ? "unknown" : `${info.name} ${info.version}`.trim();
}
