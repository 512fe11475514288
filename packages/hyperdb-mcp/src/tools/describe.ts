/**
 * The `describe` tool: the columns and row counts of the user tables of the scratch database,
 * or of one table.
 *
 * - Tables come from the `public` schema through the hyperdb-api {@link Catalog}, sorted by name.
 * - Tables whose name starts with {@link HIDDEN_TABLE_PREFIX} (the server's own bookkeeping) are
 *   never listed, and asking for one is `TABLE_NOT_FOUND`, as for any missing table.
 * - A `table` argument is taken verbatim (no case folding, no parsing of dots or quotes), so
 *   `"Mixed Case"` names the table created as `"Mixed Case"`.
 * - Column types are upper-case SQL spellings (`INTEGER`, `NUMERIC(10,2)`, `TEXT`, …).
 *
 * @module
 */

import { Catalog, type Connection, NotFoundError, TableName } from "@hyperdb-ts/hyperdb-api";
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { CATALOG_TABLE } from "../catalog/catalog-table.ts";
import { LOCAL_ALIAS } from "../engine/engine.ts";
import { tableNameArgument } from "./ingest-support.ts";
import { lazy } from "./lazy-schema.ts";
import { errorResult } from "./map-error.ts";
import { registerTool } from "./register-tool.ts";
import { databasesFor, resolveDatabase, routingOf } from "./resolve-database.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** Tables whose name starts with this are internal and hidden from every tool. */
export const HIDDEN_TABLE_PREFIX = "_hyperdb_";

/** The schema user tables live in. */
const USER_SCHEMA = "public";

/** One column as the tools report it. */
export const columnSchema = lazy(() =>
  z.object({ name: z.string(), type: z.string(), nullable: z.boolean() }),
);

/** One column as the tools report it, as a type. */
export type ColumnInfo = z.infer<ReturnType<typeof columnSchema>>;

/** One described table. */
export const describedTableSchema = lazy(() =>
  z.object({
    name: z.string(),
    columns: z.array(columnSchema()),
    row_count: z.number().int(),
  }),
);

/** One described table, as a type. */
export type DescribedTable = z.infer<ReturnType<typeof describedTableSchema>>;

/** The `describe` arguments. */
export const describeInputSchema = lazy(() =>
  z.object({
    table: tableNameArgument(
      "Table to describe (name taken verbatim, case-sensitive); all tables when omitted.",
    ).nullish(),
    database: z
      .string()
      .nullish()
      .describe(
        'Database to look in: "local" (the session scratch database, default), "persistent" or an attach_database alias.',
      ),
  }),
);

/** The `describe` result. */
export const describeOutputSchema = lazy(() =>
  z.object({
    tables: z.array(describedTableSchema()),
    resolved_database: z.string(),
  }),
);

/** Whether `name` is one of the server's internal tables. */
export function isHiddenTable(name: string): boolean {
  return name.startsWith(HIDDEN_TABLE_PREFIX);
}

/**
 * Whether `name` appears in table listings (describe, resources, table counts): not internal,
 * and not the table catalog, which is metadata about the tables (read it with query, or
 * describe it by name).
 */
export function isListedTable(name: string): boolean {
  return !isHiddenTable(name) && name !== CATALOG_TABLE;
}

/** The message of a `TABLE_NOT_FOUND` for `table`. */
export function tableNotFoundMessage(table: string): string {
  return `table "${table}" does not exist`;
}

/** The name of a user table, or undefined when `table` is empty or internal. */
export function userTableName(table: string, alias: string = LOCAL_ALIAS): TableName | undefined {
  if (table === "" || table.includes("\0") || isHiddenTable(table)) {
    return undefined;
  }
  return TableName.of(table, USER_SCHEMA, alias);
}

/** The columns of a table (upper-case SQL types); undefined when it does not exist or is hidden. */
export async function tableColumns(
  connection: Connection,
  table: string,
  alias: string = LOCAL_ALIAS,
): Promise<ColumnInfo[] | undefined> {
  const name = userTableName(table, alias);
  if (name === undefined) {
    return undefined;
  }
  const catalog = new Catalog(connection);
  try {
    const definition = await catalog.getTableDefinition(name);
    return definition.columns.map((column) => ({
      name: column.name,
      type: column.type.toString().toUpperCase(),
      nullable: column.nullable,
    }));
  } catch (error) {
    if (error instanceof NotFoundError) {
      return undefined;
    }
    throw error;
  }
}

/** `COUNT(*)` of a user table as a JSON number; undefined when it does not exist or is hidden. */
export async function tableRowCount(
  connection: Connection,
  table: string,
  alias: string = LOCAL_ALIAS,
): Promise<number | undefined> {
  const name = userTableName(table, alias);
  if (name === undefined) {
    return undefined;
  }
  try {
    return Number(await new Catalog(connection).rowCount(name));
  } catch (error) {
    if (error instanceof NotFoundError) {
      return undefined;
    }
    throw error;
  }
}

/**
 * Describes the user tables of the connection's database (sorted by name), or the one table
 * `table`. Returns undefined when `table` is given but does not exist or is internal.
 */
export async function describeTables(
  connection: Connection,
  table?: string | null,
  alias: string = LOCAL_ALIAS,
): Promise<DescribedTable[] | undefined> {
  let names: string[];
  if (table === undefined || table === null) {
    const listed = await new Catalog(connection).tableNames(USER_SCHEMA, alias);
    names = listed.map((name) => name.table).filter((name) => isListedTable(name));
  } else {
    names = [table];
  }
  const tables: DescribedTable[] = [];
  for (const name of names) {
    const columns = await tableColumns(connection, name, alias);
    const rowCount = columns === undefined ? undefined : await tableRowCount(connection, name, alias);
    if (columns === undefined || rowCount === undefined) {
      if (table === undefined || table === null) {
        continue; // dropped between listing and describing
      }
      return undefined;
    }
    tables.push({ name, columns, row_count: rowCount });
  }
  return tables;
}

/** Registers `describe` on `server`. */
export function registerDescribeTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "describe",
    {
      title: "Describe tables",
      description:
        'Lists the tables of the database (default "local", the session scratch database) with their columns (name, SQL type, nullable) and row counts, or describes the one table given by "table" (case-sensitive, verbatim). A missing table is TABLE_NOT_FOUND.',
      inputSchema: describeInputSchema,
      outputSchema: describeOutputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args) => runDescribe(context, args.table, args.database),
  );
}

/** Runs the `describe` tool; exported for tests. */
export async function runDescribe(
  context: ToolContext,
  table: string | null | undefined,
  database: string | null | undefined,
): Promise<CallToolResult> {
  const resolved = resolveDatabase(database, null, routingOf(context.engine, "read"));
  if (!resolved.ok) {
    return toolError("INVALID_ARGUMENT", resolved.message);
  }
  let tables: DescribedTable[] | undefined;
  try {
    tables = await context.engine.use((connection) => describeTables(connection, table, resolved.alias), {
      ...databasesFor(context.engine, resolved),
    });
  } catch (error) {
    return errorResult(error);
  }
  if (tables === undefined) {
    return toolError("TABLE_NOT_FOUND", tableNotFoundMessage(table ?? ""));
  }
  const payload: z.infer<ReturnType<typeof describeOutputSchema>> = {
    tables,
    resolved_database: resolved.name,
  };
  return toolResult(payload);
}
