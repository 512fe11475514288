/**
 * The `execute` tool: runs DDL or DML statements given as an array, one statement per element.
 *
 * - Refused under `--read-only` before anything else; then the whole batch is validated
 *   ({@link validateBatch}) before the engine is touched.
 * - One element runs in auto-commit (operation `command`). Several run in ONE transaction on
 *   one pooled connection (operation `transaction`): the first failure rolls everything back and
 *   is reported with the original error code, "statement i of n failed: …" and the failing SQL.
 * - `database` chooses where unqualified names resolve (search path set for the call and put
 *   back afterwards); there is no `persist` flag.
 * - Cancelling the MCP request cancels the running statement on the server; inside a batch that
 *   fails the statement and rolls the transaction back.
 *
 * @module
 */
import type { Connection } from "@hyperdb-ts/hyperdb-api";
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { withSearchPath } from "../engine/search-path.ts";
import { lazy } from "./lazy-schema.ts";
import { mapError } from "./map-error.ts";
import { readOnlyViolation } from "./read-only-guard.ts";
import { registerTool } from "./register-tool.ts";
import { databasesFor, resolveDatabase, routingOf } from "./resolve-database.ts";
import { validateBatch } from "./statement-kind.ts";
import type { ToolContext } from "./tool-context.ts";
import { type ToolErrorBody, type ToolErrorCode, toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** The `execute` arguments. */
export const executeInputSchema = lazy(() =>
  z.object({
    sql: z
      .array(z.string())
      .describe(
        "Statements to run, one per element (no semicolon-joined statements). Several elements run in one transaction.",
      ),
    database: z
      .string()
      .nullish()
      .describe(
        'Database that unqualified names resolve in: "local" (default), "persistent" or a writable attach_database alias.',
      ),
  }),
);

const perStatementSchema = lazy(() =>
  z.object({
    sql: z.string(),
    affected_rows: z.number().int(),
    elapsed_ms: z.number(),
  }),
);

/** The `execute` result. */
export const executeOutputSchema = lazy(() =>
  z.object({
    statements: z.number().int(),
    affected_rows: z.number().int(),
    per_statement: z.array(perStatementSchema()),
    stats: z.object({
      operation: z.enum(["command", "transaction"]),
      elapsed_ms: z.number(),
    }),
    resolved_database: z.string(),
  }),
);

type PerStatement = z.infer<ReturnType<typeof perStatementSchema>>;

/** Registers `execute` on `server`. */
export function registerExecuteTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "execute",
    {
      title: "Run DDL/DML statements",
      description:
        'Runs statements that change data or schema (CREATE, DROP, ALTER, INSERT, UPDATE, DELETE, COPY, …) on the Hyper engine, one statement per array element. One element runs in auto-commit; several run in one transaction that is rolled back entirely on the first failure. A batch may hold at most one DDL statement and must not mix DDL with DML. SELECT-style statements belong to the query tool; BEGIN/COMMIT/ROLLBACK, ATTACH/DETACH and SET/RESET are refused. Unqualified names resolve in "local" unless database is "persistent". Returns affected row counts per statement.',
      inputSchema: executeInputSchema,
      outputSchema: executeOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    },
    (args, ctx) => runExecute(context, args.sql, args.database, ctx.mcpReq.signal),
  );
}

/** Runs the `execute` tool; exported for tests. */
export async function runExecute(
  context: ToolContext,
  statements: readonly string[],
  database: string | null | undefined,
  signal?: AbortSignal,
): Promise<CallToolResult> {
  const started = performance.now();
  const refused = readOnlyViolation(context, "execute");
  if (refused !== undefined) {
    return refused;
  }
  const resolved = resolveDatabase(database, null, routingOf(context.engine, "write"));
  if (!resolved.ok) {
    return toolError("INVALID_ARGUMENT", resolved.message);
  }
  const verdict = validateBatch(statements);
  if (!verdict.ok) {
    return toolError(verdict.code, verdict.message, verdict.suggestion);
  }
  const perStatement: PerStatement[] = [];
  const running = { index: -1 };
  const transactional = statements.length > 1;
  try {
    await context.engine.use(
      (connection) =>
        withSearchPath(connection, resolved.alias, () =>
          cancelOnAbort(connection, signal, () =>
            transactional
              ? connection.transaction(() => runAll(connection, statements, perStatement, running, signal))
              : runAll(connection, statements, perStatement, running, signal),
          ),
        ),
      {
        signal,
        ...databasesFor(context.engine, resolved, statements),
      },
    );
  } catch (error) {
    // Only a failure of the statement itself (not BEGIN, COMMIT or the search path) names it.
    const failedIndex = running.index === perStatement.length ? running.index : -1;
    return batchError(error, statements, failedIndex, transactional);
  }
  const ddl = verdict.kinds.includes("ddl");
  await context.events.emit({ target: resolved, tables: [], listChanged: ddl, ddl });
  return toolResult({
    statements: statements.length,
    affected_rows: perStatement.reduce((sum, entry) => sum + entry.affected_rows, 0),
    per_statement: perStatement,
    stats: { operation: transactional ? "transaction" : "command", elapsed_ms: elapsedMs(started) },
    resolved_database: resolved.name,
  } satisfies z.infer<ReturnType<typeof executeOutputSchema>>);
}

/** Runs the statements in order, recording each one's outcome; stops once `signal` aborts. */
async function runAll(
  connection: Connection,
  statements: readonly string[],
  out: PerStatement[],
  running: { index: number },
  signal: AbortSignal | undefined,
): Promise<void> {
  for (const [index, sql] of statements.entries()) {
    // A cancel that lands between two statements must still stop (and roll back) the batch.
    signal?.throwIfAborted();
    running.index = index;
    const started = performance.now();
    const result = await connection.executeCommand(sql);
    out.push({ sql: sql.trim(), affected_rows: result.rowCount ?? 0, elapsed_ms: elapsedMs(started) });
  }
}

/** Runs `work`, asking hyperd to cancel the running statement when `signal` aborts. */
export async function cancelOnAbort<T>(
  connection: Connection,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (signal === undefined) {
    return work();
  }
  signal.throwIfAborted();
  const onAbort = (): void => {
    void connection.cancel().catch(() => undefined);
  };
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    return await work();
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** The error result of a failed call; in a batch it names the failing statement. */
function batchError(
  error: unknown,
  statements: readonly string[],
  failedIndex: number,
  transactional: boolean,
): CallToolResult {
  const mapped = mapError(error);
  if (!transactional || failedIndex < 0) {
    return toolError(mapped.code, mapped.message, mapped.suggestion);
  }
  const failing = (statements[failedIndex] ?? "").trim();
  const tail = `Failing SQL: ${failing} All previous statements in this batch were rolled back.`;
  const original = mapped.suggestion ?? defaultSuggestion(mapped.code);
  return toolError(
    mapped.code,
    `statement ${failedIndex + 1} of ${statements.length} failed: ${mapped.message}`,
    original === undefined ? tail : `${original} | ${tail}`,
  );
}

/** The suggestion an error result of `code` carries when none is given. */
function defaultSuggestion(code: ToolErrorCode): string | undefined {
  const body = toolError(code, "").structuredContent as unknown as ToolErrorBody;
  return body.error.suggestion;
}

function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}
