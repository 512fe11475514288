import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";

/**
 * Quotes an SQL identifier (table, schema, column, database alias, or a database file path
 * in `CREATE/ATTACH DATABASE`): `"…"` with embedded quotes doubled.
 * @throws InvalidArgumentError for an empty name or one containing a NUL character.
 */
export function escapeIdentifier(name: string): string {
  if (name.length === 0) throw new InvalidArgumentError("an SQL name cannot be empty");
  if (name.includes("\0")) throw new InvalidArgumentError("an SQL name cannot contain a NUL character");
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Quotes a string literal: `'…'` with embedded quotes doubled. Prefer bound parameters for
 * values; literals are for the few places SQL does not accept parameters.
 * @throws InvalidArgumentError for a string containing a NUL character.
 */
export function escapeStringLiteral(value: string): string {
  if (value.includes("\0")) throw new InvalidArgumentError("an SQL string cannot contain a NUL character");
  return `'${value.replaceAll("'", "''")}'`;
}
