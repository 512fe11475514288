/**
 * Registers the data-ingest tools in one call, so the server factory needs a single line for
 * them: `load_data`, `load_file`, `load_files`, `inspect_file`, `query_data`, `query_file`.
 *
 * @module
 */
import type { McpServer } from "@modelcontextprotocol/server";
import { registerInspectFileTool } from "./inspect-file.ts";
import { registerLoadDataTool } from "./load-data.ts";
import { registerLoadFileTool } from "./load-file.ts";
import { registerLoadFilesTool } from "./load-files.ts";
import { registerQueryDataTool } from "./query-data.ts";
import { registerQueryFileTool } from "./query-file.ts";
import type { ToolContext } from "./tool-context.ts";

/** Registers every ingest tool on `server`. */
export function registerIngestTools(server: McpServer, context: ToolContext): void {
  registerLoadDataTool(server, context);
  registerLoadFileTool(server, context);
  registerLoadFilesTool(server, context);
  registerInspectFileTool(server, context);
  registerQueryDataTool(server, context);
  registerQueryFileTool(server, context);
}
