/**
 * The `inspect_file` tool: a dry run of schema inference — columns with type, nullability,
 * null count, sample values and min/max, the row count and the first rows — without loading
 * anything. CSV, JSON and Arrow IPC are read in-process and never start the engine. Parquet has
 * no JavaScript reader here, so hyperd reads it (`external()`), which starts the engine if it
 * is not running yet.
 *
 * @module
 */
import { type Connection, escapeIdentifier, escapeStringLiteral } from "@hyperdb-ts/hyperdb-api";
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { toJsonValue } from "../engine/json-values.ts";
import { type ColumnProfile, ColumnProfiler, preview } from "../ingest/column-profile.ts";
import { detectFileFormat } from "../ingest/file-format.ts";
import { resolveInputFile } from "../ingest/input-path.ts";
import { type Inspection, inspectArrow, inspectCsv, inspectJson } from "../ingest/inspect.ts";
import { ingestErrorResult, jsonExtractPathArgument } from "./ingest-support.ts";
import { lazy } from "./lazy-schema.ts";
import { registerTool } from "./register-tool.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolResult } from "./tool-result.ts";

/** Rows returned when `sample_rows` is omitted, and the most. */
export const DEFAULT_INSPECT_ROWS = 5;
export const MAX_INSPECT_ROWS = 50;

/** Rows of a Parquet file read for sample values. */
const PARQUET_PROFILE_ROWS = 1000;

/** The `inspect_file` arguments. */
export const inspectFileInputSchema = lazy(() =>
  z.object({
    path: z.string().describe("Absolute path of the file."),
    sample_rows: z
      .number()
      .nullish()
      .describe(`Rows to return, default ${DEFAULT_INSPECT_ROWS}, clamped to 1..${MAX_INSPECT_ROWS}.`),
    json_extract_path: jsonExtractPathArgument(),
  }),
);

const profileSchema = lazy(() =>
  z.object({
    name: z.string(),
    type: z.string(),
    nullable: z.boolean(),
    null_count: z.number().int(),
    sample_values: z.array(z.string()),
    min: z.string().optional(),
    max: z.string().optional(),
    min_f64: z.number().optional(),
    max_f64: z.number().optional(),
  }),
);

/** The `inspect_file` result. */
export const inspectFileOutputSchema = lazy(() =>
  z.object({
    columns: z.array(profileSchema()),
    row_count: z.number().int(),
    file_format: z.string(),
    file_size_bytes: z.number().int(),
    sample_rows: z.array(z.record(z.string(), z.string().nullable())),
  }),
);

/** The arguments as parsed. */
export type InspectFileArgs = z.infer<ReturnType<typeof inspectFileInputSchema>>;

/** `sample_rows` with the default applied, truncated and clamped. */
export function clampInspectRows(n: number | null | undefined): number {
  if (n === undefined || n === null || Number.isNaN(n)) return DEFAULT_INSPECT_ROWS;
  return Math.min(MAX_INSPECT_ROWS, Math.max(1, Math.trunc(n)));
}

function text(value: unknown): string | null {
  const json = toJsonValue(value);
  if (json === null) return null;
  return typeof json === "string" ? json : JSON.stringify(json);
}

/** Inspects a Parquet file through hyperd. */
export async function inspectParquet(
  connection: Connection,
  path: string,
  sampleRows: number,
): Promise<Inspection> {
  const external = `external(${escapeStringLiteral(path)}, FORMAT => 'parquet')`;
  const described = await connection.describe(`SELECT * FROM ${external}`);
  const columns = described.map((column) => ({
    name: column.name,
    type: column.typeName.toUpperCase(),
    nullable: true,
  }));
  const counts = columns.map((column, index) => `count(${escapeIdentifier(column.name)}) AS "c${index}"`);
  const totals = await connection.fetchOne<Record<string, bigint>>(
    `SELECT count(*) AS "n"${counts.length > 0 ? `, ${counts.join(", ")}` : ""} FROM ${external}`,
  );
  const rowCount = Number(totals.n);
  const profilers = columns.map((column) => new ColumnProfiler(column));
  const sample: Record<string, string | null>[] = [];
  for await (const row of connection.query(`SELECT * FROM ${external} LIMIT ${PARQUET_PROFILE_ROWS}`)) {
    const values = columns.map((column) => text((row as Record<string, unknown>)[column.name]));
    values.forEach((value, index) => {
      (profilers[index] as ColumnProfiler).add(value);
    });
    if (sample.length < sampleRows) {
      const out: Record<string, string | null> = {};
      columns.forEach((column, index) => {
        const value = values[index] ?? null;
        out[column.name] = value === null ? null : preview(value);
      });
      sample.push(out);
    }
  }
  const profiles: ColumnProfile[] = profilers.map((profiler, index) => ({
    ...profiler.result(),
    // Null counts over the whole file; samples and min/max cover the first rows read.
    null_count: rowCount - Number(totals[`c${index}`] ?? 0n),
  }));
  return { columns: profiles, row_count: rowCount, format: "parquet", sample_rows: sample };
}

/** Registers `inspect_file` on `server`. */
export function registerInspectFileTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "inspect_file",
    {
      title: "Inspect a file's inferred schema",
      description: `Dry run of schema inference for a file, loading nothing: each column's inferred type (as load_file would create it), nullability, null count, a few sample values and min/max, plus the row count, format (csv, json, jsonl, parquet, arrow_ipc), size and the first rows (sample_rows, default ${DEFAULT_INSPECT_ROWS}, at most ${MAX_INSPECT_ROWS}). CSV, JSON and Arrow files are read in-process; Parquet files are read through the Hyper engine (min/max and samples then cover the first ${PARQUET_PROFILE_ROWS} rows). CSV figures cover the first 64 MiB. The path must be absolute.`,
      inputSchema: inspectFileInputSchema,
      outputSchema: inspectFileOutputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args) => runInspectFile(context, args),
  );
}

/** Runs the `inspect_file` tool; exported for tests. */
export async function runInspectFile(context: ToolContext, args: InspectFileArgs): Promise<CallToolResult> {
  const rows = clampInspectRows(args.sample_rows);
  try {
    const file = await resolveInputFile(args.path);
    const format = await detectFileFormat(file.path);
    let inspection: Inspection;
    let fileFormat: string;
    switch (format) {
      case "parquet":
        inspection = await context.engine.use((connection) => inspectParquet(connection, file.path, rows));
        fileFormat = "parquet";
        break;
      case "arrow_ipc":
        inspection = await inspectArrow(file.path, rows);
        fileFormat = inspection.format;
        break;
      case "json":
        inspection = await inspectJson(file.path, rows, args.json_extract_path);
        fileFormat = inspection.format;
        break;
      default:
        inspection = await inspectCsv(file.path, rows);
        fileFormat = "csv";
    }
    const payload: z.infer<ReturnType<typeof inspectFileOutputSchema>> = {
      columns: inspection.columns,
      row_count: inspection.row_count,
      file_format: fileFormat,
      file_size_bytes: file.size,
      sample_rows: inspection.sample_rows,
    };
    return toolResult(payload);
  } catch (error) {
    return ingestErrorResult(error);
  }
}
