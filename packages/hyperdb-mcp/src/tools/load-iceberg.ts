/**
 * The `load_iceberg` tool: an Apache Iceberg table directory (with `metadata/` and `data/`)
 * into a table of the local database, read by hyperd itself through
 * `external('<dir>', format => 'iceberg'[, metadata_filename => …][, version_as_of => N])`.
 *
 * - The path must be absolute (`INVALID_ARGUMENT`) and resolve (`FILE_NOT_FOUND`) to a directory
 *   with a `metadata/` folder (a file or another directory is `UNSUPPORTED_FORMAT`).
 * - `replace` (default) builds the table under a staging name and swaps it in (drop and rename
 *   in one transaction), so a failing read keeps the old table; `append` inserts into an
 *   existing table (a missing one is created). The schema comes from the Iceberg metadata; there
 *   is no schema override.
 * - The result is shaped like `load_file`'s (`rows`, `schema`, `stats` with operation
 *   `load_iceberg` and file format `iceberg`; `bytes_read` is the size of the directory's files),
 *   without `resolved_database`: the target is always the local database.
 * - Refused under `--read-only`. A success is announced on the table-change bus.
 *
 * @module
 */
import { realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { type Connection, escapeStringLiteral } from "@hyperdb-ts/hyperdb-api";
import type { CallToolResult, McpServer, ServerContext } from "@modelcontextprotocol/server";
import * as z from "zod";
import { countRows } from "../catalog/count-rows.ts";
import { LOCAL_ALIAS } from "../engine/engine.ts";
import { outputSize } from "../export/export-path.ts";
import { parseMode, swapInStaged } from "../ingest/ingest.ts";
import { IngestError, invalidArgument } from "../ingest/ingest-error.ts";
import { ingestStats } from "../ingest/ingest-stats.ts";
import { requireAbsolute } from "../ingest/input-path.ts";
import { type TableRef, userTable } from "../ingest/table-ref.ts";
import { tableColumns } from "./describe.ts";
import { cancelOnAbort } from "./execute.ts";
import {
  ingestColumnSchema,
  ingestErrorResult,
  ingestStatsSchema,
  tableNameArgument,
} from "./ingest-support.ts";
import { lazy } from "./lazy-schema.ts";
import { requireTableName } from "./load-runner.ts";
import { type ProgressReporter, SILENT_PROGRESS, withProgress } from "./progress.ts";
import { readOnlyViolation } from "./read-only-guard.ts";
import { registerTool } from "./register-tool.ts";
import { LOCAL_TARGET } from "./resolve-database.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolResult } from "./tool-result.ts";

/** The `load_iceberg` arguments. */
export const loadIcebergInputSchema = lazy(() =>
  z.object({
    table: tableNameArgument("Target table name in the local database (verbatim, case-sensitive)."),
    path: z.string().describe("Absolute path of the Iceberg table directory (holding metadata/ and data/)."),
    mode: z.string().nullish().describe('"replace" (default) or "append".'),
    metadata_filename: z
      .string()
      .nullish()
      .describe("A metadata file in metadata/ to read instead of the latest, e.g. 00001-….metadata.json."),
    version_as_of: z.number().int().nullish().describe("Read this version of the table (time travel)."),
  }),
);

/** The `load_iceberg` arguments as parsed. */
export type LoadIcebergArgs = z.infer<ReturnType<typeof loadIcebergInputSchema>>;

/** The `load_iceberg` result. */
export const loadIcebergOutputSchema = lazy(() =>
  z.object({
    rows: z.number().int(),
    schema: z.array(ingestColumnSchema()),
    stats: ingestStatsSchema(),
  }),
);

/** Registers `load_iceberg` on `server`. */
export function registerLoadIcebergTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "load_iceberg",
    {
      title: "Load an Iceberg table",
      description:
        'Loads an Apache Iceberg table directory (with metadata/ and data/, e.g. written by export format iceberg) into a table of the local database; hyperd reads it directly with the schema from the Iceberg metadata. mode "replace" (default) swaps in the new table only after it loaded; "append" adds rows. metadata_filename picks a metadata file, version_as_of an older version. The path must be absolute.',
      inputSchema: loadIcebergInputSchema,
      outputSchema: loadIcebergOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    },
    (args, ctx: ServerContext) =>
      withProgress(ctx, (progress) => runLoadIceberg(context, args, ctx.mcpReq.signal, progress)),
  );
}

/** Runs the `load_iceberg` tool; exported for tests. */
export async function runLoadIceberg(
  context: ToolContext,
  args: LoadIcebergArgs,
  signal?: AbortSignal,
  progress: ProgressReporter = SILENT_PROGRESS,
): Promise<CallToolResult> {
  const started = performance.now();
  const refused = readOnlyViolation(context, "load_iceberg");
  if (refused !== undefined) return refused;
  try {
    requireTableName(args.table);
    const mode = parseMode(args.mode);
    if (mode === "merge") {
      throw invalidArgument("load_iceberg supports mode 'replace' or 'append', not 'merge'");
    }
    const directory = await resolveIcebergDirectory(args.path);
    const source = externalSource(directory, args.metadata_filename, args.version_as_of);
    const table = userTable(LOCAL_ALIAS, args.table);
    const outcome = await context.engine.use(
      (connection) =>
        progress.heartbeat(
          cancelOnAbort(connection, signal, () => loadTable(connection, table, source, mode)),
          `loading ${args.table} from Iceberg`,
        ),
      { signal },
    );
    await context.events.emit({
      target: LOCAL_TARGET,
      tables: [args.table],
      listChanged: mode === "replace" || outcome.created,
      load: {
        tool: "load_iceberg",
        params: {
          source_path: directory,
          mode,
          metadata_filename: args.metadata_filename ?? null,
          version_as_of: args.version_as_of ?? null,
        },
        rowCount: mode === "replace" ? outcome.rows : null,
      },
    });
    return toolResult({
      rows: outcome.rows,
      schema: outcome.schema,
      stats: ingestStats({
        operation: "load_iceberg",
        rows: outcome.rows,
        elapsedMs: performance.now() - started,
        bytesRead: await outputSize(directory),
        inferenceMs: 0,
        table: args.table,
        fileFormat: "iceberg",
      }),
    });
  } catch (error) {
    return ingestErrorResult(error);
  }
}

/**
 * The canonical path of an Iceberg table directory.
 * @throws IngestError INVALID_ARGUMENT, FILE_NOT_FOUND or UNSUPPORTED_FORMAT.
 */
export async function resolveIcebergDirectory(path: string): Promise<string> {
  requireAbsolute(path, "Iceberg table");
  const canonical = await realpath(path).catch(() => undefined);
  if (canonical === undefined) {
    throw new IngestError(
      "FILE_NOT_FOUND",
      `Cannot resolve '${path}': no such directory`,
      "Check the path; it must be the absolute path of an Iceberg table directory.",
    );
  }
  if (!(await stat(canonical)).isDirectory()) {
    throw new IngestError(
      "UNSUPPORTED_FORMAT",
      `'${path}' is a file; an Iceberg table is a directory with metadata/ and data/`,
      "Pass the table's directory, or use load_file for Parquet, CSV, JSON or Arrow files.",
    );
  }
  const metadata = await stat(join(canonical, "metadata")).catch(() => undefined);
  if (metadata?.isDirectory() !== true) {
    throw new IngestError(
      "UNSUPPORTED_FORMAT",
      `'${path}' is not an Iceberg table directory: it has no metadata/ folder`,
      "Pass the directory that holds the table's metadata/ and data/ folders.",
    );
  }
  return canonical;
}

/** `external('<dir>', format => 'iceberg', …)`. */
function externalSource(
  directory: string,
  metadataFilename: string | null | undefined,
  versionAsOf: number | null | undefined,
): string {
  const options = [`format => 'iceberg'`];
  if (metadataFilename !== undefined && metadataFilename !== null && metadataFilename !== "") {
    if (/[\\/]/.test(metadataFilename)) {
      throw invalidArgument(
        `metadata_filename '${metadataFilename}' must be a file name in the table's metadata/ folder, not a path`,
      );
    }
    options.push(`metadata_filename => ${escapeStringLiteral(metadataFilename)}`);
  }
  if (versionAsOf !== undefined && versionAsOf !== null) {
    options.push(`version_as_of => ${versionAsOf}`);
  }
  return `external(${escapeStringLiteral(directory)}, ${options.join(", ")})`;
}

interface IcebergOutcome {
  readonly rows: number;
  readonly schema: { name: string; type: string; nullable: boolean }[];
  readonly created: boolean;
}

async function loadTable(
  connection: Connection,
  table: TableRef,
  source: string,
  mode: "replace" | "append",
): Promise<IcebergOutcome> {
  const existing = await tableColumns(connection, table.name, LOCAL_ALIAS);
  let rows: number;
  if (mode === "append" && existing !== undefined) {
    rows = await connection.execute(`INSERT INTO ${table.sql} SELECT * FROM ${source}`);
  } else {
    rows = await replaceTable(connection, table, source);
  }
  const schema = (await tableColumns(connection, table.name, LOCAL_ALIAS)) ?? [];
  return { rows, schema, created: existing === undefined };
}

/** Builds the table under a staging name, then swaps it in; returns its row count. */
async function replaceTable(connection: Connection, table: TableRef, source: string): Promise<number> {
  return swapInStaged(connection, table, async (staging) => {
    await connection.execute(`CREATE TABLE ${staging.sql} AS SELECT * FROM ${source}`);
    return countRows(connection, staging.sql);
  });
}
