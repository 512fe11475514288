/**
 * Turning a load request's input into a prepared source, before any connection is borrowed:
 * the format is detected, text formats are parsed and their schema inferred (overrides
 * applied), inline CSV is spilled to a temporary file so hyperd can `COPY` it. Parquet and
 * Arrow keep their exact schemas (Parquet's is read by hyperd when loading).
 *
 * @module
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ArrowData } from "./arrow-source.ts";
import type { ColumnSpec } from "./column-types.ts";
import {
  CSV_SAMPLE_PREFIX_BYTES,
  CSV_SAMPLE_ROWS,
  CSV_SCAN_BYTES,
  inferCsv,
  readCsvPrefix,
} from "./csv-infer.ts";
import { detectFileFormat, type FileFormat } from "./file-format.ts";
import { emptyData, schemaMismatch } from "./ingest-error.ts";
import type { InputFile } from "./input-path.ts";
import { inferJsonColumns } from "./json-infer.ts";
import { type JsonLayout, type JsonRow, parseJsonRows } from "./json-rows.ts";
import { applySchemaOverrides, type SchemaOverrides } from "./schema-override.ts";

/** The formats reported in `stats.file_format`. */
export type ReportedFormat = "csv" | "json" | "jsonl" | "parquet" | "arrow_ipc";

interface SourceBase {
  /** Bytes of input (file size or inline text length in UTF-8). */
  readonly bytes: number;
  /** Milliseconds spent on parsing and inference. */
  readonly inferenceMs: number;
  /** Removes temporary files; safe to call more than once. */
  readonly cleanup: () => Promise<void>;
}

/** A CSV file hyperd reads with COPY; `columns` is the inferred (and overridden) schema. */
export interface CsvSource extends SourceBase {
  readonly kind: "csv";
  readonly format: "csv";
  readonly path: string;
  readonly columns: ColumnSpec[];
  /** Non-TEXT columns holding `null`/`NA` tokens, which need mapping to NULL. */
  readonly tokenNullColumns: readonly string[];
  /**
   * When the types come from the first rows only: the same source typed by the full inference
   * (every row of the first 64 MiB), for a load whose values did not fit. Null when the
   * inference saw everything already.
   */
  readonly widen: (() => Promise<CsvSource>) | null;
}

/** JSON rows parsed in-process, loaded with the bulk inserter. */
export interface JsonSource extends SourceBase {
  readonly kind: "json";
  readonly format: JsonLayout;
  readonly rows: JsonRow[];
  readonly columns: ColumnSpec[];
}

/** A Parquet file hyperd reads with `external()`; overrides become casts. */
export interface ParquetSource extends SourceBase {
  readonly kind: "parquet";
  readonly format: "parquet";
  readonly path: string;
  readonly overrides: SchemaOverrides | undefined;
}

/** An Arrow IPC file read in-process. */
export interface ArrowSource extends SourceBase {
  readonly kind: "arrow";
  readonly format: "arrow_ipc";
  readonly data: ArrowData;
  readonly columns: ColumnSpec[];
}

/** Any prepared source. */
export type IngestSource = CsvSource | JsonSource | ParquetSource | ArrowSource;

const noCleanup = async (): Promise<void> => undefined;

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

/**
 * Infers a CSV file's columns. `"sample"` reads the first rows only (a load tries those types
 * first; see {@link CsvSource.widen}); `"full"` scans the first 64 MiB.
 */
async function csvFromFile(
  path: string,
  bytes: number,
  overrides: SchemaOverrides | undefined,
  started: number,
  cleanup: () => Promise<void>,
  scan: "sample" | "full" = "sample",
): Promise<CsvSource> {
  const { text, complete } = await readCsvPrefix(
    path,
    scan === "sample" ? CSV_SAMPLE_PREFIX_BYTES : CSV_SCAN_BYTES,
  );
  const sampleOnly = scan === "sample" && !complete;
  const inference = inferCsv(text, complete, { sampleOnly });
  if (sampleOnly && inference.rowCount < CSV_SAMPLE_ROWS) {
    // Rows too wide for the sample to fit the prefix: infer from the full scan at once.
    return csvFromFile(path, bytes, overrides, started, cleanup, "full");
  }
  // Only a whole file can be known to have no rows: in a prefix, the first row may not end yet.
  if (inference.rowCount === 0 && complete) {
    throw emptyData("The CSV data has a header but no rows");
  }
  const columns = applySchemaOverrides(inference.columns, overrides);
  return {
    kind: "csv",
    format: "csv",
    path,
    columns,
    tokenNullColumns: inference.tokenNullColumns.filter((name) =>
      columns.some((column) => column.name === name && column.type !== "TEXT"),
    ),
    bytes,
    inferenceMs: elapsed(started),
    cleanup,
    widen:
      scan === "full" || inference.complete
        ? null
        : () => csvFromFile(path, bytes, overrides, performance.now(), cleanup, "full"),
  };
}

function jsonFromText(
  text: string,
  bytes: number,
  overrides: SchemaOverrides | undefined,
  extractPath: string | null | undefined,
  started: number,
): JsonSource {
  const { rows, layout } = parseJsonRows(text, extractPath);
  const columns = applySchemaOverrides(inferJsonColumns(rows), overrides);
  if (columns.length === 0) {
    throw emptyData("The JSON rows have no keys, so there are no columns");
  }
  return {
    kind: "json",
    format: layout,
    rows,
    columns,
    bytes,
    inferenceMs: elapsed(started),
    cleanup: noCleanup,
  };
}

/** Options of {@link prepareFileSource}. */
export interface FileSourceOptions {
  readonly overrides?: SchemaOverrides | undefined;
  readonly jsonExtractPath?: string | null | undefined;
}

/** Prepares a checked input file (see `resolveInputFile`). */
export async function prepareFileSource(
  file: InputFile,
  options: FileSourceOptions = {},
): Promise<IngestSource> {
  const started = performance.now();
  const format: FileFormat = await detectFileFormat(file.path);
  switch (format) {
    case "parquet":
      return {
        kind: "parquet",
        format: "parquet",
        path: file.path,
        overrides: options.overrides,
        bytes: file.size,
        inferenceMs: elapsed(started),
        cleanup: noCleanup,
      };
    case "arrow_ipc": {
      if (options.overrides !== undefined) {
        throw schemaMismatch(
          "Schema overrides are not supported for Arrow IPC files: their schema is exact",
          "Load the file without schema and cast in SQL afterwards.",
        );
      }
      // apache-arrow is large and only needed here: loaded on first use.
      const { readArrowFile } = await import("./arrow-source.ts");
      const data = await readArrowFile(file.path);
      if (data.table.numRows === 0) {
        throw emptyData(`The Arrow file '${file.path}' has no rows`);
      }
      return {
        kind: "arrow",
        format: "arrow_ipc",
        data,
        columns: data.columns,
        bytes: file.size,
        inferenceMs: elapsed(started),
        cleanup: noCleanup,
      };
    }
    case "json": {
      const text = await readFile(file.path, "utf8");
      return jsonFromText(text, file.size, options.overrides, options.jsonExtractPath, started);
    }
    default:
      if (file.size === 0) {
        throw emptyData(`The file '${file.path}' is empty`);
      }
      return csvFromFile(file.path, file.size, options.overrides, started, noCleanup);
  }
}

/** The inline formats of `load_data` / `query_data`. */
export type InlineFormat = "json" | "csv";

/** The format of inline data: the given one, else `[` / `{` first means JSON, anything else CSV. */
export function inlineFormat(data: string, format: string | null | undefined): InlineFormat {
  const given = format?.trim().toLowerCase();
  if (given === "json" || given === "jsonl" || given === "ndjson") return "json";
  if (given === "csv") return "csv";
  const first = /[^\s\uFEFF]/.exec(data)?.[0];
  return first === "[" || first === "{" ? "json" : "csv";
}

/** Prepares inline data; CSV is written to a private temporary file for hyperd's COPY. */
export async function prepareInlineSource(
  data: string,
  format: InlineFormat,
  overrides: SchemaOverrides | undefined,
): Promise<IngestSource> {
  const started = performance.now();
  const bytes = Buffer.byteLength(data, "utf8");
  if (data.trim() === "") {
    throw emptyData("The data is empty");
  }
  if (format === "json") {
    return jsonFromText(data, bytes, overrides, undefined, started);
  }
  const directory = await mkdtemp(join(tmpdir(), "hyperdb-mcp-inline-"));
  const cleanup = (): Promise<void> => rm(directory, { recursive: true, force: true });
  try {
    const path = join(directory, "data.csv");
    await writeFile(path, data, "utf8");
    return await csvFromFile(path, bytes, overrides, started, cleanup);
  } catch (error) {
    await cleanup();
    throw error;
  }
}
