/**
 * The `hyper` format of `export`: every user table of a database copied into a new `.hyper`
 * file. The file is created and attached under a temporary alias, each non-system schema of the
 * source is created in it and each table copied with `CREATE TABLE … AS SELECT *` (the server's
 * internal `_hyperdb_*` tables are skipped), then the file is detached, which writes it to disk.
 * Only tables are copied. The row total is counted from the copies (the upstream reports 0).
 * A failed export removes the partial file.
 *
 * @module
 */
import { rm } from "node:fs/promises";
import { Catalog, type Connection, escapeIdentifier } from "@hyperdb-ts/hyperdb-api";
import { countRows } from "../catalog/count-rows.ts";
import { attachForCall, detachAfterCall } from "../engine/attach-for-call.ts";
import { isHiddenTable, isListedTable } from "../tools/describe.ts";

let sequence = 0;

/** Progress of a hyper export: tables copied so far, of how many. */
export type TableProgress = (done: number, total: number, table: string) => void;

/**
 * Copies the tables of the database attached as `sourceAlias` into a new database file at
 * `path` (which must not exist), the table catalog included; returns the rows of the user
 * tables copied (the catalog's rows are metadata, not counted).
 */
export async function exportHyperFile(
  connection: Connection,
  sourceAlias: string,
  path: string,
  onTable: TableProgress = () => undefined,
): Promise<number> {
  const catalog = new Catalog(connection);
  const tables: { schema: string; table: string }[] = [];
  const schemas = await catalog.schemaNames(sourceAlias);
  for (const schema of schemas) {
    for (const name of await catalog.tableNames(schema.schema, sourceAlias)) {
      if (!isHiddenTable(name.table)) tables.push({ schema: schema.schema, table: name.table });
    }
  }
  sequence += 1;
  const alias = `_hyperdb_export_${process.pid}_${sequence}`;
  await attachForCall(connection, { alias, path, createMode: "Create" });
  let rows = 0;
  try {
    const targetSchemas = new Set((await catalog.schemaNames(alias)).map((schema) => schema.schema));
    for (const [index, { schema, table }] of tables.entries()) {
      if (!targetSchemas.has(schema)) {
        await connection.execute(`CREATE SCHEMA ${escapeIdentifier(alias)}.${escapeIdentifier(schema)}`);
        targetSchemas.add(schema);
      }
      const target = `${escapeIdentifier(alias)}.${escapeIdentifier(schema)}.${escapeIdentifier(table)}`;
      const source = `${escapeIdentifier(sourceAlias)}.${escapeIdentifier(schema)}.${escapeIdentifier(table)}`;
      // CREATE TABLE … AS reports no row count in hyperd; count the copy.
      await connection.execute(`CREATE TABLE ${target} AS SELECT * FROM ${source}`);
      if (isListedTable(table)) {
        rows += await countRows(connection, target);
      }
      onTable(index + 1, tables.length, table);
    }
  } catch (error) {
    await detachAfterCall(connection, alias);
    await rm(path, { force: true }).catch(() => undefined);
    throw error;
  }
  await connection.detachDatabase(alias);
  return rows;
}
