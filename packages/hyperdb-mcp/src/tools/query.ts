/**
 * The `query` tool: runs one read-only SQL statement and returns its rows as JSON.
 *
 * - The read-only guard ({@link checkReadOnly}) runs before the engine is touched; a refusal is
 *   `SQL_ERROR`, as in the upstream Rust hyperdb-mcp.
 * - Rows stream from hyperd and are rendered one by one; memory stays bounded whatever the
 *   result size. Rendering stops at {@link MAX_QUERY_ROWS} rows or when the rendered rows reach
 *   {@link MAX_RESULT_BYTES} (a few wide rows can be megabytes each); the result then says
 *   `truncated: true` with a `hint`.
 * - `total_rows` after truncation: the upstream reports it, which needs the whole result.
 *   Here the stream is read on, counting rows without rendering or keeping them, for at most
 *   {@link MAX_COUNTED_ROWS} rows in all and {@link COUNT_BUDGET_MS} ms; when the result ends
 *   within that budget `total_rows` is exact, otherwise it is omitted (the hint says "more than
 *   N") and the query is cancelled on the server — also when the next batch is slow to come. A
 *   failure while only counting keeps the rendered rows. Counting costs little next to
 *   rendering, and a cheap exact total answers "how many?" without a second COUNT(*) call.
 * - Optional per-call time limit (`HYPERDB_QUERY_TIMEOUT_MS`, off by default): when it passes,
 *   the query is cancelled on the server and the call fails with a message saying so (or, while
 *   only counting after truncation, returns the rows without `total_rows`).
 * - Cancelling the MCP request (`notifications/cancelled`) aborts the running query.
 * - Values are rendered by {@link rowToJson} (exact bigints and NUMERICs, ISO dates, base64
 *   bytes). Each row is serialized once: that text measures it against the byte cap and becomes
 *   its line in the text block, which shows one row per line (compact, easy to read, cheaper in
 *   tokens than one line per value).
 * - The output schema declares rows as JSON objects with a cheap check instead of a per-value
 *   record schema: validating 10,000 rows key by key cost more than running the query.
 *
 * @module
 */
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { QUERY_TIMEOUT_ENV } from "../config/query-timeout.ts";
import { type JsonValue, rowToJson } from "../engine/json-values.ts";
import { checkReadOnly } from "../engine/read-only.ts";
import { withSearchPath } from "../engine/search-path.ts";
import { lazy } from "./lazy-schema.ts";
import { errorResult } from "./map-error.ts";
import { registerTool } from "./register-tool.ts";
import { databasesFor, resolveDatabase, routingOf } from "./resolve-database.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { shippedToolSchemas } from "./tool-schemas-file.ts";

/** One row of the result: column name → JSON value. */
const rowSchema = lazy(() =>
  z
    .unknown()
    .refine((row) => typeof row === "object" && row !== null && !Array.isArray(row), "a row is a JSON object")
    .meta({ type: "object", description: "One row: column name → value." }),
);

/** Most rows one `query` call returns. */
export const MAX_QUERY_ROWS = 10_000;

/**
 * Most bytes of rendered rows (compact JSON of the `result` array) one call returns: 3 MiB. The
 * rows travel twice, as `structuredContent` and in the text block (whose quotes are escaped once
 * more), so the answer is at most about 2.5 times this: under the 10 MiB a stdio client of the
 * MCP SDK accepts in one message.
 */
export const MAX_RESULT_BYTES = 3 * 1024 * 1024;

/** After truncation, rows are counted (not rendered) up to this many in all, for `total_rows`. */
export const MAX_COUNTED_ROWS = 1_000_000;

/** After truncation, rows are counted for at most this long, for `total_rows`. */
export const COUNT_BUDGET_MS = 150;

/** The bounds of one `query` call; tests shrink them. */
export interface QueryLimits {
  readonly maxRows: number;
  readonly maxBytes: number;
  readonly maxCountedRows: number;
  readonly countBudgetMs: number;
  /** Cancels the query after this many ms; undefined = no limit. */
  readonly timeoutMs: number | undefined;
}

/** The limits of the tool as served (no time limit unless configured). */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxRows: MAX_QUERY_ROWS,
  maxBytes: MAX_RESULT_BYTES,
  maxCountedRows: MAX_COUNTED_ROWS,
  countBudgetMs: COUNT_BUDGET_MS,
  timeoutMs: undefined,
};

/** The `query` arguments. */
export const queryInputSchema = lazy(() =>
  z.object({
    sql: z.string().describe("One read-only SQL statement (SELECT, WITH, VALUES, SHOW or EXPLAIN)."),
    database: z
      .string()
      .nullish()
      .describe(
        'Database that unqualified names resolve in; "local" (the session scratch database) by default.',
      ),
  }),
);

/** The `query` result. */
export const queryOutputSchema = lazy(() =>
  z.object({
    result: z.array(rowSchema()),
    stats: z.object({
      operation: z.literal("query"),
      rows_returned: z.number().int(),
      elapsed_ms: z.number(),
      result_size_bytes: z.number().int(),
    }),
    resolved_database: z.string(),
    truncated: z.boolean().optional(),
    total_rows: z.number().int().optional(),
    hint: z.string().optional(),
  }),
);

/** Registers `query` on `server` with the optional time limit of the session's configuration. */
export function registerQueryTool(server: McpServer, context: ToolContext): void {
  const timeout = context.config.queryTimeout;
  if (timeout.warning !== undefined) {
    context.log(timeout.warning);
  }
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, timeoutMs: timeout.timeoutMs };
  registerTool(
    server,
    "query",
    {
      title: "Run a read-only SQL query",
      description: `Runs one read-only SQL statement (SELECT, WITH, VALUES, SHOW, EXPLAIN) on the Hyper engine (PostgreSQL dialect) and returns the rows as JSON objects. Unqualified table names resolve in the session's database "local" unless database is "persistent". At most ${MAX_QUERY_ROWS} rows and ${MAX_RESULT_BYTES / 1024 / 1024} MiB of rendered rows are returned; a larger result comes back with truncated: true, a hint, and total_rows when the server could count the rest cheaply (up to ${MAX_COUNTED_ROWS} rows within ${COUNT_BUDGET_MS} ms; otherwise total_rows is omitted). Use LIMIT, WHERE or aggregates for big tables.${limits.timeoutMs === undefined ? "" : ` Queries running longer than ${limits.timeoutMs} ms are cancelled.`} BIGINT values beyond 2^53 and NUMERIC values are exact strings, dates and times ISO-style strings, bytes base64.`,
      inputSchema: queryInputSchema,
      outputSchema: queryOutputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args, ctx) => runQuery(context, args.sql, args.database, ctx.mcpReq.signal, limits),
  );
}

/** Why rendering stopped early. */
type Truncation = "rows" | "bytes";

/** A result that reaches every part of {@link queryOutputSchema}; exported for tests. */
export const SAMPLE_OUTPUT: z.input<ReturnType<typeof queryOutputSchema>> = {
  result: [{ x: 1 }],
  stats: { operation: "query", rows_returned: 1, elapsed_ms: 0, result_size_bytes: 9 },
  resolved_database: "local",
  truncated: false,
  total_rows: 1,
  hint: "",
};
let outputPrepared = false;

/**
 * Once per process, prepares what the SDK does with a query result after the handler returns:
 * zod compiles the output schema's validator on its first parse, and, when the build shipped no
 * JSON Schema for it (run from source), the schema's conversion runs its code for the first time.
 * That is a few milliseconds between a cold start's first result and its answer; prepared here,
 * it runs while the call waits for hyperd.
 */
function prepareOutputHandling(): void {
  if (outputPrepared) return;
  outputPrepared = true;
  setImmediate(() => {
    try {
      queryOutputSchema().safeParse(SAMPLE_OUTPUT);
      if (shippedToolSchemas()?.query?.output === undefined) {
        z.toJSONSchema(queryOutputSchema(), { io: "output" });
      }
    } catch {
      // Only a head start: the SDK does the same work after the handler anyway.
    }
  });
}

/** Runs the `query` tool; exported for tests. */
export async function runQuery(
  context: ToolContext,
  sql: string,
  database: string | null | undefined,
  signal?: AbortSignal,
  limits: QueryLimits = DEFAULT_QUERY_LIMITS,
): Promise<CallToolResult> {
  const started = performance.now();
  prepareOutputHandling();
  const resolved = resolveDatabase(database, null, routingOf(context.engine, "read"));
  if (!resolved.ok) {
    return toolError("INVALID_ARGUMENT", resolved.message);
  }
  const verdict = checkReadOnly(sql);
  if (!verdict.ok) {
    return toolError(
      "SQL_ERROR",
      verdict.reason,
      "Use the query tool for SELECT/WITH/VALUES/SHOW/EXPLAIN only, one statement per call.",
    );
  }
  const timeoutSignal = limits.timeoutMs === undefined ? undefined : AbortSignal.timeout(limits.timeoutMs);
  // Ends counting when the next batch is slow to come: the query is cancelled on the server.
  const stopCounting = new AbortController();
  let countTimer: NodeJS.Timeout | undefined;
  const callSignal = AbortSignal.any(
    [signal, timeoutSignal, stopCounting.signal].filter((s): s is AbortSignal => s !== undefined),
  );
  const rows: Record<string, JsonValue>[] = [];
  /** Compact JSON of each row in `rows`. */
  const rowTexts: string[] = [];
  let bytes = 0;
  let seen = 0;
  let truncated: Truncation | undefined;
  let totalRows: number | undefined;
  try {
    await context.engine.use(
      (connection) =>
        withSearchPath(connection, resolved.alias, async () => {
          const stream = connection.query(sql, undefined, { signal: callSignal });
          let countingSince = 0;
          let complete = true;
          for await (const batch of stream.batches()) {
            seen += batch.length;
            if (truncated === undefined) {
              for (const row of batch) {
                if (rows.length === limits.maxRows) {
                  truncated = "rows";
                  break;
                }
                const json = rowToJson(row);
                const text = JSON.stringify(json);
                // Compact JSON of the row plus the separating comma.
                const size = Buffer.byteLength(text, "utf8") + (rows.length > 0 ? 1 : 0);
                if (bytes + size + 2 > limits.maxBytes) {
                  truncated = "bytes";
                  break;
                }
                rows.push(json);
                rowTexts.push(text);
                bytes += size;
              }
              countingSince = performance.now();
              if (truncated !== undefined) {
                countTimer = setTimeout(() => stopCounting.abort(), limits.countBudgetMs);
              }
            }
            if (
              truncated !== undefined &&
              (seen > limits.maxCountedRows ||
                performance.now() - countingSince > limits.countBudgetMs ||
                timeoutSignal?.aborted === true)
            ) {
              // Leaving the loop cancels the rest of the query on the server.
              complete = false;
              break;
            }
          }
          if (truncated !== undefined && complete) {
            totalRows = seen;
          }
        }),
      { signal: callSignal, ...databasesFor(context.engine, resolved, [sql]) },
    );
  } catch (error) {
    if (truncated === undefined) {
      if (timeoutSignal?.aborted === true && signal?.aborted !== true) {
        return toolError(
          "SQL_ERROR",
          `the query was cancelled after running longer than the ${limits.timeoutMs} ms limit (${QUERY_TIMEOUT_ENV})`,
          `Make the query cheaper (WHERE filters, LIMIT, aggregates over fewer rows), or raise ${QUERY_TIMEOUT_ENV} (0 turns the limit off) and restart the server.`,
        );
      }
      return errorResult(error);
    }
    // Whatever ended the counting past the returned rows (its budget, the time limit, a cancel
    // or a failure further down the result), the rows already rendered are the answer.
    totalRows = undefined;
  } finally {
    clearTimeout(countTimer);
  }
  const payload: z.infer<ReturnType<typeof queryOutputSchema>> = {
    result: rows,
    stats: {
      operation: "query",
      rows_returned: rows.length,
      elapsed_ms: Math.round((performance.now() - started) * 1000) / 1000,
      result_size_bytes: bytes + 2,
    },
    resolved_database: resolved.name,
  };
  if (truncated !== undefined) {
    payload.truncated = true;
    if (totalRows !== undefined) {
      payload.total_rows = totalRows;
    }
    payload.hint = truncationHint(truncated, rows.length, totalRows, seen, limits);
  }
  return queryResult(payload, rowTexts);
}

/**
 * The success envelope of `query`: `structuredContent` is the payload, and the text block the
 * same JSON laid out with one row per line (the rows' compact texts, already made) and the
 * other fields indented as in every other tool's text block.
 */
function queryResult(
  payload: z.infer<ReturnType<typeof queryOutputSchema>>,
  rowTexts: readonly string[],
): CallToolResult {
  const { result: _rows, ...rest } = payload;
  const restText = JSON.stringify(rest, null, 2);
  const rowsText = rowTexts.length === 0 ? "[]" : `[\n    ${rowTexts.join(",\n    ")}\n  ]`;
  return {
    structuredContent: payload,
    content: [{ type: "text", text: `{\n  "result": ${rowsText},\n${restText.slice(2)}` }],
  };
}

/** The `hint` of a truncated result. */
function truncationHint(
  reason: Truncation,
  returned: number,
  totalRows: number | undefined,
  seen: number,
  limits: QueryLimits,
): string {
  const size =
    totalRows === undefined ? `more than ${seen} rows (counting stopped there)` : `${totalRows} rows`;
  const advice =
    "Add LIMIT/OFFSET, a WHERE filter or an aggregate (e.g. COUNT(*), GROUP BY) to see the rest.";
  if (reason === "rows") {
    return `The result has ${size}; only the first ${returned} are returned (limit ${limits.maxRows} rows). ${advice}`;
  }
  return `The result has ${size}; only the first ${returned} are returned because the rendered rows reached the ${formatBytes(limits.maxBytes)} result limit. Select fewer or narrower columns (e.g. left(long_text, 200)). ${advice}`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / 1024 / 1024} MiB`
    : `${bytes} bytes`;
}
