/**
 * The `status` tool: health and identity of this server. It never starts the engine and never
 * waits for it (it reads the engine's last known state; no SQL), so it answers instantly, also
 * while other calls run long queries and before the first SQL call (`engine.started: false`).
 *
 * @module
 */

import type { McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { MCP_SERVER_NAME } from "../server/package-info.ts";
import { describeAttachment } from "./attach-database.ts";
import { lazy } from "./lazy-schema.ts";
import { registerTool } from "./register-tool.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolResult } from "./tool-result.ts";

/** The `status` result. */
export const statusOutputSchema = lazy(() =>
  z.object({
    server: z.object({ name: z.string(), version: z.string() }),
    mcp_version: z.string(),
    hyperd_running: z.boolean(),
    engine: z.object({
      mode: z.enum(["local", "daemon"]),
      started: z.boolean(),
      hyperd_pid: z.number().int().nullable(),
      hyperd_endpoint: z.string().nullable(),
      daemon_health_port: z.number().int().nullable(),
      connections_open: z.number().int(),
      connections_in_use: z.number().int(),
      session_host: z.enum(["process", "daemon"]),
      server_pid: z.number().int(),
    }),
    ephemeral_path: z.string().nullable(),
    persistent_path: z.string().nullable(),
    has_persistent: z.boolean(),
    logs: z.object({ log_dir: z.string().nullable() }),
    default_database: z.literal("local"),
    read_only: z.boolean(),
    engine_busy: z.boolean(),
    attachments: z.array(z.unknown()),
    watchers: z.array(z.unknown()),
  }),
);

/** The `status` result as a type. */
export type StatusOutput = z.infer<ReturnType<typeof statusOutputSchema>>;

/** Builds the status payload from the engine's snapshot. */
export function buildStatus(context: ToolContext): StatusOutput {
  const snapshot = context.engine.snapshot();
  return {
    server: { name: MCP_SERVER_NAME, version: context.version },
    mcp_version: context.version,
    hyperd_running: snapshot.hyperdRunning,
    engine: {
      mode: snapshot.mode,
      started: snapshot.started,
      hyperd_pid: snapshot.hyperdPid,
      hyperd_endpoint: snapshot.hyperdEndpoint,
      daemon_health_port: snapshot.daemonHealthPort,
      connections_open: snapshot.connections.open,
      connections_in_use: snapshot.connections.inUse,
      session_host: context.hosted === true ? "daemon" : "process",
      server_pid: process.pid,
    },
    ephemeral_path: snapshot.localPath,
    persistent_path: snapshot.persistentPath,
    has_persistent: snapshot.persistentPath !== null,
    logs: { log_dir: snapshot.hyperdLogDir },
    default_database: "local",
    read_only: context.config.readOnly,
    // Calls never wait for each other (each borrows its own connection), so the engine is
    // never "busy" in the reference server's sense.
    engine_busy: false,
    attachments: context.engine.attachments.list().map((attachment) => ({
      ...describeAttachment(attachment),
      attached_at: attachment.attachedAt,
    })),
    watchers: context.watchers?.snapshot() ?? [],
  };
}

/** Registers `status` on `server`. */
export function registerStatusTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "status",
    {
      title: "Server status",
      description:
        "Health and identity of the hyperdb-mcp server: version, engine mode (shared daemon or private hyperd), whether hyperd runs, its endpoint, the local and persistent database paths and open connections. Never starts the engine and never waits for running queries.",
      inputSchema: () => z.object({}),
      outputSchema: statusOutputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    () => toolResult(buildStatus(context)),
  );
}
