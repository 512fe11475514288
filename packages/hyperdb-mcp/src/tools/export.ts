/**
 * The `export` tool: a table or the rows of a read-only query written to a file by hyperd, as
 * CSV, Parquet, Arrow IPC (stream) or an Iceberg table directory; or, with format `hyper`, every
 * user table of a database copied into a new `.hyper` file.
 *
 * - Row formats run one `COPY (<select>) TO '<path>' WITH (…)` (see `export-format.ts`); the
 *   row count is the COPY's. `table` exports `SELECT *` of that table of `database`; `sql` runs
 *   with unqualified names resolving in `database` and must be read-only (`SQL_ERROR`).
 * - Paths, overwrite and folders as in `export-path.ts`; `file_size_bytes` is the file's size,
 *   or for Iceberg the sum of the files in the directory.
 * - Allowed under `--read-only`: it writes files, not databases.
 * - Progress: a heartbeat while the COPY runs, per table for `hyper`. Cancelling the request
 *   cancels the running COPY in hyperd.
 *
 * @module
 */
import { resolve } from "node:path";
import type { CallToolResult, McpServer, ServerContext } from "@modelcontextprotocol/server";
import * as z from "zod";
import { checkReadOnly } from "../engine/read-only.ts";
import { qualifiedTable, withSearchPath } from "../engine/search-path.ts";
import {
  copyToSql,
  EXPORT_FORMATS,
  parseExportFormat,
  parseFormatOptions,
  withoutTrailingSemicolons,
} from "../export/export-format.ts";
import { exportHyperFile } from "../export/export-hyper.ts";
import { checkOutputPath, outputSize, prepareOutputPath } from "../export/export-path.ts";
import { IngestError, invalidArgument } from "../ingest/ingest-error.ts";
import { cancelOnAbort } from "./execute.ts";
import { ingestErrorResult } from "./ingest-support.ts";
import { lazy } from "./lazy-schema.ts";
import { type ProgressReporter, SILENT_PROGRESS, withProgress } from "./progress.ts";
import { registerTool } from "./register-tool.ts";
import { databasesFor, resolveDatabase, routingOf } from "./resolve-database.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** The `export` arguments. */
export const exportInputSchema = lazy(() =>
  z.object({
    sql: z.string().nullish().describe("A read-only query whose rows to export (instead of table)."),
    table: z.string().nullish().describe("A table to export whole (instead of sql)."),
    path: z
      .string()
      .describe("Absolute output path (a directory for iceberg); missing parent folders are created."),
    format: z.string().describe(`One of ${EXPORT_FORMATS.join(", ")}.`),
    overwrite: z.boolean().nullish().describe("Replace an existing file (default true)."),
    format_options: z
      .unknown()
      .optional()
      .describe(
        'Extra COPY options as an object of scalars, e.g. {"delimiter": ";"} (csv) or {"codec": "zstd"} (parquet).',
      ),
    database: z
      .string()
      .nullish()
      .describe('Database to export from: "local" (default), "persistent" or an attach_database alias.'),
  }),
);

/** The `export` arguments as parsed. */
export type ExportArgs = z.infer<ReturnType<typeof exportInputSchema>>;

/** The `export` result. */
export const exportOutputSchema = lazy(() =>
  z.object({
    output_path: z.string(),
    rows: z.number().int(),
    file_size_bytes: z.number().int(),
    stats: z.object({
      operation: z.literal("export"),
      rows: z.number().int(),
      elapsed_ms: z.number(),
      file_size_bytes: z.number().int(),
      format: z.string(),
      output_path: z.string(),
      rows_per_sec: z.number(),
    }),
    resolved_database: z.string(),
  }),
);

/** Registers `export` on `server`. */
export function registerExportTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "export",
    {
      title: "Export a table or query to a file",
      description:
        'Writes a table (table) or the rows of a read-only query (sql) to a file: format csv (with header), parquet, arrow_ipc (Arrow IPC stream, readable by load_file) or iceberg (a table directory, readable by load_iceberg); format hyper copies every table of the database into a new .hyper file (sql and table are ignored). path must be absolute; missing folders are created; an existing path is replaced unless overwrite is false. format_options adds COPY options, e.g. {"delimiter": ";", "null": "NA"} for csv, {"codec": "zstd", "rows_per_row_group": 100000} for parquet. Reads from "local" (default), "persistent" or an attach_database alias. Allowed in read-only mode.',
      inputSchema: exportInputSchema,
      outputSchema: exportOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    },
    (args, ctx: ServerContext) =>
      withProgress(ctx, (progress) => runExport(context, args, ctx.mcpReq.signal, progress)),
  );
}

/** Runs the `export` tool; exported for tests. */
export async function runExport(
  context: ToolContext,
  args: ExportArgs,
  signal?: AbortSignal,
  progress: ProgressReporter = SILENT_PROGRESS,
): Promise<CallToolResult> {
  const started = performance.now();
  const format = parseExportFormat(args.format);
  if (typeof format !== "string") return toolError(format.code, format.message, format.suggestion);
  const options = parseFormatOptions(args.format_options);
  if (!(options instanceof Map)) return toolError(options.code, options.message, options.suggestion);
  const resolved = resolveDatabase(args.database, null, routingOf(context.engine, "read"));
  if (!resolved.ok) return toolError("INVALID_ARGUMENT", resolved.message);
  try {
    checkOutputPath(args.path);
    refuseDatabaseFiles(context, args.path);
    const select = format === "hyper" ? "" : selectOf(args, resolved.alias);
    await prepareOutputPath(args.path, format, args.overwrite ?? true);
    const userSql = format === "hyper" || isBlank(args.sql) ? [] : [args.sql as string];
    const rows = await context.engine.use(
      (connection) => {
        if (format === "hyper") {
          return cancelOnAbort(connection, signal, () =>
            exportHyperFile(connection, resolved.alias, args.path, (done, total, table) =>
              progress.report(done, total, `copied table ${table}`),
            ),
          );
        }
        const statement = copyToSql(select, args.path, format, options);
        const copy = () =>
          connection.executeCommand(statement, undefined).then((result) => result.rowCount ?? 0);
        const run = () => (isBlank(args.sql) ? copy() : withSearchPath(connection, resolved.alias, copy));
        return progress.heartbeat(cancelOnAbort(connection, signal, run), `exporting ${format}`);
      },
      { signal, ...databasesFor(context.engine, resolved, userSql) },
    );
    const size = await outputSize(args.path);
    const elapsedMs = performance.now() - started;
    const stats = {
      operation: "export" as const,
      rows,
      elapsed_ms: round(elapsedMs, 3),
      file_size_bytes: size,
      format,
      output_path: args.path,
      rows_per_sec: round(rows / (Math.max(elapsedMs, 0.001) / 1000), 1),
    };
    return toolResult({
      output_path: args.path,
      rows,
      file_size_bytes: size,
      stats,
      resolved_database: resolved.name,
    } satisfies z.infer<ReturnType<typeof exportOutputSchema>>);
  } catch (error) {
    return ingestErrorResult(error);
  }
}

/** The query a row export writes: the checked `sql`, or all rows of `table`. */
function selectOf(args: ExportArgs, alias: string): string {
  if (!isBlank(args.sql)) {
    if (!isBlank(args.table)) {
      throw invalidArgument("give either sql or table, not both");
    }
    const sql = args.sql as string;
    const verdict = checkReadOnly(sql);
    if (!verdict.ok) {
      throw new IngestError(
        "SQL_ERROR",
        `export only runs read-only queries: ${verdict.reason}`,
        "Pass one SELECT (or WITH/VALUES) statement, or a table name.",
      );
    }
    return withoutTrailingSemicolons(sql);
  }
  if (isBlank(args.table)) {
    throw new IngestError(
      "SQL_ERROR",
      "export needs sql (a read-only query) or table (a table name)",
      "Pass table to export a whole table, or sql with a SELECT statement.",
    );
  }
  return `SELECT * FROM ${qualifiedTable(alias, args.table as string)}`;
}

/** Throws INVALID_ARGUMENT when `path` is a database file of the session (it would be overwritten). */
function refuseDatabaseFiles(context: ToolContext, path: string): void {
  const target = resolve(path);
  const inUse = [context.engine.persistentPath, ...context.engine.attachments.list().map((a) => a.path)];
  if (inUse.some((file) => file !== null && resolve(file) === target)) {
    throw invalidArgument(`'${path}' is a database of this session; export to another path`);
  }
}

function isBlank(text: string | null | undefined): boolean {
  return text === undefined || text === null || text.trim() === "";
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
