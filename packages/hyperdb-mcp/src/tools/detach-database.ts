/**
 * The `detach_database` tool: forgets an attachment of the session. Detaching an alias that is
 * not attached is not an error (`detached: false`).
 *
 * @module
 */
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { lazy } from "./lazy-schema.ts";
import { registerTool } from "./register-tool.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** The `detach_database` arguments. */
export const detachDatabaseInputSchema = lazy(() =>
  z.object({
    alias: z.string().max(63).describe("Alias given to attach_database (any case)."),
  }),
);

/** The `detach_database` result. */
export const detachDatabaseOutputSchema = lazy(() => z.object({ alias: z.string(), detached: z.boolean() }));

/** Registers `detach_database` on `server`. */
export function registerDetachDatabaseTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "detach_database",
    {
      title: "Detach a database",
      description:
        "Detaches a database attached with attach_database. Its file is left as it is. Refused while watch_directory loads into it.",
      inputSchema: detachDatabaseInputSchema,
      outputSchema: detachDatabaseOutputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    (args) => runDetachDatabase(context, args.alias),
  );
}

/** Runs `detach_database`; exported for tests. */
export function runDetachDatabase(context: ToolContext, alias: string): CallToolResult {
  const user = context.databaseUsers?.(alias.toLowerCase());
  if (user !== undefined) {
    return toolError(
      "INVALID_ARGUMENT",
      `database '${alias.toLowerCase()}' is in use: ${user}`,
      "Stop that first (unwatch_directory), then detach.",
    );
  }
  const removed = context.engine.attachments.remove(alias);
  if (removed !== undefined) context.log(`detached ${removed.alias} (${removed.path})`);
  return toolResult({ alias, detached: removed !== undefined });
}
