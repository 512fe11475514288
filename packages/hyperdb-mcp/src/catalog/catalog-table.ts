/**
 * The `_table_catalog` table: one row per user table of a database, with prose the client sets
 * (`set_table_metadata`: source, purpose, license, notes, data URL) and mechanical fields the
 * server keeps (how the table was loaded, when, by which client, how many rows).
 *
 * This module owns the table's layout and the SQL that creates it, reads it and writes single
 * rows; it takes the SQL alias of the database the catalog lives in and a connection that has
 * that database attached.
 *
 * @module
 */
import { Catalog, type Connection, HyperTimestamp, sql, TableName } from "@hyperdb-ts/hyperdb-api";
import { type JsonValue, toJsonValue } from "../engine/json-values.ts";

/** The name of the catalog table (in the `public` schema of each database that has one). */
export const CATALOG_TABLE = "_table_catalog";

/** The columns, in order, with their SQL types. */
const CATALOG_COLUMNS: readonly (readonly [string, string])[] = [
  ["table_name", "TEXT NOT NULL"],
  ["source_url", "TEXT"],
  ["source_description", "TEXT"],
  ["purpose", "TEXT"],
  ["load_tool", "TEXT"],
  ["load_params", "TEXT"],
  ["license", "TEXT"],
  ["loaded_at", "TIMESTAMP NOT NULL"],
  ["last_refreshed_at", "TIMESTAMP NOT NULL"],
  ["row_count", "BIGINT"],
  ["notes", "TEXT"],
  ["created_by", "TEXT"],
  ["last_modified_by", "TEXT"],
  ["data_url", "TEXT"],
];

/** The prose fields `set_table_metadata` writes; stubs never touch them. */
export const PROSE_FIELDS = [
  "source_url",
  "source_description",
  "purpose",
  "license",
  "notes",
  "data_url",
] as const;

/** One prose field. */
export type ProseField = (typeof PROSE_FIELDS)[number];

/** A catalog row as tools report it (timestamps as ISO 8601 text, `load_params` as JSON text). */
export type CatalogRow = Record<string, JsonValue>;

/** What a stub writes: the mechanical fields of a row. */
export interface StubFields {
  readonly loadTool: string;
  /** JSON text, or null. */
  readonly loadParams: string | null;
  readonly rowCount: number | null;
  /** The client, as "name version". */
  readonly client: string;
}

function catalogName(alias: string): ReturnType<typeof sql.identifier> {
  return sql.identifier(alias, "public", CATALOG_TABLE);
}

/** `now` as TIMESTAMP text (UTC, no zone), the form hyperd casts to TIMESTAMP. */
function timestampText(now: Date): string {
  return now.toISOString().replace("T", " ").replace("Z", "");
}

/** Whether the database attached as `alias` has a catalog table. */
export async function hasCatalog(connection: Connection, alias: string): Promise<boolean> {
  return new Catalog(connection).hasTable(TableName.of(CATALOG_TABLE, "public", alias));
}

/**
 * Creates the catalog in the database attached as `alias` unless it exists, and adds columns an
 * older catalog lacks (a failing ADD COLUMN is ignored: another session may have added it).
 */
export async function ensureCatalog(connection: Connection, alias: string): Promise<void> {
  const columns = CATALOG_COLUMNS.map(([name, type]) => `${name} ${type}`).join(", ");
  await connection.execute(sql`CREATE TABLE IF NOT EXISTS ${catalogName(alias)} (${sql.unsafe(columns)})`);
  const present = new Set(
    await new Catalog(connection).columnNames(TableName.of(CATALOG_TABLE, "public", alias)),
  );
  for (const [name, type] of CATALOG_COLUMNS) {
    if (!present.has(name) && !type.endsWith("NOT NULL")) {
      await connection
        .execute(sql`ALTER TABLE ${catalogName(alias)} ADD COLUMN ${sql.unsafe(`${name} ${type}`)}`)
        .catch(() => undefined);
    }
  }
}

/** `table_name` and `row_count` of every row. */
export async function catalogEntries(
  connection: Connection,
  alias: string,
): Promise<{ name: string; rowCount: number | null }[]> {
  const rows = await connection.fetchAll<{ table_name: string; row_count: bigint | null }>(
    sql`SELECT table_name, row_count FROM ${catalogName(alias)}`,
  );
  return rows.map((row) => ({
    name: row.table_name,
    rowCount: row.row_count === null ? null : Number(row.row_count),
  }));
}

/**
 * Writes the mechanical fields of `table`'s row: updates the row when there is one, else
 * inserts it (loaded now, created by the client). Prose fields are left alone.
 */
export async function upsertStub(
  connection: Connection,
  alias: string,
  table: string,
  stub: StubFields,
  now: Date = new Date(),
): Promise<void> {
  const at = timestampText(now);
  const rowCount = stub.rowCount === null ? null : BigInt(stub.rowCount);
  const updated = await connection.execute(
    sql`UPDATE ${catalogName(alias)} SET load_tool = ${stub.loadTool}, load_params = ${stub.loadParams}, row_count = ${rowCount}, last_refreshed_at = CAST(${at} AS TIMESTAMP), last_modified_by = ${stub.client} WHERE table_name = ${table}`,
  );
  if (updated > 0) return;
  await connection.execute(
    sql`INSERT INTO ${catalogName(alias)} (table_name, load_tool, load_params, loaded_at, last_refreshed_at, row_count, created_by, last_modified_by) SELECT ${table}, ${stub.loadTool}, ${stub.loadParams}, CAST(${at} AS TIMESTAMP), CAST(${at} AS TIMESTAMP), ${rowCount}, ${stub.client}, ${stub.client} WHERE NOT EXISTS (SELECT 1 FROM ${catalogName(alias)} WHERE table_name = ${table})`,
  );
}

/** Sets `row_count` of `table`'s row (a reconcile refresh: no timestamps change). */
export async function setRowCount(
  connection: Connection,
  alias: string,
  table: string,
  rowCount: number,
): Promise<void> {
  await connection.execute(
    sql`UPDATE ${catalogName(alias)} SET row_count = ${BigInt(rowCount)} WHERE table_name = ${table}`,
  );
}

/** Renames `from`'s row to `to`, keeping everything else. */
export async function renameEntry(
  connection: Connection,
  alias: string,
  from: string,
  to: string,
): Promise<void> {
  await connection.execute(
    sql`UPDATE ${catalogName(alias)} SET table_name = ${to} WHERE table_name = ${from}`,
  );
}

/** Deletes `table`'s row. */
export async function deleteEntry(connection: Connection, alias: string, table: string): Promise<void> {
  await connection.execute(sql`DELETE FROM ${catalogName(alias)} WHERE table_name = ${table}`);
}

/**
 * Sets the given prose fields of `table`'s row (null clears one); returns whether the row exists.
 */
export async function setProse(
  connection: Connection,
  alias: string,
  table: string,
  fields: Partial<Record<ProseField, string | null>>,
): Promise<boolean> {
  const assignments = Object.entries(fields).map(
    ([name, value]) => sql`${sql.identifier(name)} = ${value ?? null}`,
  );
  let list = assignments[0];
  for (const assignment of assignments.slice(1)) list = sql`${list}, ${assignment}`;
  if (list === undefined) return false;
  const updated = await connection.execute(
    sql`UPDATE ${catalogName(alias)} SET ${list} WHERE table_name = ${table}`,
  );
  return updated > 0;
}

/** `table`'s row as reported, or undefined when there is none. */
export async function readEntry(
  connection: Connection,
  alias: string,
  table: string,
): Promise<CatalogRow | undefined> {
  const names = CATALOG_COLUMNS.map(([name]) => name).join(", ");
  const row = await connection.fetchOptional(
    sql`SELECT ${sql.unsafe(names)} FROM ${catalogName(alias)} WHERE table_name = ${table}`,
  );
  if (row === undefined) return undefined;
  const reported: CatalogRow = {};
  for (const [name] of CATALOG_COLUMNS) {
    const value = row[name];
    reported[name] = value instanceof HyperTimestamp ? value.toISOString() : toJsonValue(value);
  }
  return reported;
}
