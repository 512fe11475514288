/**
 * One load of a prepared source into a table, by mode:
 *
 * - `replace`: the rows go into a fresh staging table next to the target; only when that load
 *   succeeded is the old table dropped and the staging table renamed in its place (one
 *   transaction; hyperd commits DDL as it goes, so the swap is two quick steps, but a failed
 *   load never destroys the old data — unlike the upstream Rust hyperdb-mcp, which drops first).
 * - `append`: rows go into the existing table in one statement (atomic); a missing table is
 *   created as for replace.
 * - `merge`: rows are staged, then rows of the target with the same key are deleted and the
 *   staged rows inserted (one transaction); incoming columns the target lacks are added first
 *   (nullable). A missing target is created from the staged rows. The staging table is always
 *   dropped. Added columns stay when the delete/insert step fails afterwards (DDL commits at
 *   once); the rows themselves are untouched then.
 *
 * A CSV source typed from its first rows only (see `CsvSource.widen`) that meets a value its
 * types cannot take (a data exception, SQLSTATE class 22, from hyperd's COPY) is typed again
 * from the full scan and loaded once more, when that changed anything; the failed attempt left
 * nothing behind (see above). Most files load on the first attempt without a pass over their
 * rows in JS.
 *
 * Every statement names tables fully qualified, so loads into the persistent database work no
 * matter the connection's search path. The result reports the table's actual schema as the
 * catalog has it after the load (for append and merge that is the table's, not the incoming
 * data's).
 *
 * @module
 */
import { type Connection, escapeIdentifier, HyperError } from "@hyperdb-ts/hyperdb-api";
import type { ColumnSpec } from "./column-types.ts";
import { appendRows, createAndLoad, existingDefinition } from "./fill-table.ts";
import { IngestError, invalidArgument } from "./ingest-error.ts";
import type { CsvSource, IngestSource } from "./ingest-source.ts";
import { readColumns } from "./table-columns.ts";
import { stagingTable, type TableRef } from "./table-ref.ts";

/** How a load treats an existing table. */
export type IngestMode = "replace" | "append" | "merge";

/** What a load did. */
export interface IngestOutcome {
  /** Rows loaded (for merge: rows inserted). */
  readonly rows: number;
  /** The table's columns after the load. */
  readonly schema: ColumnSpec[];
  /** Merge only: the table was created or got new columns. */
  readonly schemaChanged: boolean;
}

/** `mode` argument → mode: `append` and `merge` as named, anything else replace. */
export function parseMode(mode: string | null | undefined): IngestMode {
  const normalized = mode?.trim().toLowerCase();
  return normalized === "append" ? "append" : normalized === "merge" ? "merge" : "replace";
}

async function dropQuietly(connection: Connection, ref: TableRef): Promise<void> {
  await connection.execute(`DROP TABLE IF EXISTS ${ref.sql}`).catch(() => undefined);
}

async function schemaOf(connection: Connection, ref: TableRef): Promise<ColumnSpec[]> {
  return (await readColumns(connection, ref)) ?? [];
}

/** Loads into a staging table and swaps it in place of `target`. */
async function replaceTable(connection: Connection, target: TableRef, source: IngestSource): Promise<number> {
  if (target.temporary) {
    await dropQuietly(connection, target);
    return createAndLoad(connection, target, source);
  }
  return swapInStaged(connection, target, (staging) => createAndLoad(connection, staging, source));
}

/**
 * Replaces `target` without ever leaving it half-filled: `fill` builds a staging table next to
 * it, then the old table is dropped and the staging table renamed in its place in one
 * transaction. The staging table is dropped when anything fails. Resolves with what `fill` did.
 */
export async function swapInStaged<T>(
  connection: Connection,
  target: TableRef,
  fill: (staging: TableRef) => Promise<T>,
): Promise<T> {
  const staging = stagingTable(target, "load");
  try {
    const filled = await fill(staging);
    await connection.transaction(async (tx) => {
      await tx.execute(`DROP TABLE IF EXISTS ${target.sql}`);
      await tx.execute(`ALTER TABLE ${staging.sql} RENAME TO ${escapeIdentifier(target.name)}`);
    });
    return filled;
  } catch (error) {
    await dropQuietly(connection, staging);
    throw error;
  }
}

const INTEGER_RANK: Readonly<Record<string, number>> = { SMALLINT: 1, INTEGER: 2, BIGINT: 3 };

/**
 * Whether incoming values of type `incoming` can go into a column of type `existing`: the same
 * type, a narrower integer into a wider one, an integer into DOUBLE PRECISION or NUMERIC, or
 * text into text.
 */
export function compatibleTypes(incoming: string, existing: string): boolean {
  if (incoming === existing) return true;
  const a = INTEGER_RANK[incoming];
  const b = INTEGER_RANK[existing];
  if (a !== undefined && b !== undefined) return a <= b;
  if (a !== undefined && (existing === "DOUBLE PRECISION" || existing.startsWith("NUMERIC"))) return true;
  const textual = (type: string): boolean => type === "TEXT" || type.startsWith("VARCHAR");
  return textual(incoming) && textual(existing);
}

async function mergeInto(
  connection: Connection,
  target: TableRef,
  source: IngestSource,
  keys: readonly string[],
): Promise<{ rows: number; schemaChanged: boolean }> {
  const staging = stagingTable(target, "merge");
  try {
    const loaded = await createAndLoad(connection, staging, source);
    const existing = await readColumns(connection, target);
    if (existing === undefined) {
      await connection.execute(`ALTER TABLE ${staging.sql} RENAME TO ${escapeIdentifier(target.name)}`);
      return { rows: loaded, schemaChanged: true };
    }
    const incoming = await schemaOf(connection, staging);
    const existingByName = new Map(existing.map((column) => [column.name, column]));
    const incomingByName = new Map(incoming.map((column) => [column.name, column]));
    for (const key of keys) {
      if (!incomingByName.has(key)) {
        throw invalidArgument(
          `merge key '${key}' is not a column of the incoming data. Its columns: ${incoming.map((c) => c.name).join(", ")}`,
        );
      }
      if (!existingByName.has(key)) {
        throw invalidArgument(
          `merge key '${key}' is not a column of table '${target.name}'. Its columns: ${existing.map((c) => c.name).join(", ")}`,
        );
      }
    }
    for (const column of incoming) {
      const match = existingByName.get(column.name);
      if (match !== undefined && !compatibleTypes(column.type, match.type)) {
        const role = keys.includes(column.name) ? "merge key" : "column";
        throw invalidArgument(
          `${role} '${column.name}' has type ${column.type} in the incoming data but ${match.type} in table '${target.name}'`,
          "Override the incoming type with schema so it matches the table.",
        );
      }
    }
    const added = incoming.filter((column) => !existingByName.has(column.name));
    for (const column of added) {
      await connection.execute(
        `ALTER TABLE ${target.sql} ADD COLUMN ${escapeIdentifier(column.name)} ${column.type}`,
      );
    }
    const match = keys.map((key) => `t.${escapeIdentifier(key)} = s.${escapeIdentifier(key)}`).join(" AND ");
    const columnList = incoming.map((column) => escapeIdentifier(column.name)).join(", ");
    const rows = await connection.transaction(async (tx) => {
      await tx.execute(`DELETE FROM ${target.sql} AS t USING ${staging.sql} AS s WHERE ${match}`);
      return tx.execute(`INSERT INTO ${target.sql} (${columnList}) SELECT ${columnList} FROM ${staging.sql}`);
    });
    return { rows, schemaChanged: added.length > 0 };
  } finally {
    await dropQuietly(connection, staging);
  }
}

/**
 * Loads `source` into `target`.
 * @throws IngestError for data and argument problems; the server's errors as thrown.
 */
export async function ingest(
  connection: Connection,
  target: TableRef,
  source: IngestSource,
  mode: IngestMode,
  mergeKeys: readonly string[] = [],
): Promise<IngestOutcome> {
  try {
    return await ingestOnce(connection, target, source, mode, mergeKeys);
  } catch (error) {
    const widened = await widenedSource(source, error);
    if (widened === undefined) throw error;
    return ingestOnce(connection, target, widened, mode, mergeKeys);
  }
}

/**
 * The source typed by the full inference, when `source` was typed from its first rows, the load
 * failed on a value, and the full inference types it differently; otherwise undefined.
 */
async function widenedSource(source: IngestSource, error: unknown): Promise<CsvSource | undefined> {
  if (source.kind !== "csv" || source.widen === null) return undefined;
  if (!(error instanceof HyperError) || !error.sqlstate.startsWith("22")) return undefined;
  const full = await source.widen();
  const sameTypes =
    full.columns.length === source.columns.length &&
    full.columns.every((column, index) => column.type === source.columns[index]?.type);
  const sameNulls =
    full.tokenNullColumns.length === source.tokenNullColumns.length &&
    full.tokenNullColumns.every((name) => source.tokenNullColumns.includes(name));
  return sameTypes && sameNulls ? undefined : full;
}

async function ingestOnce(
  connection: Connection,
  target: TableRef,
  source: IngestSource,
  mode: IngestMode,
  mergeKeys: readonly string[],
): Promise<IngestOutcome> {
  if (mode === "merge") {
    if (mergeKeys.length === 0) {
      throw new IngestError("INVALID_ARGUMENT", "mode 'merge' needs merge_key");
    }
    const { rows, schemaChanged } = await mergeInto(connection, target, source, mergeKeys);
    return { rows, schema: await schemaOf(connection, target), schemaChanged };
  }
  if (mode === "append" && !target.temporary) {
    const definition = await existingDefinition(connection, target);
    if (definition !== undefined) {
      const rows = await connection.transaction((tx) => appendRows(tx, target, definition, source));
      return { rows, schema: await schemaOf(connection, target), schemaChanged: false };
    }
  }
  const rows = await replaceTable(connection, target, source);
  return {
    rows,
    schema: target.temporary ? tableSchemaOfSource(source) : await schemaOf(connection, target),
    schemaChanged: false,
  };
}

function tableSchemaOfSource(source: IngestSource): ColumnSpec[] {
  return source.kind === "parquet" ? [] : source.columns;
}
