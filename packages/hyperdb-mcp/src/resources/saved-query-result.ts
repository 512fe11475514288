/**
 * The body of `hyper://queries/{name}/result`: the saved query run again on every read (no
 * cache), on the local database, with the persistent database and attachments its SQL names
 * attached for the call. At most {@link MAX_QUERY_ROWS} rows or {@link MAX_RESULT_BYTES} of
 * rendered rows; a longer result says `truncated: true`.
 *
 * @module
 */
import { type JsonValue, rowToJson } from "../engine/json-values.ts";
import { checkReadOnly } from "../engine/read-only.ts";
import type { SavedQuery } from "../saved-queries/saved-query-store.ts";
import { MAX_QUERY_ROWS, MAX_RESULT_BYTES } from "../tools/query.ts";
import { databasesFor, LOCAL_TARGET } from "../tools/resolve-database.ts";
import type { ToolContext } from "../tools/tool-context.ts";
import { type ErrorBody, errorBody } from "./error-body.ts";

/** The result body. */
export interface SavedQueryResult {
  readonly name: string;
  readonly sql: string;
  readonly result: Record<string, JsonValue>[];
  readonly stats: { operation: "saved_query"; rows_returned: number; elapsed_ms: number };
  readonly truncated?: true;
}

/** Runs `query`; its result, or the error body when the SQL is refused or fails. */
export async function runSavedQuery(
  context: ToolContext,
  query: SavedQuery,
  signal?: AbortSignal,
): Promise<SavedQueryResult | ErrorBody> {
  const started = performance.now();
  const verdict = checkReadOnly(query.sql);
  if (!verdict.ok) {
    return errorBody("SQL_ERROR", verdict.reason);
  }
  const rows: Record<string, JsonValue>[] = [];
  let bytes = 0;
  let truncated = false;
  await context.engine.use(
    async (connection) => {
      for await (const row of connection.query(query.sql, undefined, { signal })) {
        const json = rowToJson(row);
        bytes += JSON.stringify(json).length + 1;
        if (rows.length === MAX_QUERY_ROWS || bytes > MAX_RESULT_BYTES) {
          truncated = true;
          break;
        }
        rows.push(json);
      }
    },
    { signal, ...databasesFor(context.engine, LOCAL_TARGET, [query.sql]) },
  );
  return {
    name: query.name,
    sql: query.sql,
    result: rows,
    stats: {
      operation: "saved_query",
      rows_returned: rows.length,
      elapsed_ms: Math.round((performance.now() - started) * 1000) / 1000,
    },
    ...(truncated ? { truncated: true as const } : {}),
  };
}
