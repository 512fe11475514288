/**
 * The `load_file` tool: one CSV, JSON/JSONL, Parquet or Arrow IPC file into a table of the local
 * or persistent database, in mode replace, append or merge (upsert on `merge_key`). hyperd reads
 * CSV and Parquet files itself; JSON and Arrow are read here and bulk-copied.
 *
 * @module
 */
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { type IngestMode, parseMode } from "../ingest/ingest.ts";
import { invalidArgument } from "../ingest/ingest-error.ts";
import { prepareFileSource } from "../ingest/ingest-source.ts";
import { resolveInputFile } from "../ingest/input-path.ts";
import { parseSchemaArgument } from "../ingest/schema-override.ts";
import {
  databaseArgument,
  ingestErrorResult,
  jsonExtractPathArgument,
  loadOutputSchema,
  persistArgument,
  schemaArgument,
  tableNameArgument,
} from "./ingest-support.ts";
import { lazy } from "./lazy-schema.ts";
import { runLoad } from "./load-runner.ts";
import { type ProgressReporter, SILENT_PROGRESS, withProgress } from "./progress.ts";
import { readOnlyViolation } from "./read-only-guard.ts";
import { registerTool } from "./register-tool.ts";
import { resolveDatabase, routingOf } from "./resolve-database.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** The `merge_key` argument: one column or several. */
export const mergeKeyArgument = lazy(() =>
  z
    .union([z.string(), z.array(z.string())])
    .nullish()
    .describe("Key column(s) for mode merge: rows with the same key are replaced, others inserted."),
);

/** The `load_file` arguments. */
export const loadFileInputSchema = lazy(() =>
  z.object({
    table: tableNameArgument("Target table name (verbatim, case-sensitive)."),
    path: z
      .string()
      .describe("Absolute path of a .csv, .json, .jsonl/.ndjson, .parquet or .arrow/.ipc/.feather file."),
    mode: z.string().nullish().describe('"replace" (default), "append" or "merge" (needs merge_key).'),
    schema: schemaArgument(),
    json_extract_path: jsonExtractPathArgument(),
    merge_key: mergeKeyArgument(),
    database: databaseArgument(),
    persist: persistArgument(),
  }),
);

/** The arguments as parsed. */
export type LoadFileArgs = z.infer<ReturnType<typeof loadFileInputSchema>>;

/**
 * Checks mode and merge_key together: merge needs a non-empty key, a key needs merge.
 * @throws IngestError INVALID_ARGUMENT.
 */
export function mergeKeys(mode: IngestMode, key: string | string[] | null | undefined): string[] {
  const keys = key === undefined || key === null ? [] : typeof key === "string" ? [key] : key;
  if (mode !== "merge") {
    if (key !== undefined && key !== null) {
      throw invalidArgument("merge_key is only valid with mode 'merge'");
    }
    return [];
  }
  if (keys.length === 0 && (key === undefined || key === null)) {
    throw invalidArgument("mode 'merge' needs merge_key (a column name or a list of column names)");
  }
  if (keys.length === 0 || keys.some((name) => name.trim() === "")) {
    throw invalidArgument("merge_key must name at least one column and no empty names");
  }
  return keys;
}

/** Registers `load_file` on `server`. */
export function registerLoadFileTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "load_file",
    {
      title: "Load a file into a table",
      description:
        'Loads one file into a table. Formats: CSV (header row; types inferred from the first 1,000 rows, integer columns widened after scanning up to 64 MiB), JSON array / JSON Lines (columns sorted alphabetically; json_extract_path picks a nested array), Parquet and Arrow IPC (exact schemas). Detected by extension, else by the first character ([ or { is JSON, else CSV). schema overrides some column types, e.g. {"zip": "TEXT"} (not for Arrow). mode "replace" (default) swaps in the new table only after the file loaded; "append" adds rows (columns matched by name); "merge" upserts on merge_key, adding new columns. The path must be absolute. Routes to "local" (default), "persistent" or a writable attachment.',
      inputSchema: loadFileInputSchema,
      outputSchema: loadOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    },
    (args, ctx) => withProgress(ctx, (progress) => runLoadFile(context, args, ctx.mcpReq.signal, progress)),
  );
}

/** Runs the `load_file` tool; exported for tests. */
export async function runLoadFile(
  context: ToolContext,
  args: LoadFileArgs,
  signal?: AbortSignal,
  progress: ProgressReporter = SILENT_PROGRESS,
): Promise<CallToolResult> {
  const refused = readOnlyViolation(context, "load_file");
  if (refused !== undefined) return refused;
  const resolved = resolveDatabase(args.database, args.persist, routingOf(context.engine, "write"));
  if (!resolved.ok) return toolError("INVALID_ARGUMENT", resolved.message);
  try {
    const mode = parseMode(args.mode);
    const keys = mergeKeys(mode, args.merge_key);
    const overrides = parseSchemaArgument(args.schema);
    const file = await resolveInputFile(args.path);
    const load = runLoad(context, {
      operation: "load_file",
      table: args.table,
      target: resolved,
      mode,
      mergeKeys: keys,
      prepare: () => prepareFileSource(file, { overrides, jsonExtractPath: args.json_extract_path }),
      signal,
      params: {
        source_path: file.path,
        mode,
        schema: args.schema ?? null,
        json_extract_path: args.json_extract_path ?? null,
        merge_key: args.merge_key ?? null,
        database: args.database ?? null,
      },
    });
    const result = await progress.heartbeat(load, `loading ${args.table}`);
    return toolResult({ ...result, resolved_database: resolved.name });
  } catch (error) {
    return ingestErrorResult(error);
  }
}
