/**
 * The `copy_query` tool: the rows of one read-only query (SELECT, WITH or VALUES) into a table,
 * across databases: the query's unqualified names resolve in `database` (default local), the
 * table lands in `target_database` (default local; it must be writable).
 *
 * - `mode` `create` (default) refuses an existing table; `append` inserts into an existing one
 *   (columns by position) and refuses a missing one; `replace` builds the new table under a
 *   staging name and swaps it in (drop and rename in one transaction), so a failing query
 *   leaves the old table untouched.
 * - `temp_attach` `{alias, path, writable?}` attaches a `.hyper` file for this call only (as
 *   `attach_database` would, then forgotten again), e.g. to copy from a file without keeping it
 *   attached.
 * - `row_count` is counted after create and replace (hyperd reports no count for
 *   `CREATE TABLE … AS`), the INSERT's count for append.
 * - Refused under `--read-only`. A success is announced on the table-change bus.
 *
 * @module
 */
import { Catalog, type Connection, TableName } from "@hyperdb-ts/hyperdb-api";
import type { CallToolResult, McpServer, ServerContext } from "@modelcontextprotocol/server";
import * as z from "zod";
import { countRows } from "../catalog/count-rows.ts";
import type { Engine } from "../engine/engine.ts";
import { checkReadOnly } from "../engine/read-only.ts";
import { withSearchPath } from "../engine/search-path.ts";
import { withoutTrailingSemicolons } from "../export/export-format.ts";
import { swapInStaged } from "../ingest/ingest.ts";
import { IngestError, invalidArgument } from "../ingest/ingest-error.ts";
import { type TableRef, userTable } from "../ingest/table-ref.ts";
import { runAttachDatabase } from "./attach-database.ts";
import { cancelOnAbort } from "./execute.ts";
import { ingestErrorResult, tableNameArgument } from "./ingest-support.ts";
import { lazy } from "./lazy-schema.ts";
import { requireTableName } from "./load-runner.ts";
import { type ProgressReporter, SILENT_PROGRESS, withProgress } from "./progress.ts";
import { readOnlyViolation } from "./read-only-guard.ts";
import { registerTool } from "./register-tool.ts";
import { type DatabaseTarget, databasesFor, resolveDatabase, routingOf } from "./resolve-database.ts";
import { firstKeyword } from "./statement-kind.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** How `copy_query` treats the target table. */
export type CopyMode = "create" | "append" | "replace";

const COPY_MODES: readonly CopyMode[] = ["create", "append", "replace"];
const QUERY_KEYWORDS = new Set(["SELECT", "WITH", "VALUES"]);

/** The `copy_query` arguments. */
export const copyQueryInputSchema = lazy(() =>
  z.object({
    sql: z.string().describe("One read-only query: SELECT, WITH or VALUES."),
    target_table: tableNameArgument("The table to write (verbatim, case-sensitive)."),
    mode: z
      .string()
      .nullish()
      .describe('"create" (default; the table must not exist), "append" (it must exist) or "replace".'),
    target_database: z
      .string()
      .nullish()
      .describe('Where the table goes: "local" (default), "persistent" or a writable attach_database alias.'),
    database: z
      .string()
      .nullish()
      .describe(
        'Where the query\'s unqualified table names resolve: "local" (default), "persistent" or an alias.',
      ),
    temp_attach: z
      .object({
        alias: z.string(),
        path: z.string(),
        writable: z.boolean().nullish(),
      })
      .nullish()
      .describe(
        "A .hyper file to attach for this call only: {alias, path, writable?}; usable as database or target_database.",
      ),
  }),
);

/** The `copy_query` arguments as parsed. */
export type CopyQueryArgs = z.infer<ReturnType<typeof copyQueryInputSchema>>;

/** The `copy_query` result. */
export const copyQueryOutputSchema = lazy(() =>
  z.object({
    target_table: z.string(),
    target_database: z.string(),
    mode: z.enum(["create", "append", "replace"]),
    row_count: z.number().int(),
    stats: z.object({ operation: z.literal("copy_query"), elapsed_ms: z.number() }),
    resolved_database: z.string(),
  }),
);

/** Registers `copy_query` on `server`. */
export function registerCopyQueryTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "copy_query",
    {
      title: "Copy query results into a table",
      description:
        'Runs one read-only query (SELECT, WITH or VALUES) and writes its rows into target_table of target_database ("local" by default, "persistent" or a writable attach_database alias), e.g. to materialize a result or move data between databases. mode "create" (default) needs a new table, "append" an existing one (columns by position), "replace" swaps in the new rows atomically. database says where the query\'s unqualified names resolve; other databases can be named in SQL as "alias"."public"."t". temp_attach {alias, path, writable?} attaches a .hyper file for this call only.',
      inputSchema: copyQueryInputSchema,
      outputSchema: copyQueryOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    },
    (args, ctx: ServerContext) =>
      withProgress(ctx, (progress) => runCopyQuery(context, args, ctx.mcpReq.signal, progress)),
  );
}

/** Runs the `copy_query` tool; exported for tests. */
export async function runCopyQuery(
  context: ToolContext,
  args: CopyQueryArgs,
  signal?: AbortSignal,
  progress: ProgressReporter = SILENT_PROGRESS,
): Promise<CallToolResult> {
  const started = performance.now();
  const refused = readOnlyViolation(context, "copy_query");
  if (refused !== undefined) return refused;
  let tempAlias: string | undefined;
  try {
    const mode = parseCopyMode(args.mode);
    requireTableName(args.target_table);
    const sql = checkQuery(args.sql);
    if (args.temp_attach !== undefined && args.temp_attach !== null) {
      const attached = await runAttachDatabase(context, {
        alias: args.temp_attach.alias,
        path: args.temp_attach.path,
        writable: args.temp_attach.writable ?? false,
      });
      if (attached.isError === true) return attached;
      tempAlias = args.temp_attach.alias.toLowerCase();
    }
    const target = resolveDatabase(args.target_database, null, routingOf(context.engine, "write"));
    if (!target.ok) return toolError("INVALID_ARGUMENT", target.message);
    const source = resolveDatabase(args.database, null, routingOf(context.engine, "read"));
    if (!source.ok) return toolError("INVALID_ARGUMENT", source.message);
    const rowCount = await context.engine.use(
      (connection) =>
        progress.heartbeat(
          cancelOnAbort(connection, signal, () =>
            copyRows(connection, { sql, mode, table: userTable(target.alias, args.target_table), source }),
          ),
          `copying into ${args.target_table}`,
        ),
      { signal, ...databasesOfCall(context.engine, target, source, sql) },
    );
    await context.events.emit({
      target,
      tables: [args.target_table],
      listChanged: mode !== "append",
      load: {
        tool: "copy_query",
        params: { mode, target_database: target.name, target_table: args.target_table, sql: args.sql },
        rowCount: mode === "append" ? null : rowCount,
      },
    });
    return toolResult({
      target_table: args.target_table,
      target_database: target.name,
      mode,
      row_count: rowCount,
      stats: { operation: "copy_query", elapsed_ms: Math.round((performance.now() - started) * 1000) / 1000 },
      resolved_database: source.name,
    } satisfies z.infer<ReturnType<typeof copyQueryOutputSchema>>);
  } catch (error) {
    return ingestErrorResult(error);
  } finally {
    if (tempAlias !== undefined) {
      context.engine.attachments.remove(tempAlias);
    }
  }
}

/** `mode` → the copy mode; create when omitted. @throws IngestError INVALID_ARGUMENT. */
export function parseCopyMode(mode: string | null | undefined): CopyMode {
  const name =
    mode === undefined || mode === null || mode.trim() === "" ? "create" : mode.trim().toLowerCase();
  const found = COPY_MODES.find((candidate) => candidate === name);
  if (found === undefined) {
    throw invalidArgument(`unknown mode '${mode}': use "create", "append" or "replace"`);
  }
  return found;
}

/** The query, checked to be one read-only SELECT, WITH or VALUES. @throws IngestError SQL_ERROR. */
function checkQuery(sql: string): string {
  const verdict = checkReadOnly(sql);
  const keyword = firstKeyword(sql);
  if (!verdict.ok || keyword === undefined || !QUERY_KEYWORDS.has(keyword)) {
    throw new IngestError(
      "SQL_ERROR",
      `copy_query only copies the rows of one read-only query (SELECT, WITH or VALUES)${verdict.ok ? "" : `: ${verdict.reason}`}`,
      "Pass one SELECT, WITH or VALUES statement; use execute for statements that change data.",
    );
  }
  return withoutTrailingSemicolons(sql);
}

/** The databases the call must attach: the target's, the source's and those the SQL names. */
function databasesOfCall(
  engine: Engine,
  target: DatabaseTarget,
  source: DatabaseTarget,
  sql: string,
): { persistent: boolean; attach: string[] } {
  const forTarget = databasesFor(engine, target, [sql]);
  const forSource = databasesFor(engine, source);
  return {
    persistent: forTarget.persistent || forSource.persistent,
    attach: [...new Set([...forTarget.attach, ...forSource.attach])],
  };
}

interface CopyPlan {
  readonly sql: string;
  readonly mode: CopyMode;
  readonly table: TableRef;
  readonly source: DatabaseTarget;
}

/** Writes the query's rows as the plan says; returns the rows written. */
async function copyRows(connection: Connection, plan: CopyPlan): Promise<number> {
  const { table, sql, mode, source } = plan;
  const exists = await new Catalog(connection).hasTable(
    TableName.of(table.name, "public", table.alias ?? undefined),
  );
  if (mode === "create" && exists) {
    throw invalidArgument(
      `table '${table.name}' already exists`,
      'Use mode "replace" to replace it or "append" to add rows, or choose another name.',
    );
  }
  if (mode === "append" && !exists) {
    throw invalidArgument(`table '${table.name}' does not exist`, 'Use mode "create" to create it.');
  }
  const run = <T>(work: () => Promise<T>): Promise<T> => withSearchPath(connection, source.alias, work);
  if (mode === "append") {
    return run(() => connection.execute(`INSERT INTO ${table.sql}\n${sql}`));
  }
  if (mode === "create") {
    await run(() => connection.execute(`CREATE TABLE ${table.sql} AS\n${sql}`));
    return countRows(connection, table.sql);
  }
  return swapInStaged(connection, table, async (staging) => {
    await run(() => connection.execute(`CREATE TABLE ${staging.sql} AS\n${sql}`));
    return countRows(connection, staging.sql);
  });
}
