/**
 * Dry-run inference for `inspect_file`, without the engine, for CSV, JSON and Arrow IPC files:
 * the columns exactly as a load would create them (CSV widening included), each with a profile
 * (see `column-profile.ts`), the row count, and the first rows as text. CSV figures cover the
 * part of the file inference reads (up to 64 MiB). Parquet needs hyperd and is handled by the
 * tool.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import type { Table } from "apache-arrow";
import { type ColumnProfile, ColumnProfiler, preview } from "./column-profile.ts";
import { inferCsv, readCsvPrefix } from "./csv-infer.ts";
import { inferJsonColumns } from "./json-infer.ts";
import { type JsonInput, parseJsonRows, stringifyJson } from "./json-rows.ts";
import { isNullToken } from "./text-patterns.ts";

/** What inspection reports about a file (without size and format, which the tool adds). */
export interface Inspection {
  columns: ColumnProfile[];
  row_count: number;
  format: "csv" | "json" | "jsonl" | "parquet" | "arrow_ipc";
  sample_rows: Record<string, string | null>[];
}

/** Inspects a CSV file. */
export async function inspectCsv(path: string, sampleRows: number): Promise<Inspection> {
  const { text, complete } = await readCsvPrefix(path);
  const inference = inferCsv(text, complete, { keepRecords: true });
  const profilers = inference.columns.map((column) => new ColumnProfiler(column));
  for (const record of inference.records) {
    profilers.forEach((profiler, index) => {
      const value = record[index];
      profiler.add(value === undefined || isNullToken(value) ? null : value);
    });
  }
  const sample = inference.records.slice(0, sampleRows).map((record) => {
    const row: Record<string, string | null> = {};
    inference.columns.forEach((column, index) => {
      const value = record[index];
      row[column.name] = value === undefined ? null : preview(value);
    });
    return row;
  });
  return {
    columns: profilers.map((profiler) => profiler.result()),
    row_count: inference.rowCount,
    format: "csv",
    sample_rows: sample,
  };
}

function jsonText(value: JsonInput | undefined): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : typeof value === "object" ? stringifyJson(value) : String(value);
}

/** Inspects a JSON / JSON Lines file. */
export async function inspectJson(
  path: string,
  sampleRows: number,
  extractPath?: string | null,
): Promise<Inspection> {
  const { rows, layout } = parseJsonRows(await readFile(path, "utf8"), extractPath);
  const columns = inferJsonColumns(rows);
  const profilers = columns.map((column) => new ColumnProfiler(column));
  for (const row of rows) {
    columns.forEach((column, index) => {
      (profilers[index] as ColumnProfiler).add(jsonText(row[column.name]));
    });
  }
  const sample = rows.slice(0, sampleRows).map((row) => {
    const out: Record<string, string | null> = {};
    for (const column of columns) {
      const text = jsonText(row[column.name]);
      out[column.name] = text === null ? null : preview(text);
    }
    return out;
  });
  return {
    columns: profilers.map((profiler) => profiler.result()),
    row_count: rows.length,
    format: layout,
    sample_rows: sample,
  };
}

function arrowText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object" && "toJSON" in value && typeof value.toJSON === "function") {
    return JSON.stringify(value.toJSON(), (_key, item: unknown) =>
      typeof item === "bigint" ? item.toString() : item,
    );
  }
  return String(value);
}

/** Inspects an Arrow IPC file or stream. */
export async function inspectArrow(path: string, sampleRows: number): Promise<Inspection> {
  // apache-arrow is large and only needed here: loaded on first use.
  const { readArrowFile } = await import("./arrow-source.ts");
  const { table, columns } = await readArrowFile(path);
  const profilers = columns.map((column) => new ColumnProfiler(column));
  const data: Table = table;
  const sample: Record<string, string | null>[] = [];
  columns.forEach((column, index) => {
    const vector = data.getChildAt(index);
    const profiler = profilers[index] as ColumnProfiler;
    for (let row = 0; row < data.numRows; row += 1) {
      const text = arrowText(vector?.get(row));
      profiler.add(text);
      if (row < sampleRows) {
        const target = sample[row] ?? {};
        target[column.name] = text === null ? null : preview(text);
        sample[row] = target;
      }
    }
  });
  return {
    columns: profilers.map((profiler) => profiler.result()),
    row_count: data.numRows,
    format: "arrow_ipc",
    sample_rows: sample,
  };
}
