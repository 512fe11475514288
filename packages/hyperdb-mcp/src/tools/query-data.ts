/**
 * The `query_data` tool: inline JSON or CSV loaded into a temporary table (default name
 * `data`), one read-only SQL statement over it, the table dropped. Nothing is stored; the tool
 * also works under `--read-only`.
 *
 * @module
 */
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { inlineFormat, prepareInlineSource } from "../ingest/ingest-source.ts";
import { parseSchemaArgument } from "../ingest/schema-override.ts";
import { ingestErrorResult, schemaArgument, tableNameArgument } from "./ingest-support.ts";
import { lazy } from "./lazy-schema.ts";
import { registerTool } from "./register-tool.ts";
import { runTempTableQuery, tempQueryOutputSchema } from "./temp-table-query.ts";
import type { ToolContext } from "./tool-context.ts";

/** The `query_data` arguments. */
export const queryDataInputSchema = lazy(() =>
  z.object({
    data: z.string().describe("Inline data: a JSON array of objects, JSON Lines, or CSV with a header row."),
    sql: z
      .string()
      .describe(
        "One read-only SQL statement over the table, e.g. SELECT region, sum(x) FROM data GROUP BY 1.",
      ),
    format: z
      .string()
      .nullish()
      .describe('"json" or "csv"; omitted: JSON when the data starts with [ or {, else CSV.'),
    table_name: tableNameArgument('Name the SQL uses for the data; default "data".').nullish(),
    schema: schemaArgument(),
  }),
);

/** The arguments as parsed. */
export type QueryDataArgs = z.infer<ReturnType<typeof queryDataInputSchema>>;

/** Registers `query_data` on `server`. */
export function registerQueryDataTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "query_data",
    {
      title: "Query inline data with SQL",
      description:
        'Loads inline JSON or CSV into a temporary table (default name "data", or table_name) visible only to this call, runs one read-only SQL statement on it and returns the rows; the table is dropped afterwards and nothing is stored. The SQL is run unchanged: the temporary table takes precedence over a stored table of the same name. Types are inferred as in load_data; schema overrides some.',
      inputSchema: queryDataInputSchema,
      outputSchema: tempQueryOutputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args, ctx) => runQueryData(context, args, ctx.mcpReq.signal),
  );
}

/** Runs the `query_data` tool; exported for tests. */
export async function runQueryData(
  context: ToolContext,
  args: QueryDataArgs,
  signal?: AbortSignal,
): Promise<CallToolResult> {
  let overrides: ReturnType<typeof parseSchemaArgument>;
  try {
    overrides = parseSchemaArgument(args.schema);
  } catch (error) {
    return ingestErrorResult(error);
  }
  return runTempTableQuery(context, {
    operation: "query_data",
    tableName: args.table_name ?? "data",
    sql: args.sql,
    prepare: () => prepareInlineSource(args.data, inlineFormat(args.data, args.format), overrides),
    signal,
  });
}
