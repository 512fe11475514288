/**
 * The `load_data` tool: inline JSON (array of objects, one object, or JSON Lines) or CSV text
 * into a table of the local or persistent database, replacing or appending. JSON rows go in
 * through one bulk binary COPY (the upstream Rust hyperdb-mcp runs one INSERT per row); CSV is
 * written to a private temporary file that hyperd reads with COPY.
 *
 * @module
 */
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { parseMode } from "../ingest/ingest.ts";
import { inlineFormat, prepareInlineSource } from "../ingest/ingest-source.ts";
import { INLINE_WARNING_BYTES } from "../ingest/ingest-stats.ts";
import { parseSchemaArgument } from "../ingest/schema-override.ts";
import {
  databaseArgument,
  ingestErrorResult,
  loadOutputSchema,
  persistArgument,
  schemaArgument,
  tableNameArgument,
} from "./ingest-support.ts";
import { lazy } from "./lazy-schema.ts";
import { runLoad } from "./load-runner.ts";
import { readOnlyViolation } from "./read-only-guard.ts";
import { registerTool } from "./register-tool.ts";
import { resolveDatabase, routingOf } from "./resolve-database.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** The `load_data` arguments. */
export const loadDataInputSchema = lazy(() =>
  z.object({
    table: tableNameArgument("Target table name (verbatim, case-sensitive)."),
    data: z.string().describe("The data: a JSON array of objects, JSON Lines, or CSV with a header row."),
    format: z
      .string()
      .nullish()
      .describe('"json" or "csv"; omitted: JSON when the data starts with [ or {, else CSV.'),
    mode: z.string().nullish().describe('"replace" (default) or "append".'),
    schema: schemaArgument(),
    database: databaseArgument(),
    persist: persistArgument(),
  }),
);

/** The arguments as parsed. */
export type LoadDataArgs = z.infer<ReturnType<typeof loadDataInputSchema>>;

/** Registers `load_data` on `server`. */
export function registerLoadDataTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "load_data",
    {
      title: "Load inline JSON or CSV into a table",
      description:
        'Loads inline data into a table: a JSON array of objects (or JSON Lines), or CSV text with a header row. Column types are inferred (JSON: columns sorted alphabetically; CSV: header order, first 1,000 rows sampled); override some with schema, e.g. {"zip": "TEXT"}. mode "replace" (default) swaps in a new table only after the data loaded; "append" adds rows to an existing table (columns matched by name). Routes to database "local" (default), "persistent" (or persist: true) or a writable attachment. Returns row count, the table\'s schema and load stats.',
      inputSchema: loadDataInputSchema,
      outputSchema: loadOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    },
    (args, ctx) => runLoadData(context, args, ctx.mcpReq.signal),
  );
}

/** Runs the `load_data` tool; exported for tests. */
export async function runLoadData(
  context: ToolContext,
  args: LoadDataArgs,
  signal?: AbortSignal,
): Promise<CallToolResult> {
  const refused = readOnlyViolation(context, "load_data");
  if (refused !== undefined) return refused;
  const resolved = resolveDatabase(args.database, args.persist, routingOf(context.engine, "write"));
  if (!resolved.ok) return toolError("INVALID_ARGUMENT", resolved.message);
  const mode = parseMode(args.mode);
  if (mode === "merge") {
    return toolError(
      "INVALID_ARGUMENT",
      "load_data supports mode replace or append; merge is available in load_file",
    );
  }
  try {
    const overrides = parseSchemaArgument(args.schema);
    const bytes = Buffer.byteLength(args.data, "utf8");
    const result = await runLoad(context, {
      operation: "load_data",
      table: args.table,
      target: resolved,
      mode,
      prepare: () => prepareInlineSource(args.data, inlineFormat(args.data, args.format), overrides),
      warning:
        bytes > INLINE_WARNING_BYTES
          ? `Inline data is ${Math.round(bytes / 1e6)} MB; write large data to a file and use load_file, which is much faster.`
          : undefined,
      signal,
      params: { mode, format: args.format ?? null, database: args.database ?? null },
    });
    return toolResult({ ...result, resolved_database: resolved.name });
  } catch (error) {
    return ingestErrorResult(error);
  }
}
