/**
 * The `query_file` tool: a file loaded into a temporary table (default name: the file's stem),
 * one read-only SQL statement over it, the table dropped. Nothing is stored; the tool also works
 * under `--read-only`.
 *
 * @module
 */
import { basename, extname } from "node:path";
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { prepareFileSource } from "../ingest/ingest-source.ts";
import { type InputFile, resolveInputFile } from "../ingest/input-path.ts";
import { parseSchemaArgument } from "../ingest/schema-override.ts";
import { ingestErrorResult, jsonExtractPathArgument, schemaArgument } from "./ingest-support.ts";
import { lazy } from "./lazy-schema.ts";
import { registerTool } from "./register-tool.ts";
import { runTempTableQuery, tempQueryOutputSchema } from "./temp-table-query.ts";
import type { ToolContext } from "./tool-context.ts";

/** The `query_file` arguments. */
export const queryFileInputSchema = lazy(() =>
  z.object({
    path: z.string().describe("Absolute path of a CSV, JSON/JSONL, Parquet or Arrow IPC file."),
    sql: z
      .string()
      .describe(
        "One read-only SQL statement over the table (named after the file's stem unless table_name is given).",
      ),
    table_name: z
      .string()
      .nullish()
      .describe("Name the SQL uses for the file's rows; default the file name without extension."),
    schema: schemaArgument(),
    json_extract_path: jsonExtractPathArgument(),
  }),
);

/** The arguments as parsed. */
export type QueryFileArgs = z.infer<ReturnType<typeof queryFileInputSchema>>;

/** The default table name for a file: its name without the (last) extension. */
export function fileStem(path: string): string {
  const name = basename(path);
  return name.slice(0, name.length - extname(name).length) || name;
}

/** Registers `query_file` on `server`. */
export function registerQueryFileTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "query_file",
    {
      title: "Query a file with SQL",
      description:
        "Loads a file (CSV, JSON/JSONL, Parquet, Arrow IPC) into a temporary table visible only to this call — named after the file's stem (sales.csv → sales) unless table_name is given — runs one read-only SQL statement and returns the rows; nothing is stored. The SQL runs unchanged. The path must be absolute.",
      inputSchema: queryFileInputSchema,
      outputSchema: tempQueryOutputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args, ctx) => runQueryFile(context, args, ctx.mcpReq.signal),
  );
}

/** Runs the `query_file` tool; exported for tests. */
export async function runQueryFile(
  context: ToolContext,
  args: QueryFileArgs,
  signal?: AbortSignal,
): Promise<CallToolResult> {
  let overrides: ReturnType<typeof parseSchemaArgument>;
  let file: InputFile;
  try {
    overrides = parseSchemaArgument(args.schema);
    file = await resolveInputFile(args.path);
  } catch (error) {
    return ingestErrorResult(error);
  }
  return runTempTableQuery(context, {
    operation: "query_file",
    tableName: args.table_name ?? fileStem(args.path),
    sql: args.sql,
    prepare: () => prepareFileSource(file, { overrides, jsonExtractPath: args.json_extract_path }),
    signal,
  });
}
