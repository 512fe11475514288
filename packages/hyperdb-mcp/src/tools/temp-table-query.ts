/**
 * The shared body of `query_data` and `query_file`: load the data into a temporary table named
 * exactly as the caller's SQL refers to it, run that SQL unchanged, drop the table.
 *
 * The upstream Rust hyperdb-mcp loads into `_tmp_<name>_<n>` and rewrites the SQL by plain
 * substring replacement, which also rewrites columns such as `data_val`. Here nothing is
 * rewritten: a temporary table lives in the connection's own session (`pg_temp`), is invisible
 * to every other connection, and shadows a regular table of the same name for unqualified
 * references, so `SELECT … FROM data` finds the loaded rows even when the local database has a
 * table `data`. The SQL passes the same read-only check as `query`; the temporary table is
 * dropped before the connection returns to the pool, also when the SQL fails.
 *
 * @module
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import * as z from "zod";
import { type JsonValue, rowToJson } from "../engine/json-values.ts";
import { checkReadOnly } from "../engine/read-only.ts";
import { ingest } from "../ingest/ingest.ts";
import { invalidArgument } from "../ingest/ingest-error.ts";
import type { IngestSource } from "../ingest/ingest-source.ts";
import { ingestStats } from "../ingest/ingest-stats.ts";
import { temporaryTable } from "../ingest/table-ref.ts";
import { ingestErrorResult, ingestStatsSchema } from "./ingest-support.ts";
import { lazy } from "./lazy-schema.ts";
import { MAX_QUERY_ROWS } from "./query.ts";
import { databasesFor, LOCAL_TARGET } from "./resolve-database.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** The result of `query_data` and `query_file`. */
export const tempQueryOutputSchema = lazy(() =>
  z.object({
    sql: z.string(),
    result: z.array(z.record(z.string(), z.unknown())),
    stats: ingestStatsSchema(),
    truncated: z.boolean().optional(),
    hint: z.string().optional(),
  }),
);

/** One request. */
export interface TempQueryRequest {
  readonly operation: "query_data" | "query_file";
  readonly tableName: string;
  readonly sql: string;
  readonly prepare: () => Promise<IngestSource>;
  readonly signal?: AbortSignal | undefined;
}

/** Runs the request (see the module documentation). */
export async function runTempTableQuery(
  context: ToolContext,
  request: TempQueryRequest,
): Promise<CallToolResult> {
  const started = performance.now();
  const verdict = checkReadOnly(request.sql);
  if (!verdict.ok) {
    return toolError(
      "SQL_ERROR",
      verdict.reason,
      `${request.operation} runs one read-only statement (SELECT, WITH, VALUES, SHOW, EXPLAIN) over the loaded table.`,
    );
  }
  let source: IngestSource | undefined;
  try {
    if (request.tableName.trim() === "") {
      throw invalidArgument("table_name must not be empty");
    }
    const prepared = await request.prepare();
    source = prepared;
    const table = temporaryTable(request.tableName);
    const rows: Record<string, JsonValue>[] = [];
    let truncated = false;
    const loaded = await context.engine.use(
      async (connection) => {
        try {
          const outcome = await ingest(connection, table, prepared, "replace");
          for await (const row of connection.query(request.sql, undefined, { signal: request.signal })) {
            if (rows.length === MAX_QUERY_ROWS) {
              truncated = true;
              break;
            }
            rows.push(rowToJson(row));
          }
          return outcome.rows;
        } finally {
          await connection.execute(`DROP TABLE IF EXISTS ${table.sql}`).catch(() => connection.close());
        }
      },
      { signal: request.signal, ...databasesFor(context.engine, LOCAL_TARGET, [request.sql]) },
    );
    const payload: z.infer<ReturnType<typeof tempQueryOutputSchema>> = {
      sql: request.sql,
      result: rows,
      stats: ingestStats({
        operation: request.operation,
        rows: loaded,
        elapsedMs: performance.now() - started,
        bytesRead: prepared.bytes,
        inferenceMs: prepared.inferenceMs,
        table: request.tableName,
        fileFormat: prepared.format,
      }),
    };
    if (truncated) {
      payload.truncated = true;
      payload.hint = `The result has more than ${MAX_QUERY_ROWS} rows; only the first ${MAX_QUERY_ROWS} are returned. Add a WHERE filter, LIMIT or an aggregate.`;
    }
    return toolResult(payload);
  } catch (error) {
    return ingestErrorResult(error);
  } finally {
    await source?.cleanup();
  }
}
