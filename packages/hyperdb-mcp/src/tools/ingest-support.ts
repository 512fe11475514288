/**
 * What the ingest tools (`load_*`, `query_data`, `query_file`, `inspect_file`) share: the
 * argument schemas they have in common, the `stats` output schema, and the translation of
 * ingest failures into the error envelope (an {@link IngestError} keeps its own code; anything
 * else goes through the shared mapping).
 *
 * @module
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import * as z from "zod";
import { IngestError } from "../ingest/ingest-error.ts";
import { lazy } from "./lazy-schema.ts";
import { errorResult } from "./map-error.ts";
import { boundedMessage, type ToolErrorCode, toolError } from "./tool-error.ts";

/**
 * Longest table name a tool accepts, in characters. Tools echo the name in results and errors;
 * a name of megabytes would make an answer larger than a client accepts in one message.
 */
export const MAX_TABLE_NAME_CHARS = 1024;

/** A table-name argument: any text up to {@link MAX_TABLE_NAME_CHARS} characters. */
export function tableNameArgument(description: string) {
  return z.string().max(MAX_TABLE_NAME_CHARS).describe(description);
}

/** The `schema` argument: an object, or a JSON string of one; null or "" for none. */
export const schemaArgument = lazy(() =>
  z
    .unknown()
    .optional()
    .describe(
      'Optional partial schema override: an object (or a JSON string of one) mapping column names to types, e.g. {"zip": "TEXT", "amount": "NUMERIC(12,2)"}. Unlisted columns keep their inferred types.',
    ),
);

/** The `database` argument of loading tools. */
export const databaseArgument = lazy(() =>
  z
    .string()
    .nullish()
    .describe(
      'Target database: "local" (the session database, default), "persistent" or a writable attach_database alias.',
    ),
);

/** The `persist` argument of loading tools. */
export const persistArgument = lazy(() =>
  z.boolean().nullish().describe('Shortcut for database "persistent" when database is omitted.'),
);

/** The `json_extract_path` argument. */
export const jsonExtractPathArgument = lazy(() =>
  z
    .string()
    .nullish()
    .describe(
      "For JSON documents: dot-separated path to the array of rows, e.g. data.items or results.0.rows (numbers index arrays; strings holding JSON are parsed on the way).",
    ),
);

/** One column of a result schema. */
export const ingestColumnSchema = lazy(() =>
  z.object({ name: z.string(), type: z.string(), nullable: z.boolean() }),
);

/** The `stats` block of ingest results. */
export const ingestStatsSchema = lazy(() =>
  z.object({
    operation: z.string(),
    rows: z.number().int(),
    elapsed_ms: z.number(),
    bytes_read: z.number().int(),
    bytes_stored: z.number().int(),
    schema_inference_ms: z.number(),
    table: z.string(),
    file_format: z.string(),
    warning: z.string().optional(),
    schema_changed: z.boolean().optional(),
    rows_per_sec: z.number(),
    ingest_throughput_mb_sec: z.number(),
    compression_ratio: z.number(),
  }),
);

/** The result of `load_data` and `load_file`. */
export const loadOutputSchema = lazy(() =>
  z.object({
    rows: z.number().int(),
    schema: z.array(ingestColumnSchema()),
    stats: ingestStatsSchema(),
    resolved_database: z.string(),
  }),
);

/** The code and message a thrown error maps to (an IngestError keeps its own). */
export function errorCodeAndMessage(error: unknown): { code: ToolErrorCode; message: string } {
  if (error instanceof IngestError) {
    return { code: error.code, message: boundedMessage(error.message) };
  }
  const result = errorResult(error);
  const body = result.structuredContent as { error: { code: ToolErrorCode; message: string } };
  return { code: body.error.code, message: body.error.message };
}

/** Converts a thrown error into an error result. */
export function ingestErrorResult(error: unknown): CallToolResult {
  if (error instanceof IngestError) {
    return toolError(error.code, error.message, error.suggestion);
  }
  return errorResult(error);
}

/** `SCHEMA_MISMATCH` → `SchemaMismatch`: the spelling `load_files` entries use. */
export function camelCaseCode(code: ToolErrorCode): string {
  return code
    .toLowerCase()
    .split("_")
    .map((part) => (part === "" ? "" : `${part[0]?.toUpperCase()}${part.slice(1)}`))
    .join("");
}
