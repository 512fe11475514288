/**
 * The `sample` tool: a table's schema, row count and first `n` rows.
 *
 * - `n` defaults to {@link DEFAULT_SAMPLE_SIZE} and is clamped to 1..{@link MAX_SAMPLE_SIZE}
 *   (fractions are truncated).
 * - The table name is taken verbatim and quoted with `sql.identifier`; internal
 *   (`_hyperdb_*`) and missing tables are `TABLE_NOT_FOUND`.
 * - Rows are rendered like `query` rows ({@link rowToJson}); "first" means the first rows the
 *   engine returns, without an ORDER BY.
 *
 * @module
 */
import { type Connection, sql } from "@hyperdb-ts/hyperdb-api";
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { LOCAL_ALIAS } from "../engine/engine.ts";
import { type JsonValue, rowToJson } from "../engine/json-values.ts";
import {
  type ColumnInfo,
  columnSchema,
  tableColumns,
  tableNotFoundMessage,
  tableRowCount,
} from "./describe.ts";
import { tableNameArgument } from "./ingest-support.ts";
import { lazy } from "./lazy-schema.ts";
import { errorResult } from "./map-error.ts";
import { registerTool } from "./register-tool.ts";
import { databasesFor, resolveDatabase, routingOf } from "./resolve-database.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** Rows returned when `n` is omitted. */
export const DEFAULT_SAMPLE_SIZE = 5;

/** Most rows one `sample` call returns. */
export const MAX_SAMPLE_SIZE = 100;

/** The `sample` arguments. */
export const sampleInputSchema = lazy(() =>
  z.object({
    table: tableNameArgument("Table to sample (name taken verbatim, case-sensitive)."),
    n: z
      .number()
      .nullish()
      .describe(`Number of rows, default ${DEFAULT_SAMPLE_SIZE}, clamped to 1..${MAX_SAMPLE_SIZE}.`),
    database: z
      .string()
      .nullish()
      .describe(
        'Database to look in: "local" (the session scratch database, default), "persistent" or an attach_database alias.',
      ),
  }),
);

/** The `sample` result. */
export const sampleOutputSchema = lazy(() =>
  z.object({
    table: z.string(),
    row_count: z.number().int(),
    sample_size: z.number().int(),
    schema: z.array(columnSchema()),
    rows: z.array(z.record(z.string(), z.unknown())),
    stats: z.object({ operation: z.literal("sample"), elapsed_ms: z.number() }),
    resolved_database: z.string(),
  }),
);

/** What {@link sampleTable} reads. */
export interface TableSample {
  readonly table: string;
  readonly row_count: number;
  readonly sample_size: number;
  readonly schema: ColumnInfo[];
  readonly rows: Record<string, JsonValue>[];
}

/** `n` with the default applied, truncated and clamped to 1..{@link MAX_SAMPLE_SIZE}. */
export function clampSampleSize(n: number | null | undefined): number {
  if (n === undefined || n === null || Number.isNaN(n)) {
    return DEFAULT_SAMPLE_SIZE;
  }
  return Math.min(MAX_SAMPLE_SIZE, Math.max(1, Math.trunc(n)));
}

/**
 * Reads the schema, row count and first `n` (clamped) rows of a user table; undefined when the
 * table does not exist or is internal.
 */
export async function sampleTable(
  connection: Connection,
  table: string,
  n?: number | null,
  alias: string = LOCAL_ALIAS,
): Promise<TableSample | undefined> {
  const schema = await tableColumns(connection, table, alias);
  if (schema === undefined) {
    return undefined;
  }
  const rowCount = await tableRowCount(connection, table, alias);
  if (rowCount === undefined) {
    return undefined;
  }
  // A clamped integer; Hyper does not take LIMIT as a bound parameter.
  const limit = clampSampleSize(n);
  const rows: Record<string, JsonValue>[] = [];
  for await (const row of connection.query(
    sql`SELECT * FROM ${sql.identifier(alias, "public", table)} LIMIT ${sql.unsafe(String(limit))}`,
  )) {
    rows.push(rowToJson(row));
  }
  return { table, row_count: rowCount, sample_size: rows.length, schema, rows };
}

/** Registers `sample` on `server`. */
export function registerSampleTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "sample",
    {
      title: "Sample a table",
      description: `Returns a table's schema (column name, SQL type, nullable), its row count and its first n rows (default ${DEFAULT_SAMPLE_SIZE}, at most ${MAX_SAMPLE_SIZE}) as JSON objects. The table name is case-sensitive and taken verbatim. A missing table is TABLE_NOT_FOUND; use describe to list tables.`,
      inputSchema: sampleInputSchema,
      outputSchema: sampleOutputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args) => runSample(context, args.table, args.n, args.database),
  );
}

/** Runs the `sample` tool; exported for tests. */
export async function runSample(
  context: ToolContext,
  table: string,
  n: number | null | undefined,
  database: string | null | undefined,
): Promise<CallToolResult> {
  const started = performance.now();
  const resolved = resolveDatabase(database, null, routingOf(context.engine, "read"));
  if (!resolved.ok) {
    return toolError("INVALID_ARGUMENT", resolved.message);
  }
  let sample: TableSample | undefined;
  try {
    sample = await context.engine.use((connection) => sampleTable(connection, table, n, resolved.alias), {
      ...databasesFor(context.engine, resolved),
    });
  } catch (error) {
    return errorResult(error);
  }
  if (sample === undefined) {
    return toolError("TABLE_NOT_FOUND", tableNotFoundMessage(table));
  }
  const payload: z.infer<ReturnType<typeof sampleOutputSchema>> = {
    ...sample,
    stats: { operation: "sample", elapsed_ms: Math.round((performance.now() - started) * 1000) / 1000 },
    resolved_database: resolved.name,
  };
  return toolResult(payload);
}
