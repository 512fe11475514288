/**
 * The `list_attached_databases` tool: the session's attachments with their table counts
 * (`tables_visible` is null for a file that can no longer be attached).
 *
 * @module
 */
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { attachForCall, detachAfterCall } from "../engine/attach-for-call.ts";
import { attachmentSchema, countUserTables, describeAttachment } from "./attach-database.ts";
import { lazy } from "./lazy-schema.ts";
import { registerTool } from "./register-tool.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolResult } from "./tool-result.ts";

/** The `list_attached_databases` result. */
export const listAttachedOutputSchema = lazy(() =>
  z.object({
    attachments: z.array(attachmentSchema().extend({ attached_at: z.string() })),
  }),
);

/** Registers `list_attached_databases` on `server`. */
export function registerListAttachedDatabasesTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "list_attached_databases",
    {
      title: "List attached databases",
      description:
        "Lists the databases attached with attach_database in this session: alias, file, writable, when it was attached and how many tables it has. The local and persistent databases are not listed (see status).",
      inputSchema: () => z.object({}),
      outputSchema: listAttachedOutputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    () => runListAttachedDatabases(context),
  );
}

/** Runs `list_attached_databases`; exported for tests. */
export async function runListAttachedDatabases(context: ToolContext): Promise<CallToolResult> {
  const attachments = context.engine.attachments.list();
  const counts = new Map<string, number>();
  if (attachments.length > 0) {
    await context.engine
      .use(async (connection) => {
        for (const attachment of attachments) {
          try {
            await attachForCall(connection, {
              alias: attachment.alias,
              path: attachment.path,
              readOnly: true,
            });
          } catch {
            continue; // the file went away or is locked: reported as null
          }
          try {
            counts.set(attachment.alias, await countUserTables(connection, attachment.alias));
          } finally {
            await detachAfterCall(connection, attachment.alias);
          }
        }
      })
      .catch(() => undefined);
  }
  return toolResult({
    attachments: attachments.map((attachment) => ({
      ...describeAttachment(attachment),
      attached_at: attachment.attachedAt,
      tables_visible: counts.get(attachment.alias) ?? null,
    })),
  });
}
