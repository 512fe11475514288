/**
 * The `save_query` tool: stores a named read-only SQL query, readable afterwards as the
 * resources `hyper://queries/{name}/definition` and `hyper://queries/{name}/result`.
 *
 * - Refused under `--read-only` (READ_ONLY_VIOLATION) before anything else.
 * - An empty name is SCHEMA_MISMATCH; SQL that is not read-only (the `query` tool's check) is
 *   SQL_ERROR; a name already taken is INVALID_ARGUMENT (delete it first).
 * - With a persistent database the query is kept there and survives restarts; under
 *   `--ephemeral-only` it lasts for the session.
 * - A saved query changes the resource list (`notifications/resources/list_changed`).
 *
 * @module
 */
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { checkReadOnly } from "../engine/read-only.ts";
import type { SavedQueryEvents } from "../resources/resource-notifier.ts";
import { queryUri } from "../resources/resource-uris.ts";
import { createdAtOf, type SavedQuery } from "../saved-queries/saved-query-store.ts";
import { savedQueryStoreFor } from "../saved-queries/saved-query-store-for.ts";
import { lazy } from "./lazy-schema.ts";
import { errorResult } from "./map-error.ts";
import { readOnlyViolation } from "./read-only-guard.ts";
import { registerTool } from "./register-tool.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** Longest query name, in UTF-8 bytes (the name is echoed in results and resource URIs). */
export const MAX_QUERY_NAME_BYTES = 512;

/** The `save_query` arguments. */
export const saveQueryInputSchema = lazy(() =>
  z.object({
    name: z.string().describe("Name of the query, used in its resource URIs (hyper://queries/<name>/…)."),
    sql: z.string().describe("One read-only SQL statement (SELECT, WITH, VALUES, SHOW, EXPLAIN)."),
    description: z.string().nullish().describe("What the query answers, for whoever reads it later."),
  }),
);

/** The `save_query` result. */
export const saveQueryOutputSchema = lazy(() =>
  z.object({
    saved: z.literal(true),
    name: z.string(),
    resources: z.array(z.string()),
    created_at: z.string(),
  }),
);

/** Registers `save_query` on `server`. */
export function registerSaveQueryTool(
  server: McpServer,
  context: ToolContext,
  events: SavedQueryEvents,
): void {
  registerTool(
    server,
    "save_query",
    {
      title: "Save a named query",
      description:
        "Stores one read-only SQL statement under a name. Read it back as the resources hyper://queries/<name>/definition and hyper://queries/<name>/result (the result re-runs the SQL on every read, against the local database). Saved queries live in the persistent database and survive restarts (only for this session under --ephemeral-only). A name already in use is INVALID_ARGUMENT: delete it first with delete_query.",
      inputSchema: saveQueryInputSchema,
      outputSchema: saveQueryOutputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    (args) => runSaveQuery(context, events, args.name, args.sql, args.description),
  );
}

/** Runs the `save_query` tool; exported for tests. */
export async function runSaveQuery(
  context: ToolContext,
  events: SavedQueryEvents,
  name: string,
  sql: string,
  description: string | null | undefined,
): Promise<CallToolResult> {
  const refused = readOnlyViolation(context, "save_query");
  if (refused !== undefined) {
    return refused;
  }
  if (name.trim() === "") {
    return toolError(
      "SCHEMA_MISMATCH",
      "name must not be empty",
      'Give the query a short name, e.g. "top_customers".',
    );
  }
  if (Buffer.byteLength(name, "utf8") > MAX_QUERY_NAME_BYTES || hasControlCharacter(name)) {
    return toolError(
      "INVALID_ARGUMENT",
      `invalid query name '${name.slice(0, 100)}': at most ${MAX_QUERY_NAME_BYTES} bytes, without control characters (it becomes part of resource URIs)`,
      'Give the query a short name, e.g. "top_customers".',
    );
  }
  const verdict = checkReadOnly(sql);
  if (!verdict.ok) {
    return toolError(
      "SQL_ERROR",
      verdict.reason,
      "Only read-only statements (SELECT, WITH, VALUES, SHOW, EXPLAIN) can be saved; use execute to change data.",
    );
  }
  const query: SavedQuery = {
    name,
    sql,
    description: description ?? null,
    created_at: createdAtOf(new Date()),
  };
  let saved: boolean;
  try {
    saved = await savedQueryStoreFor(context.engine).save(query);
  } catch (error) {
    return errorResult(error);
  }
  if (!saved) {
    return toolError(
      "INVALID_ARGUMENT",
      `a saved query named '${name}' already exists. Delete it first with delete_query, or choose another name.`,
    );
  }
  events.querySaved(name);
  const payload: z.infer<ReturnType<typeof saveQueryOutputSchema>> = {
    saved: true,
    name,
    resources: [queryUri(name, "definition"), queryUri(name, "result")],
    created_at: query.created_at,
  };
  return toolResult(payload);
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) < 0x20) return true;
  }
  return false;
}
