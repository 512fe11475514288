/**
 * The `delete_query` tool: removes a saved query. An unknown name is not an error
 * (`deleted: false`). Refused under `--read-only`. Deleting an existing query updates its two
 * resources and changes the resource list.
 *
 * @module
 */

import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import type { SavedQueryEvents } from "../resources/resource-notifier.ts";
import { savedQueryStoreFor } from "../saved-queries/saved-query-store-for.ts";
import { lazy } from "./lazy-schema.ts";
import { errorResult } from "./map-error.ts";
import { readOnlyViolation } from "./read-only-guard.ts";
import { registerTool } from "./register-tool.ts";
import { MAX_QUERY_NAME_BYTES } from "./save-query.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolResult } from "./tool-result.ts";

/** The `delete_query` arguments. */
export const deleteQueryInputSchema = lazy(() =>
  z.object({
    name: z.string().max(MAX_QUERY_NAME_BYTES).describe("Name of the saved query to delete."),
  }),
);

/** The `delete_query` result. */
export const deleteQueryOutputSchema = lazy(() => z.object({ deleted: z.boolean(), name: z.string() }));

/** Registers `delete_query` on `server`. */
export function registerDeleteQueryTool(
  server: McpServer,
  context: ToolContext,
  events: SavedQueryEvents,
): void {
  registerTool(
    server,
    "delete_query",
    {
      title: "Delete a saved query",
      description:
        "Deletes the saved query of that name (see save_query). Returns deleted: false when no query has that name.",
      inputSchema: deleteQueryInputSchema,
      outputSchema: deleteQueryOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args) => runDeleteQuery(context, events, args.name),
  );
}

/** Runs the `delete_query` tool; exported for tests. */
export async function runDeleteQuery(
  context: ToolContext,
  events: SavedQueryEvents,
  name: string,
): Promise<CallToolResult> {
  const refused = readOnlyViolation(context, "delete_query");
  if (refused !== undefined) {
    return refused;
  }
  let deleted: boolean;
  try {
    deleted = await savedQueryStoreFor(context.engine).delete(name);
  } catch (error) {
    return errorResult(error);
  }
  if (deleted) {
    events.queryDeleted(name);
  }
  const payload: z.infer<ReturnType<typeof deleteQueryOutputSchema>> = { deleted, name };
  return toolResult(payload);
}
