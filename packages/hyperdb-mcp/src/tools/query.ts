/**
 * The `query` tool: runs one read-only SQL statement and returns its rows as JSON.
 *
 * - The read-only guard ({@link checkReadOnly}) runs before the engine is touched; a refusal is
 *   `SQL_ERROR`, as in the reference implementation.
 * - Rows stream from hyperd; after {@link MAX_QUERY_ROWS} rows the loop stops, which cancels the
 *   query on the server, and the result says `truncated: true` with a `hint`. `total_rows` is
 *   omitted when truncated: knowing it would mean reading (or re-running) the whole result.
 * - Cancelling the MCP request (`notifications/cancelled`) aborts the running query.
 * - Values are rendered by {@link rowToJson} (exact bigints and NUMERICs, ISO dates, base64 bytes).
 *
 * @module
 */
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { type JsonValue, rowToJson } from "../engine/json-values.ts";
import { checkReadOnly } from "../engine/read-only.ts";
import { withSearchPath } from "../engine/search-path.ts";
import { errorResult } from "./map-error.ts";
import { resolveDatabase } from "./resolve-database.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** Most rows one `query` call returns. */
export const MAX_QUERY_ROWS = 10_000;

/** The `query` arguments. */
export const queryInputSchema = z.object({
  sql: z.string().describe("One read-only SQL statement (SELECT, WITH, VALUES, SHOW or EXPLAIN)."),
  database: z
    .string()
    .nullish()
    .describe(
      'Database that unqualified names resolve in; "local" (the session scratch database) by default.',
    ),
});

/** The `query` result. */
export const queryOutputSchema = z.object({
  result: z.array(z.record(z.string(), z.unknown())),
  stats: z.object({
    operation: z.literal("query"),
    rows_returned: z.number().int(),
    elapsed_ms: z.number(),
    result_size_bytes: z.number().int(),
  }),
  resolved_database: z.string(),
  truncated: z.boolean().optional(),
  total_rows: z.number().int().optional(),
  hint: z.string().optional(),
});

/** Registers `query` on `server`. */
export function registerQueryTool(server: McpServer, context: ToolContext): void {
  server.registerTool(
    "query",
    {
      title: "Run a read-only SQL query",
      description: `Runs one read-only SQL statement (SELECT, WITH, VALUES, SHOW, EXPLAIN) on the Hyper engine and returns the rows as JSON objects. Unqualified table names resolve in the session's scratch database "local". At most ${MAX_QUERY_ROWS} rows are returned; larger results come back with truncated: true. BIGINT values beyond 2^53 and NUMERIC values are exact strings, dates and times ISO-style strings, bytes base64.`,
      inputSchema: queryInputSchema,
      outputSchema: queryOutputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args, ctx) => runQuery(context, args.sql, args.database, ctx.mcpReq.signal),
  );
}

/** Runs the `query` tool; exported for tests. */
export async function runQuery(
  context: ToolContext,
  sql: string,
  database: string | null | undefined,
  signal?: AbortSignal,
): Promise<CallToolResult> {
  const started = performance.now();
  const resolved = resolveDatabase(database, null, { hasPersistent: context.engine.persistentPath !== null });
  if (!resolved.ok) {
    return toolError("INVALID_ARGUMENT", resolved.message);
  }
  const verdict = checkReadOnly(sql);
  if (!verdict.ok) {
    return toolError(
      "SQL_ERROR",
      verdict.reason,
      "Use the query tool for SELECT/WITH/VALUES/SHOW/EXPLAIN only, one statement per call.",
    );
  }
  const rows: Record<string, JsonValue>[] = [];
  let truncated = false;
  try {
    await context.engine.use(
      (connection) =>
        withSearchPath(connection, resolved.alias, async () => {
          for await (const row of connection.query(sql, undefined, { signal })) {
            if (rows.length === MAX_QUERY_ROWS) {
              truncated = true;
              break;
            }
            rows.push(rowToJson(row));
          }
        }),
      { signal },
    );
  } catch (error) {
    return errorResult(error);
  }
  const resultJson = JSON.stringify(rows);
  const payload: z.infer<typeof queryOutputSchema> = {
    result: rows,
    stats: {
      operation: "query",
      rows_returned: rows.length,
      elapsed_ms: Math.round((performance.now() - started) * 1000) / 1000,
      result_size_bytes: Buffer.byteLength(resultJson, "utf8"),
    },
    resolved_database: resolved.name,
  };
  if (truncated) {
    payload.truncated = true;
    payload.hint = `The result has more than ${MAX_QUERY_ROWS} rows; only the first ${MAX_QUERY_ROWS} are returned. Add LIMIT/OFFSET, a WHERE filter or an aggregate (e.g. COUNT(*)) to see the rest.`;
  }
  return toolResult(payload);
}
