/**
 * The shared body of `load_data`, `load_file` and each `load_files` entry: prepare the source
 * (parse, infer) before borrowing a connection, then load on a pooled connection into the
 * routed database and build the `{rows, schema, stats}` result. Temporary files of the source
 * are removed whatever happens.
 *
 * @module
 */

import { type IngestMode, ingest } from "../ingest/ingest.ts";
import { invalidArgument } from "../ingest/ingest-error.ts";
import type { IngestSource } from "../ingest/ingest-source.ts";
import { type IngestStats, ingestStats } from "../ingest/ingest-stats.ts";
import { userTable } from "../ingest/table-ref.ts";
import { HIDDEN_TABLE_PREFIX } from "./describe.ts";
import { type DatabaseTarget, databasesFor } from "./resolve-database.ts";
import type { ToolContext } from "./tool-context.ts";

/** What one load returns. */
export interface LoadResult {
  rows: number;
  schema: { name: string; type: string; nullable: boolean }[];
  stats: IngestStats;
}

/** One load request. */
export interface LoadRequest {
  readonly operation: string;
  readonly table: string;
  readonly target: DatabaseTarget;
  readonly mode: IngestMode;
  readonly mergeKeys?: readonly string[];
  readonly prepare: () => Promise<IngestSource>;
  readonly warning?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** The arguments the table catalog keeps to load the table again (null for none). */
  readonly params?: Readonly<Record<string, unknown>> | null;
}

/**
 * Throws INVALID_ARGUMENT for an empty table name, and for one with the prefix of the server's
 * own tables (those are hidden from describe and sample, so a user table there would vanish).
 */
export function requireTableName(table: string): void {
  if (table.trim() === "") {
    throw invalidArgument("table must be a non-empty table name");
  }
  if (table.startsWith(HIDDEN_TABLE_PREFIX)) {
    throw invalidArgument(
      `table names starting with '${HIDDEN_TABLE_PREFIX}' are reserved for the server's own tables; choose another name`,
    );
  }
}

/** Runs one load (see the module documentation). */
export async function runLoad(context: ToolContext, request: LoadRequest): Promise<LoadResult> {
  const started = performance.now();
  requireTableName(request.table);
  const source = await request.prepare();
  try {
    const outcome = await context.engine.use(
      (connection) =>
        ingest(
          connection,
          userTable(request.target.alias, request.table),
          source,
          request.mode,
          request.mergeKeys,
        ),
      { signal: request.signal, ...databasesFor(context.engine, request.target) },
    );
    await context.events.emit({
      target: request.target,
      tables: [request.table],
      listChanged: request.mode === "replace" || outcome.schemaChanged,
      load: {
        tool: request.operation,
        params: request.params ?? null,
        rowCount: request.mode === "replace" ? outcome.rows : null,
      },
    });
    return {
      rows: outcome.rows,
      schema: outcome.schema.map((column) => ({
        name: column.name,
        type: column.type,
        nullable: column.nullable,
      })),
      stats: ingestStats({
        operation: request.operation,
        rows: outcome.rows,
        elapsedMs: performance.now() - started,
        bytesRead: source.bytes,
        inferenceMs: source.inferenceMs,
        table: request.table,
        fileFormat: source.format,
        warning: request.warning,
        schemaChanged: request.mode === "merge" ? outcome.schemaChanged : undefined,
      }),
    };
  } finally {
    await source.cleanup();
  }
}
