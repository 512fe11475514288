/**
 * Reading a table's columns from the catalog the way `describe` reports them (catalog type
 * names upper-cased), for any table the ingest layer names: user, staging or temporary.
 *
 * @module
 */
import { Catalog, type Connection, NotFoundError, TableDefinition } from "@hyperdb-ts/hyperdb-api";
import type { ColumnSpec } from "./column-types.ts";
import { sqlTypeOf } from "./column-types.ts";
import type { TableRef } from "./table-ref.ts";

/** The table's definition from the catalog, or undefined when it does not exist. */
export async function readDefinition(
  connection: Connection,
  ref: TableRef,
): Promise<TableDefinition | undefined> {
  try {
    return await new Catalog(connection).getTableDefinition(ref.tableName);
  } catch (error) {
    if (error instanceof NotFoundError) {
      return undefined;
    }
    throw error;
  }
}

/** The table's columns (`describe` spelling), or undefined when it does not exist. */
export async function readColumns(connection: Connection, ref: TableRef): Promise<ColumnSpec[] | undefined> {
  const definition = await readDefinition(connection, ref);
  return definition?.columns.map((column) => ({
    name: column.name,
    type: column.type.toString().toUpperCase(),
    nullable: column.nullable,
  }));
}

/** A definition for a table this layer just created from `columns`. */
export function definitionOf(ref: TableRef, columns: readonly ColumnSpec[]): TableDefinition {
  return new TableDefinition(
    ref.tableName,
    columns.map((column) => ({ name: column.name, type: sqlTypeOf(column.type), nullable: column.nullable })),
    { temporary: ref.temporary },
  );
}
