/**
 * Counting the rows of a table: hyperd reports no row count for `CREATE TABLE … AS`, so the
 * tools that build tables count them afterwards.
 *
 * @module
 */
import type { Connection } from "@hyperdb-ts/hyperdb-api";

/** `SELECT COUNT(*)` of the table named by `qualifiedSql` (already escaped) as a number. */
export async function countRows(connection: Connection, qualifiedSql: string): Promise<number> {
  return Number(await connection.fetchScalar<bigint | number>(`SELECT COUNT(*) FROM ${qualifiedSql}`));
}
