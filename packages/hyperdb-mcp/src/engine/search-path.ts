/**
 * Running user SQL against a database other than the local one: the connection's
 * `schema_search_path` points at that database for the duration of the work and is set back to
 * the local database afterwards, also when the work fails.
 *
 * @module
 */
import { type Connection, escapeIdentifier } from "@hyperdb-ts/hyperdb-api";
import { LOCAL_ALIAS } from "./engine.ts";

/** Runs `work` with unqualified names resolving in the database attached as `alias`. */
export async function withSearchPath<T>(
  connection: Connection,
  alias: string,
  work: () => Promise<T>,
): Promise<T> {
  if (alias === LOCAL_ALIAS) {
    return work();
  }
  await connection.setPrimaryDatabase(alias);
  try {
    return await work();
  } finally {
    // A connection whose search path cannot be put back must not serve another call: closing
    // it makes the pool discard it.
    const restored =
      connection.isOpen &&
      connection.transactionStatus === "idle" &&
      (await connection.setPrimaryDatabase(LOCAL_ALIAS).then(
        () => true,
        () => false,
      ));
    if (!restored) {
      await connection.close().catch(() => undefined);
    }
  }
}

/** `"alias"."public"."table"`: a table of the user schema of the database attached as `alias`. */
export function qualifiedTable(alias: string, table: string): string {
  return `${escapeIdentifier(alias)}."public".${escapeIdentifier(table)}`;
}
