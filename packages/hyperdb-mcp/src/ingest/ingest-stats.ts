/**
 * The `stats` block of ingest results: timings, sizes and the throughput figures derived from
 * them, in the upstream's field names. `bytes_stored` is not measured (0), so
 * `compression_ratio` is 0 as well.
 *
 * @module
 */

/** Inline data above this many bytes gets a `warning` (50 MB). */
export const INLINE_WARNING_BYTES = 50 * 1000 * 1000;

/** The stats of one load. */
export interface IngestStats {
  operation: string;
  rows: number;
  elapsed_ms: number;
  bytes_read: number;
  bytes_stored: number;
  schema_inference_ms: number;
  table: string;
  file_format: string;
  warning?: string;
  schema_changed?: boolean;
  rows_per_sec: number;
  ingest_throughput_mb_sec: number;
  compression_ratio: number;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Builds the stats from the measured figures. */
export function ingestStats(input: {
  readonly operation: string;
  readonly rows: number;
  readonly elapsedMs: number;
  readonly bytesRead: number;
  readonly inferenceMs: number;
  readonly table: string;
  readonly fileFormat: string;
  readonly warning?: string | undefined;
  readonly schemaChanged?: boolean | undefined;
}): IngestStats {
  const seconds = Math.max(input.elapsedMs, 0.001) / 1000;
  const stats: IngestStats = {
    operation: input.operation,
    rows: input.rows,
    elapsed_ms: round(input.elapsedMs, 3),
    bytes_read: input.bytesRead,
    bytes_stored: 0,
    schema_inference_ms: round(input.inferenceMs, 3),
    table: input.table,
    file_format: input.fileFormat,
    rows_per_sec: round(input.rows / seconds, 1),
    ingest_throughput_mb_sec: round(input.bytesRead / (1024 * 1024) / seconds, 3),
    compression_ratio: 0,
  };
  if (input.warning !== undefined) stats.warning = input.warning;
  if (input.schemaChanged !== undefined) stats.schema_changed = input.schemaChanged;
  return stats;
}
