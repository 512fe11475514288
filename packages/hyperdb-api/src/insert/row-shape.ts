import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import { escapeIdentifier } from "../catalog/escape.ts";
import type { ColumnDefinition } from "../catalog/table-definition.ts";

/**
 * A row for an inserter: values in the inserter's column order, or an object keyed by column
 * name (case-sensitive). `null` and `undefined` mean NULL; so does a key missing from an object.
 */
export type InsertRow = readonly unknown[] | Readonly<Record<string, unknown>>;

/**
 * Turns rows given as arrays or objects into value arrays in column order, and rejects the
 * shapes that cannot be right (wrong length, unknown keys, a missing value for a NOT NULL column).
 */
export class RowShape {
  private readonly names: readonly string[];
  private readonly nullable: readonly boolean[];
  private readonly known: ReadonlySet<string>;

  constructor(columns: readonly ColumnDefinition[]) {
    this.names = columns.map((column) => column.name);
    this.nullable = columns.map((column) => column.nullable);
    this.known = new Set(this.names);
  }

  /**
   * The row's values in column order (an array row is returned as is).
   * @throws InvalidArgumentError for an array of the wrong length, an object with a key that
   *   names no column, an object without a value for a NOT NULL column, or anything else.
   */
  values(row: InsertRow): readonly unknown[] {
    if (Array.isArray(row)) {
      if (row.length !== this.names.length) {
        throw new InvalidArgumentError(
          `row has ${row.length} values, expected ${this.names.length} (${this.columnList()})`,
        );
      }
      return row;
    }
    if (typeof row !== "object" || row === null) {
      throw new InvalidArgumentError(
        `a row must be an array or an object keyed by column name, got ${row === null ? "null" : typeof row}`,
      );
    }
    const record = row as Readonly<Record<string, unknown>>;
    const names = this.names;
    const values = new Array<unknown>(names.length);
    let own = 0;
    for (let index = 0; index < names.length; index++) {
      const name = names[index]!;
      if (Object.hasOwn(record, name)) {
        own++;
        values[index] = record[name];
      } else if (!this.nullable[index]) {
        throw new InvalidArgumentError(`row has no value for NOT NULL column ${escapeIdentifier(name)}`);
      }
    }
    if (own !== Object.keys(record).length) {
      const unknown = Object.keys(record).filter((key) => !this.known.has(key));
      throw new InvalidArgumentError(
        `row has ${unknown.length === 1 ? "a key that names no column" : "keys that name no column"}: ${unknown
          .map((key) => JSON.stringify(key))
          .join(", ")} (columns: ${this.columnList()})`,
      );
    }
    return values;
  }

  private columnList(): string {
    const shown = this.names.slice(0, 20).map(escapeIdentifier).join(", ");
    return this.names.length > 20 ? `${shown}, …` : shown;
  }
}
