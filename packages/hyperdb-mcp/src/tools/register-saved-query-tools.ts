/**
 * Registers the saved-query tools (`save_query`, `delete_query`); they report their changes to
 * the session's resource notifications.
 *
 * @module
 */
import type { McpServer } from "@modelcontextprotocol/server";
import type { SavedQueryEvents } from "../resources/resource-notifier.ts";
import { registerDeleteQueryTool } from "./delete-query.ts";
import { registerSaveQueryTool } from "./save-query.ts";
import type { ToolContext } from "./tool-context.ts";

/** Registers `save_query` and `delete_query` on `server`. */
export function registerSavedQueryTools(
  server: McpServer,
  context: ToolContext,
  events: SavedQueryEvents,
): void {
  registerSaveQueryTool(server, context, events);
  registerDeleteQueryTool(server, context, events);
}
