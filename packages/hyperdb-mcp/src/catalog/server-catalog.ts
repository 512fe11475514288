/**
 * The table catalog of one server instance: created over the session's engine, fed by the
 * server's table-change bus, and recording the server's client in the rows it writes.
 *
 * @module
 */
import type { McpServer } from "@modelcontextprotocol/server";
import type { ToolContext } from "../tools/tool-context.ts";
import { clientLabel } from "./client-label.ts";
import { TableCatalog } from "./table-catalog.ts";

/** Creates the catalog of `server` and subscribes it to `context.events`. */
export function createServerCatalog(server: McpServer, context: ToolContext): TableCatalog {
  const catalog = new TableCatalog({
    engine: context.engine,
    readOnly: context.config.readOnly,
    log: context.log,
    client: () => clientLabel(server),
  });
  context.events.subscribe(catalog.onTableChange);
  return catalog;
}
