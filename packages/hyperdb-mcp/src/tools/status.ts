/**
 * The `status` tool: health and identity of this server. It never starts the engine and never
 * waits for it, so it answers instantly, also before the first SQL call
 * (`engine.engine_started: false`).
 *
 * @module
 */
import type { McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { MCP_SERVER_NAME } from "../server/package-info.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolResult } from "./tool-result.ts";

/** The `status` result. */
export const statusOutputSchema = z.object({
  server: z.object({ name: z.string(), version: z.string() }),
  mcp_version: z.string(),
  engine: z.object({
    mode: z.literal("local"),
    engine_started: z.boolean(),
    hyperd_running: z.boolean(),
    hyperd_pid: z.number().int().nullable(),
    hyperd_endpoint: z.string().nullable(),
    daemon_health_port: z.null(),
  }),
  ephemeral_path: z.string().nullable(),
  logs: z.object({ hyperd_log: z.string().nullable() }),
  default_database: z.literal("local"),
  read_only: z.boolean(),
  engine_busy: z.boolean(),
});

/** The `status` result as a type. */
export type StatusOutput = z.infer<typeof statusOutputSchema>;

/** Builds the status payload from the engine's snapshot. */
export function buildStatus(context: ToolContext): StatusOutput {
  const snapshot = context.engine.snapshot();
  return {
    server: { name: MCP_SERVER_NAME, version: context.version },
    mcp_version: context.version,
    engine: {
      mode: "local",
      engine_started: snapshot.started,
      hyperd_running: snapshot.hyperdRunning,
      hyperd_pid: snapshot.hyperdPid,
      hyperd_endpoint: snapshot.hyperdEndpoint,
      daemon_health_port: null,
    },
    ephemeral_path: snapshot.scratchPath,
    logs: { hyperd_log: snapshot.hyperdLog },
    default_database: "local",
    read_only: false,
    engine_busy: false,
  };
}

/** Registers `status` on `server`. */
export function registerStatusTool(server: McpServer, context: ToolContext): void {
  server.registerTool(
    "status",
    {
      title: "Server status",
      description:
        "Health and identity of the hyperdb-mcp server: version, whether the Hyper engine (hyperd) has been started and is running, its process id and endpoint, and the scratch database path. Never starts the engine; answers instantly.",
      inputSchema: z.object({}),
      outputSchema: statusOutputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    () => toolResult(buildStatus(context)),
  );
}
