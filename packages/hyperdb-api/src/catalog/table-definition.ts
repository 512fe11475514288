import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import { escapeIdentifier } from "./escape.ts";
import { TableName } from "./names.ts";
import { SqlType } from "./sql-type.ts";

/** One column of a {@link TableDefinition}. */
export interface ColumnDefinition {
  /** The column's name, verbatim (case-sensitive; always quoted in SQL). */
  readonly name: string;
  readonly type: SqlType;
  /** Whether the column accepts NULL; false gives `NOT NULL`. */
  readonly nullable: boolean;
  /** Collation of a string column, e.g. `de_CI` or `en_US`; undefined for the default one. */
  readonly collation?: string;
}

/** Options of {@link TableDefinition.addColumn}. */
export interface AddColumnOptions {
  /** @default true */
  readonly nullable?: boolean;
  /** Collation of a string column (a name from `pg_catalog.pg_collation`). @default the database default */
  readonly collation?: string;
}

/** Options of the {@link TableDefinition} constructor. */
export interface TableDefinitionOptions {
  /**
   * A temporary table: visible to this session only, dropped when it ends. Its schema is
   * `pg_temp` (give no other), and unqualified names find it before a table of the same
   * name in `public`.
   * @default false
   */
  readonly temporary?: boolean;
}

/**
 * The name, columns and persistence of a table: what `Catalog.createTable` creates and
 * `Catalog.getTableDefinition` returns.
 *
 * Immutable: `addColumn` returns a new definition, so build one in a chain:
 *
 * ```ts
 * const orders = new TableDefinition("orders")
 *   .addColumn("id", SqlType.bigInt(), { nullable: false })
 *   .addColumn("total", SqlType.numeric(10, 2));
 * ```
 */
export class TableDefinition {
  /** The table's name; a string given to the constructor is parsed with `TableName.parse`. */
  readonly name: TableName;
  /** The columns in table order. */
  readonly columns: readonly ColumnDefinition[];
  /** Whether the table is temporary. */
  readonly temporary: boolean;

  /**
   * @param name - the table, as a `TableName` or a string parsed like SQL (`Orders` is `orders`,
   *   `"Orders"` keeps its case)
   * @param columns - the columns; each is checked and copied
   * @throws InvalidArgumentError for an invalid name or column.
   */
  constructor(
    name: string | TableName,
    columns: readonly ColumnDefinition[] = [],
    options: TableDefinitionOptions = {},
  ) {
    this.name = TableName.from(name);
    this.columns = Object.freeze(columns.map(checkColumn));
    this.temporary = options.temporary ?? false;
    Object.freeze(this);
  }

  /**
   * A copy of this definition with one more column at the end. The column name is taken
   * verbatim (not case-folded).
   * @throws InvalidArgumentError for an empty name or a type that is not a SqlType.
   */
  addColumn(name: string, type: SqlType, options: AddColumnOptions = {}): TableDefinition {
    const column: ColumnDefinition = {
      name,
      type,
      nullable: options.nullable ?? true,
      ...(options.collation === undefined ? {} : { collation: options.collation }),
    };
    return new TableDefinition(this.name, [...this.columns, column], { temporary: this.temporary });
  }

  /** The column called `name` (case-sensitive), or undefined. */
  column(name: string): ColumnDefinition | undefined {
    return this.columns.find((column) => column.name === name);
  }

  /** Position of the column called `name` (case-sensitive, 0-based), or -1. */
  columnIndex(name: string): number {
    return this.columns.findIndex((column) => column.name === name);
  }

  /**
   * `CREATE [TEMPORARY] TABLE [IF NOT EXISTS] "schema"."table" ("col" TYPE [COLLATE "c"] [NOT NULL], …)`
   * with every name quoted. `ifNotExists` defaults to false.
   * @throws InvalidArgumentError when there are no columns, two columns share a name, or a
   *   column has a type a table cannot hold.
   */
  toCreateSql(options: { readonly ifNotExists?: boolean } = {}): string {
    if (this.columns.length === 0) {
      throw new InvalidArgumentError(`table ${this.name.toString()} needs at least one column`);
    }
    const seen = new Set<string>();
    const columns = this.columns.map((column) => {
      if (seen.has(column.name)) {
        throw new InvalidArgumentError(
          `table ${this.name.toString()} has two columns named ${escapeIdentifier(column.name)}`,
        );
      }
      seen.add(column.name);
      if (!column.type.isSupported) {
        throw new InvalidArgumentError(
          `column ${escapeIdentifier(column.name)} has type ${column.type.toString()}, which a table cannot hold`,
        );
      }
      let sql = `${escapeIdentifier(column.name)} ${column.type.toString()}`;
      if (column.collation !== undefined) sql += ` COLLATE ${escapeIdentifier(column.collation)}`;
      if (!column.nullable) sql += " NOT NULL";
      return sql;
    });
    const temporary = this.temporary ? "TEMPORARY " : "";
    const ifNotExists = options.ifNotExists === true ? "IF NOT EXISTS " : "";
    return `CREATE ${temporary}TABLE ${ifNotExists}${this.name.toString()} (${columns.join(", ")})`;
  }

  /** `DROP TABLE [IF EXISTS] "schema"."table"`. */
  toDropSql(options: { readonly ifExists?: boolean } = {}): string {
    return `DROP TABLE ${options.ifExists === true ? "IF EXISTS " : ""}${this.name.toString()}`;
  }
}

function checkColumn(column: ColumnDefinition): ColumnDefinition {
  if (typeof column.name !== "string" || column.name.length === 0) {
    throw new InvalidArgumentError("a column name must be a non-empty string");
  }
  const quoted = escapeIdentifier(column.name);
  if (!(column.type instanceof SqlType)) throw new InvalidArgumentError(`column ${quoted} needs a SqlType`);
  if (typeof column.nullable !== "boolean") {
    throw new InvalidArgumentError(`column ${quoted} needs \`nullable\` to be true or false`);
  }
  if (column.collation !== undefined) escapeIdentifier(column.collation);
  return Object.freeze({
    name: column.name,
    type: column.type,
    nullable: column.nullable,
    ...(column.collation === undefined ? {} : { collation: column.collation }),
  });
}
