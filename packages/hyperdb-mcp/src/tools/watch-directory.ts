/**
 * The `watch_directory` tool: loads files dropped into a directory into one table, by the
 * `.ready` sentinel protocol (write `data.csv`, then create `data.csv.ready`).
 *
 * - Each data file is appended to the table (created from the first file's inferred schema),
 *   with the format detection of `load_file` (CSV, JSON/JSONL, Parquet, Arrow IPC). A loaded file
 *   and its sentinel are deleted; a file that fails moves with its sentinel to `failed/`, next to
 *   `<file>.error` (JSON `{code, message, suggestion}`).
 * - Sentinels already in the directory are loaded before the tool returns (`initial_sweep`).
 * - One watcher per directory; it runs until `unwatch_directory` or the end of the session.
 * - Routes to "local" (default), "persistent" or a writable attachment, which cannot be detached
 *   while the watcher runs.
 *
 * @module
 */
import { realpath, stat } from "node:fs/promises";
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { IngestError } from "../ingest/ingest-error.ts";
import { prepareFileSource } from "../ingest/ingest-source.ts";
import { requireAbsolute, resolveInputFile } from "../ingest/input-path.ts";
import { DirectoryWatcher } from "../watch/directory-watcher.ts";
import type { FailureReport } from "../watch/failed-files.ts";
import type { WatcherRegistry } from "../watch/watcher-registry.ts";
import {
  camelCaseCode,
  databaseArgument,
  ingestErrorResult,
  persistArgument,
  tableNameArgument,
} from "./ingest-support.ts";
import { lazy } from "./lazy-schema.ts";
import { requireTableName, runLoad } from "./load-runner.ts";
import { errorResult } from "./map-error.ts";
import { type ProgressReporter, SILENT_PROGRESS, withProgress } from "./progress.ts";
import { readOnlyViolation } from "./read-only-guard.ts";
import { registerTool } from "./register-tool.ts";
import { type DatabaseTarget, resolveDatabase, routingOf } from "./resolve-database.ts";
import type { ToolContext } from "./tool-context.ts";
import { type ToolErrorBody, toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** Files loaded at once by one watcher, by default and at most. */
export const DEFAULT_MAX_CONCURRENT = 4;
export const MAX_CONCURRENT_LIMIT = 32;

/** The `watch_directory` arguments. */
export const watchDirectoryInputSchema = lazy(() =>
  z.object({
    path: z.string().describe("Absolute path of the directory to watch (not recursive)."),
    table: tableNameArgument("Table the files are appended to (created from the first file when missing)."),
    max_concurrent: z
      .number()
      .int()
      .nullish()
      .describe(`Files loaded at once (default ${DEFAULT_MAX_CONCURRENT}, at most ${MAX_CONCURRENT_LIMIT}).`),
    database: databaseArgument(),
    persist: persistArgument(),
  }),
);

/** The `watch_directory` result. */
export const watchDirectoryOutputSchema = lazy(() =>
  z.object({
    directory: z.string(),
    table: z.string(),
    status: z.literal("watching"),
    max_concurrent: z.number().int(),
    initial_sweep: z.object({ files_ingested: z.number().int(), files_failed: z.number().int() }),
    resolved_database: z.string(),
  }),
);

/** The arguments as parsed. */
export type WatchDirectoryArgs = z.infer<ReturnType<typeof watchDirectoryInputSchema>>;

/** Registers `watch_directory` on `server`. */
export function registerWatchDirectoryTool(
  server: McpServer,
  context: ToolContext,
  watchers: WatcherRegistry,
): void {
  registerTool(
    server,
    "watch_directory",
    {
      title: "Load files dropped into a directory",
      description:
        'Watches a directory and appends every data file that arrives to a table. Protocol: write the data file (e.g. orders-001.csv, ideally to a temporary name and rename it), then create an empty "<file>.ready" next to it (orders-001.csv.ready); only then is the file loaded. Formats as load_file (CSV, JSON/JSONL, Parquet, Arrow IPC); the table is created from the first file. Loaded files and their .ready files are deleted; a file that fails moves to failed/ with a <file>.error JSON. Files already there are loaded before this returns. One watcher per directory; stop it with unwatch_directory; status lists watchers. The path must be absolute. Routes to "local" (default), "persistent" or a writable attachment.',
      inputSchema: watchDirectoryInputSchema,
      outputSchema: watchDirectoryOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    },
    (args, ctx) => withProgress(ctx, (progress) => runWatchDirectory(context, watchers, args, progress)),
  );
}

/** Runs `watch_directory`; exported for tests. */
export async function runWatchDirectory(
  context: ToolContext,
  watchers: WatcherRegistry,
  args: WatchDirectoryArgs,
  progress: ProgressReporter = SILENT_PROGRESS,
): Promise<CallToolResult> {
  const refused = readOnlyViolation(context, "watch_directory");
  if (refused !== undefined) return refused;
  const resolved = resolveDatabase(args.database, args.persist, routingOf(context.engine, "write"));
  if (!resolved.ok) return toolError("INVALID_ARGUMENT", resolved.message);
  let directory: string;
  try {
    requireTableName(args.table);
    directory = await canonicalDirectory(args.path);
  } catch (error) {
    return ingestErrorResult(error);
  }
  if (watchers.get(directory) !== undefined) {
    return alreadyWatching(directory);
  }
  const maxConcurrent = Math.min(
    Math.max(args.max_concurrent ?? DEFAULT_MAX_CONCURRENT, 1),
    MAX_CONCURRENT_LIMIT,
  );
  const watcher = new DirectoryWatcher({
    directory,
    table: args.table,
    target: resolved,
    maxConcurrent,
    load: (dataPath) => loadWatchedFile(context, resolved, args.table, directory, dataPath),
    describeFailure: failureReport,
    log: context.log,
  });
  watchers.add(watcher);
  try {
    const sweep = await watcher.start((done, total) =>
      progress.report(done, total, `${done} of ${total} waiting files loaded`),
    );
    context.log(`watching ${directory} into ${resolved.name}.${args.table}`);
    return toolResult({
      directory,
      table: args.table,
      status: "watching",
      max_concurrent: maxConcurrent,
      initial_sweep: sweep,
      resolved_database: resolved.name,
    } satisfies z.infer<ReturnType<typeof watchDirectoryOutputSchema>>);
  } catch (error) {
    watcher.stop();
    watchers.remove(directory);
    return errorResult(error);
  }
}

/** The canonical path of an existing directory; FILE_NOT_FOUND otherwise. */
async function canonicalDirectory(path: string): Promise<string> {
  requireAbsolute(path, "Directory");
  const canonical = await realpath(path).catch(() => undefined);
  if (canonical === undefined) {
    throw new IngestError("FILE_NOT_FOUND", `Cannot resolve '${path}': no such directory`);
  }
  if (!(await stat(canonical)).isDirectory()) {
    throw new IngestError(
      "FILE_NOT_FOUND",
      `'${path}' is not a directory`,
      "Pass the directory the files arrive in.",
    );
  }
  return canonical;
}

/** Appends one watched file to the table, as load_file would in mode append. */
async function loadWatchedFile(
  context: ToolContext,
  target: DatabaseTarget,
  table: string,
  directory: string,
  dataPath: string,
): Promise<void> {
  const file = await resolveInputFile(dataPath);
  await runLoad(context, {
    operation: "watch_directory",
    table,
    target,
    mode: "append",
    prepare: () => prepareFileSource(file),
    params: { watch_directory: directory, database: target.name },
  });
}

/** What a failed file's `.error` file says. */
function failureReport(error: unknown): FailureReport {
  const body = ingestErrorResult(error).structuredContent as unknown as ToolErrorBody;
  return {
    code: camelCaseCode(body.error.code),
    message: body.error.message,
    suggestion: body.error.suggestion ?? null,
  };
}

/**
 * A second watcher on one directory. The upstream answers INTERNAL_ERROR; it is a mistake in the
 * arguments, so it is INVALID_ARGUMENT here.
 */
function alreadyWatching(directory: string): CallToolResult {
  return toolError(
    "INVALID_ARGUMENT",
    `Already watching ${directory}`,
    "Call unwatch_directory first to watch it into another table, or keep the running watcher.",
  );
}
