/**
 * How the ingest layer names the tables it writes: a user table of an attached database (every
 * statement fully qualified as `"alias"."public"."t"`, so nothing depends on the connection's
 * search path), or a session-private temporary table (`pg_temp`), which `query_data` and
 * `query_file` load into under the exact name the user's SQL uses: a temporary table shadows a
 * table of the same name for unqualified references, so the SQL runs unchanged.
 *
 * Staging tables (a replace being built, a merge's incoming rows) get unique names with the
 * internal `_hyperdb_` prefix, which `describe` hides while they briefly exist.
 *
 * @module
 */
import { escapeIdentifier, TableName } from "@hyperdb-ts/hyperdb-api";
import { qualifiedTable } from "../engine/search-path.ts";

/** A table the ingest layer creates or fills. */
export interface TableRef {
  /** The bare table name, verbatim. */
  readonly name: string;
  /** The database alias, or null for a temporary table. */
  readonly alias: string | null;
  /** The name in SQL: `"alias"."public"."t"` or `"pg_temp"."t"`. */
  readonly sql: string;
  /** The name to create the table under: as {@link sql}, or `"t"` for a temporary table. */
  readonly createName: string;
  /** The name for the API's inserters. */
  readonly tableName: TableName;
  /** Whether the table is temporary. */
  readonly temporary: boolean;
}

/** A table of the user schema of the database attached as `alias`. */
export function userTable(alias: string, name: string): TableRef {
  const sql = qualifiedTable(alias, name);
  return {
    name,
    alias,
    sql,
    createName: sql,
    tableName: TableName.of(name, "public", alias),
    temporary: false,
  };
}

/** A temporary table of the connection's session. */
export function temporaryTable(name: string): TableRef {
  return {
    name,
    alias: null,
    sql: `"pg_temp".${escapeIdentifier(name)}`,
    createName: escapeIdentifier(name),
    tableName: TableName.of(name),
    temporary: true,
  };
}

let sequence = 0;

/** A fresh staging table next to `target` (same database), e.g. `_hyperdb_load_<pid>_<n>`. */
export function stagingTable(target: TableRef, purpose: "load" | "merge"): TableRef {
  sequence += 1;
  const name = `_hyperdb_${purpose}_${process.pid}_${Date.now().toString(36)}_${sequence}`;
  return target.alias === null ? temporaryTable(name) : userTable(target.alias, name);
}

/** `CREATE [TEMPORARY] TABLE <name>`. */
export function createTablePrefix(ref: TableRef): string {
  return `CREATE ${ref.temporary ? "TEMPORARY " : ""}TABLE ${ref.createName}`;
}
