/**
 * The `load_files` tool: several files into several tables concurrently. Every path is checked
 * up front (absolute, existing; a bad one fails the whole call naming the entry); then up to
 * `concurrency` loads run at once (default min(n, 8), clamped to 1..16), each on its own pooled
 * connection — beyond the pool's size they queue for a connection, while parsing and inference
 * of the next files go on; a client that asked for progress hears of every finished file. A failing file does not fail the call: its entry carries
 * `error: {code, message}` with the code in CamelCase (`SchemaMismatch`), as in the upstream.
 *
 * @module
 */
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { parseMode } from "../ingest/ingest.ts";
import { emptyData, IngestError, invalidArgument } from "../ingest/ingest-error.ts";
import { prepareFileSource } from "../ingest/ingest-source.ts";
import { type InputFile, resolveInputFile } from "../ingest/input-path.ts";
import { parseSchemaArgument } from "../ingest/schema-override.ts";
import {
  camelCaseCode,
  databaseArgument,
  errorCodeAndMessage,
  ingestColumnSchema,
  ingestErrorResult,
  ingestStatsSchema,
  jsonExtractPathArgument,
  persistArgument,
  schemaArgument,
  tableNameArgument,
} from "./ingest-support.ts";
import { lazy } from "./lazy-schema.ts";
import { type LoadResult, runLoad } from "./load-runner.ts";
import { type ProgressReporter, SILENT_PROGRESS, withProgress } from "./progress.ts";
import { readOnlyViolation } from "./read-only-guard.ts";
import { registerTool } from "./register-tool.ts";
import { resolveDatabase, routingOf } from "./resolve-database.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** Default and most concurrent loads. */
export const DEFAULT_LOAD_CONCURRENCY = 8;
export const MAX_LOAD_CONCURRENCY = 16;

const fileEntrySchema = lazy(() =>
  z.object({
    table: tableNameArgument("Target table name."),
    path: z.string().describe("Absolute file path."),
    mode: z.string().nullish().describe('"replace" (default) or "append".'),
    schema: schemaArgument(),
    json_extract_path: jsonExtractPathArgument(),
    merge_key: z
      .union([z.string(), z.array(z.string())])
      .nullish()
      .describe("Not supported here; use load_file."),
  }),
);

/** The `load_files` arguments. */
export const loadFilesInputSchema = lazy(() =>
  z.object({
    files: z.array(fileEntrySchema()).describe("The files to load, each into its table."),
    concurrency: z
      .number()
      .nullish()
      .describe("Loads at once; default min(number of files, 8), clamped to 1..16."),
    database: databaseArgument(),
    persist: persistArgument(),
  }),
);

/** The arguments as parsed. */
export type LoadFilesArgs = z.infer<ReturnType<typeof loadFilesInputSchema>>;

const entryResultSchema = lazy(() =>
  z.union([
    z.object({
      table: z.string(),
      rows: z.number().int(),
      schema: z.array(ingestColumnSchema()),
      stats: ingestStatsSchema(),
    }),
    z.object({ table: z.string(), error: z.object({ code: z.string(), message: z.string() }) }),
  ]),
);

/** The `load_files` result. */
export const loadFilesOutputSchema = lazy(() =>
  z.object({
    results: z.array(entryResultSchema()),
    summary: z.object({
      total: z.number().int(),
      succeeded: z.number().int(),
      failed: z.number().int(),
      concurrency: z.number().int(),
    }),
    resolved_database: z.string(),
  }),
);

type EntryResult = z.infer<ReturnType<typeof entryResultSchema>>;

/** The concurrency to use for `count` files. */
export function clampConcurrency(requested: number | null | undefined, count: number): number {
  const wanted =
    requested === undefined || requested === null || Number.isNaN(requested)
      ? Math.min(count, DEFAULT_LOAD_CONCURRENCY)
      : Math.trunc(requested);
  return Math.min(MAX_LOAD_CONCURRENCY, Math.max(1, wanted));
}

/** Registers `load_files` on `server`. */
export function registerLoadFilesTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "load_files",
    {
      title: "Load several files in parallel",
      description:
        "Loads several files, each into its own table, concurrently (concurrency default min(n, 8), at most 16). Each entry takes table, path (absolute), mode replace|append, schema and json_extract_path as in load_file (merge is not supported here). All paths are checked first; a file that then fails to load does not fail the call: its entry has error {code, message}. Returns per-file results and a summary.",
      inputSchema: loadFilesInputSchema,
      outputSchema: loadFilesOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    },
    (args, ctx) => withProgress(ctx, (progress) => runLoadFiles(context, args, ctx.mcpReq.signal, progress)),
  );
}

/** Runs the `load_files` tool; exported for tests. */
export async function runLoadFiles(
  context: ToolContext,
  args: LoadFilesArgs,
  signal?: AbortSignal,
  progress: ProgressReporter = SILENT_PROGRESS,
): Promise<CallToolResult> {
  const refused = readOnlyViolation(context, "load_files");
  if (refused !== undefined) return refused;
  const resolved = resolveDatabase(args.database, args.persist, routingOf(context.engine, "write"));
  if (!resolved.ok) return toolError("INVALID_ARGUMENT", resolved.message);
  const files = args.files;
  let inputs: InputFile[];
  try {
    if (files.length === 0) {
      throw emptyData("files is empty: give at least one {table, path} entry");
    }
    files.forEach((entry, index) => {
      if (parseMode(entry.mode) === "merge" || (entry.merge_key !== undefined && entry.merge_key !== null)) {
        throw invalidArgument(
          `entry ${index} (table '${entry.table}'): merge is not supported by load_files; use load_file with mode 'merge'`,
        );
      }
    });
    inputs = await Promise.all(
      files.map((entry, index) =>
        resolveInputFile(entry.path).catch((error: unknown) => {
          const { code, message } = errorCodeAndMessage(error);
          throw new IngestError(code, `entry ${index} (table '${entry.table}'): ${message}`);
        }),
      ),
    );
  } catch (error) {
    return ingestErrorResult(error);
  }
  const concurrency = clampConcurrency(args.concurrency, files.length);
  const results: EntryResult[] = new Array(files.length);
  let next = 0;
  let finished = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next;
      next += 1;
      const entry = files[index] as LoadFilesArgs["files"][number];
      try {
        const result: LoadResult = await runLoad(context, {
          operation: "load_files",
          table: entry.table,
          target: resolved,
          mode: parseMode(entry.mode),
          prepare: async () =>
            prepareFileSource(inputs[index] as InputFile, {
              overrides: parseSchemaArgument(entry.schema),
              jsonExtractPath: entry.json_extract_path,
            }),
          signal,
        });
        results[index] = { table: entry.table, ...result };
      } catch (error) {
        const { code, message } = errorCodeAndMessage(error);
        results[index] = { table: entry.table, error: { code: camelCaseCode(code), message } };
      }
      finished += 1;
      progress.report(finished, files.length, `${finished} of ${files.length} files loaded`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const failed = results.filter((result) => "error" in result).length;
  return toolResult({
    results,
    summary: { total: files.length, succeeded: files.length - failed, failed, concurrency },
    resolved_database: resolved.name,
  });
}
