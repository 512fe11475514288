import { escapeIdentifier } from "../catalog/escape.ts";
import type { TableName } from "../catalog/names.ts";

/** Data formats of `COPY … FROM STDIN` that the inserters send. */
export type CopyFormat = "hyperbinary" | "arrowstream";

/**
 * `COPY "db"."schema"."table" ("a", "b") FROM STDIN WITH (FORMAT hyperbinary)`: the table
 * name as qualified as given, every column quoted, in the order the data carries them.
 */
export function copyFromStdinSql(table: TableName, columns: readonly string[], format: CopyFormat): string {
  const list = columns.map(escapeIdentifier).join(", ");
  return `COPY ${table.toString()} (${list}) FROM STDIN WITH (FORMAT ${format})`;
}
