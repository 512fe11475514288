/**
 * Builds the MCP server: an `McpServer` named `hyperdb-mcp` with this package's version and the
 * tools registered on it. Creating it starts nothing; the engine starts on the first SQL tool
 * call.
 *
 * @module
 */
import { McpServer } from "@modelcontextprotocol/server";
import { createServerCatalog } from "../catalog/server-catalog.ts";
import type { ServerConfig } from "../config/server-config.ts";
import type { Engine } from "../engine/engine.ts";
import { registerPrompts } from "../prompts/register-prompts.ts";
import { registerResources } from "../resources/register-resources.ts";
import { registerAttachDatabaseTool } from "../tools/attach-database.ts";
import { registerChartTool } from "../tools/chart.ts";
import { registerCopyQueryTool } from "../tools/copy-query.ts";
import { registerDescribeTool } from "../tools/describe.ts";
import { registerDetachDatabaseTool } from "../tools/detach-database.ts";
import { registerExecuteTool } from "../tools/execute.ts";
import { registerExportTool } from "../tools/export.ts";
import { registerGetReadmeTool } from "../tools/get-readme.ts";
import { registerKvTools } from "../tools/kv-tools.ts";
import { registerListAttachedDatabasesTool } from "../tools/list-attached-databases.ts";
import { registerLoadIcebergTool } from "../tools/load-iceberg.ts";
import { registerQueryTool } from "../tools/query.ts";
import { registerIngestTools } from "../tools/register-ingest-tools.ts";
import { registerSavedQueryTools } from "../tools/register-saved-query-tools.ts";
import { registerWatchTools } from "../tools/register-watch-tools.ts";
import { registerSampleTool } from "../tools/sample.ts";
import { registerSetTableMetadataTool } from "../tools/set-table-metadata.ts";
import { registerStatusTool } from "../tools/status.ts";
import type { ToolContext } from "../tools/tool-context.ts";
import { WatcherRegistry } from "../watch/watcher-registry.ts";
import { serverInstructions } from "./instructions.ts";
import { logToStderr } from "./log-to-stderr.ts";
import { MCP_SERVER_NAME, packageVersion } from "./package-info.ts";
import { TableEvents } from "./table-events.ts";

export { logToStderr } from "./log-to-stderr.ts";

/** Options of {@link createServer}. */
export interface CreateServerOptions {
  /** The engine SQL tools run on. */
  readonly engine: Engine;
  /** Flags and environment as resolved at start-up. */
  readonly config: ServerConfig;
  /** Diagnostic output; defaults to stderr. */
  readonly log?: ((line: string) => void) | undefined;
  /** Set when the daemon hosts the session for a stdio relay. */
  readonly hosted?: boolean | undefined;
}

/** Creates the server with every tool registered. */
export function createServer(options: CreateServerOptions): McpServer {
  const version = packageVersion();
  const server = new McpServer(
    { name: MCP_SERVER_NAME, version },
    {
      instructions: serverInstructions(options.config.readOnly),
      capabilities: { logging: {} },
    },
  );
  const writeLine = options.log ?? logToStderr;
  // Diagnostics go to stderr, and to the client as MCP log messages when it is connected
  // (best effort: clients of protocol eras without logging simply do not get them).
  const log = (line: string): void => {
    writeLine(line);
    if (server.isConnected()) {
      server
        .sendLoggingMessage({ level: "info", logger: MCP_SERVER_NAME, data: line })
        .catch(() => undefined);
    }
  };
  const watchers = new WatcherRegistry();
  const context: ToolContext = {
    engine: options.engine,
    config: options.config,
    version,
    log,
    events: new TableEvents(log),
    watchers,
    hosted: options.hosted === true,
    databaseUsers: (alias) => watchers.userOf(alias),
  };
  registerStatusTool(server, context);
  registerQueryTool(server, context);
  registerDescribeTool(server, context);
  registerSampleTool(server, context);
  registerChartTool(server, context);
  registerExecuteTool(server, context);
  registerGetReadmeTool(server);
  registerIngestTools(server, context);
  registerAttachDatabaseTool(server, context);
  registerDetachDatabaseTool(server, context);
  registerListAttachedDatabasesTool(server, context);
  registerKvTools(server, context);
  registerExportTool(server, context);
  registerCopyQueryTool(server, context);
  registerLoadIcebergTool(server, context);
  registerSavedQueryTools(server, context, registerResources(server, context));
  registerPrompts(server, context);
  registerSetTableMetadataTool(server, context, createServerCatalog(server, context));
  registerWatchTools(server, context, watchers);
  return server;
}
