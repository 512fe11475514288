/**
 * Moving a prepared source's rows into a table, with the fastest path per format:
 *
 * - CSV: hyperd reads the file itself (`COPY … FROM '<path>' WITH (FORMAT csv, NULL '',
 *   DELIMITER ',', HEADER)`: unquoted empty cells are NULL, quoted `""` empty strings). When
 *   non-TEXT columns hold `null`/`NA` tokens, the file goes into an all-TEXT temporary table
 *   first and an `INSERT … SELECT` maps those tokens to NULL while casting.
 * - JSON: rows are encoded in-process and sent through the API's binary COPY `Inserter`.
 * - Parquet: hyperd reads it through `external(…, FORMAT => 'parquet')`; overridden columns
 *   are cast (`"c"::TYPE AS "c"`).
 * - Arrow: record batches go through the API's `ArrowInserter` (Arrow stream COPY).
 *
 * Creating fills a new table built from the source's schema; appending fills an existing table,
 * matching columns by name.
 *
 * @module
 */

import {
  type Connection,
  escapeIdentifier,
  escapeStringLiteral,
  Inserter,
  InvalidArgumentError,
  type TableDefinition,
} from "@hyperdb-ts/hyperdb-api";
import type { ColumnSpec } from "./column-types.ts";
import { schemaMismatch } from "./ingest-error.ts";
import type { ArrowSource, CsvSource, IngestSource, JsonSource, ParquetSource } from "./ingest-source.ts";
import { jsonRowsToArrays } from "./json-to-column.ts";
import { applySchemaOverrides } from "./schema-override.ts";
import { definitionOf, readDefinition } from "./table-columns.ts";
import { createTablePrefix, type TableRef, temporaryTable } from "./table-ref.ts";

/** `"c" TYPE [NOT NULL], …`. */
export function columnListSql(columns: readonly ColumnSpec[]): string {
  return columns
    .map((column) => `${escapeIdentifier(column.name)} ${column.type}${column.nullable ? "" : " NOT NULL"}`)
    .join(", ");
}

function names(columns: readonly { readonly name: string }[]): string {
  return columns.map((column) => escapeIdentifier(column.name)).join(", ");
}

async function createTable(
  connection: Connection,
  ref: TableRef,
  columns: readonly ColumnSpec[],
): Promise<void> {
  await connection.execute(`${createTablePrefix(ref)} (${columnListSql(columns)})`);
}

function copyCsvSql(tableSql: string, path: string, columns?: readonly ColumnSpec[]): string {
  const list = columns === undefined ? "" : ` (${names(columns)})`;
  return `COPY ${tableSql}${list} FROM ${escapeStringLiteral(path)} WITH (FORMAT csv, NULL '', DELIMITER ',', HEADER)`;
}

let stagingSequence = 0;

/**
 * Loads the CSV file into `ref`, whose columns `into` are in file order (types as in the table).
 * `list` names the target columns in the COPY (undefined: positional).
 */
async function loadCsv(
  connection: Connection,
  ref: TableRef,
  source: CsvSource,
  into: readonly ColumnSpec[],
  list: boolean,
): Promise<number> {
  if (source.tokenNullColumns.length === 0) {
    return connection.execute(copyCsvSql(ref.sql, source.path, list ? into : undefined));
  }
  stagingSequence += 1;
  const staging = temporaryTable(`_hyperdb_csv_${process.pid}_${stagingSequence}`);
  const textColumns = source.columns.map((column) => ({ name: column.name, type: "TEXT", nullable: true }));
  await createTable(connection, staging, textColumns);
  try {
    await connection.execute(copyCsvSql(staging.sql, source.path));
    const tokenNull = new Set(source.tokenNullColumns);
    const projection = source.columns.map((column, index) => {
      const target = into[index];
      const name = escapeIdentifier(column.name);
      const value = tokenNull.has(column.name)
        ? `CASE WHEN lower(${name}) IN ('null', 'na') THEN NULL ELSE ${name} END`
        : name;
      return target === undefined || target.type === "TEXT" ? value : `(${value})::${target.type}`;
    });
    return await connection.execute(
      `INSERT INTO ${ref.sql}${list ? ` (${names(into)})` : ""} SELECT ${projection.join(", ")} FROM ${staging.sql}`,
    );
  } finally {
    await connection.execute(`DROP TABLE IF EXISTS ${staging.sql}`).catch(() => undefined);
  }
}

async function insertJson(
  connection: Connection,
  definition: TableDefinition,
  source: JsonSource,
  columns: readonly ColumnSpec[],
): Promise<number> {
  const rows = jsonRowsToArrays(source.rows, columns);
  let inserter: Inserter;
  try {
    inserter = new Inserter(connection, definition, { columns: columns.map((column) => column.name) });
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      throw schemaMismatch(error.message, "Include every NOT NULL column of the table in each row.");
    }
    throw error;
  }
  try {
    for (let index = 0; index < rows.length; index += 1) {
      try {
        inserter.addRow(rows[index] as unknown[]);
      } catch (error) {
        if (error instanceof InvalidArgumentError) {
          throw schemaMismatch(
            `Row ${index + 1}: ${error.message}`,
            "Override the column's type with schema or fix the data.",
          );
        }
        throw error;
      }
    }
    return await inserter.execute();
  } catch (error) {
    await inserter.cancel().catch(() => undefined);
    throw error;
  }
}

function externalParquet(path: string): string {
  return `external(${escapeStringLiteral(path)}, FORMAT => 'parquet')`;
}

/** The Parquet file's columns as hyperd reads them, with overrides applied. */
export async function parquetColumns(
  connection: Connection,
  source: ParquetSource,
): Promise<{
  file: ColumnSpec[];
  final: ColumnSpec[];
}> {
  const described = await connection.describe(`SELECT * FROM ${externalParquet(source.path)}`);
  const file = described.map((column) => ({
    name: column.name,
    type: column.typeName.toUpperCase(),
    nullable: true,
  }));
  return { file, final: applySchemaOverrides(file, source.overrides) };
}

function parquetProjection(file: readonly ColumnSpec[], final: readonly ColumnSpec[]): string {
  return final
    .map((column, index) =>
      column.type === file[index]?.type
        ? escapeIdentifier(column.name)
        : `${escapeIdentifier(column.name)}::${column.type} AS ${escapeIdentifier(column.name)}`,
    )
    .join(", ");
}

async function insertArrow(
  connection: Connection,
  target: TableDefinition | TableRef,
  source: ArrowSource,
): Promise<number> {
  // The Arrow inserter pulls in apache-arrow, which is large: loaded on first use.
  const { ArrowInserter } = await import("@hyperdb-ts/hyperdb-api/arrow");
  const inserter = new ArrowInserter(connection, "columns" in target ? target : target.tableName);
  try {
    await inserter.insertTable(source.data.table);
    return await inserter.execute();
  } catch (error) {
    await inserter.cancel().catch(() => undefined);
    if (error instanceof InvalidArgumentError) {
      throw schemaMismatch(error.message);
    }
    throw error;
  }
}

/** Creates `ref` with the source's schema and loads every row; returns the rows loaded. */
export async function createAndLoad(
  connection: Connection,
  ref: TableRef,
  source: IngestSource,
): Promise<number> {
  switch (source.kind) {
    case "csv":
      await createTable(connection, ref, source.columns);
      return loadCsv(connection, ref, source, source.columns, false);
    case "json":
      await createTable(connection, ref, source.columns);
      return insertJson(connection, definitionOf(ref, source.columns), source, source.columns);
    case "parquet": {
      const { file, final } = await parquetColumns(connection, source);
      await connection.execute(
        `${createTablePrefix(ref)} AS SELECT ${parquetProjection(file, final)} FROM ${externalParquet(source.path)}`,
      );
      // CREATE TABLE AS reports no row count; count the (fully qualified) new table.
      return Number(await connection.fetchScalar<bigint>(`SELECT count(*) FROM ${ref.sql}`));
    }
    case "arrow":
      await createTable(connection, ref, source.columns);
      return insertArrow(connection, definitionOf(ref, source.columns), source);
  }
}

function requireKnownColumns(
  table: TableRef,
  definition: TableDefinition,
  columns: readonly { name: string }[],
): void {
  const unknown = columns
    .filter((column) => definition.column(column.name) === undefined)
    .map((column) => column.name);
  if (unknown.length > 0) {
    throw schemaMismatch(
      `Table '${table.name}' has no column ${unknown.map((name) => `'${name}'`).join(", ")}. Its columns: ${definition.columns.map((column) => column.name).join(", ")}`,
      "Append data with the table's columns, or load with mode replace to recreate the table.",
    );
  }
}

/** Appends the source's rows to the existing table `ref`, matching columns by name. */
export async function appendRows(
  connection: Connection,
  ref: TableRef,
  definition: TableDefinition,
  source: IngestSource,
): Promise<number> {
  const tableType = (name: string): ColumnSpec => {
    const column = definition.column(name);
    return {
      name,
      type: column === undefined ? "TEXT" : column.type.toString().toUpperCase(),
      nullable: column?.nullable ?? true,
    };
  };
  switch (source.kind) {
    case "csv": {
      const byName = source.columns.every((column) => definition.column(column.name) !== undefined);
      const into = byName
        ? source.columns.map((column) => tableType(column.name))
        : definition.columns.map((column) => tableType(column.name));
      return loadCsv(connection, ref, source, into, byName);
    }
    case "json": {
      requireKnownColumns(ref, definition, source.columns);
      const columns = source.columns.map((column) => tableType(column.name));
      return insertJson(connection, definition, source, columns);
    }
    case "parquet": {
      const { file, final } = await parquetColumns(connection, source);
      requireKnownColumns(ref, definition, final);
      return connection.execute(
        `INSERT INTO ${ref.sql} (${names(final)}) SELECT ${parquetProjection(file, final)} FROM ${externalParquet(source.path)}`,
      );
    }
    case "arrow":
      requireKnownColumns(ref, definition, source.columns);
      return insertArrow(connection, ref, source);
  }
}

/** Whether `ref` exists; its definition when it does. */
export function existingDefinition(
  connection: Connection,
  ref: TableRef,
): Promise<TableDefinition | undefined> {
  return readDefinition(connection, ref);
}
