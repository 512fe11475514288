import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import { escapeIdentifier } from "./escape.ts";

/** The schema Hyper creates in every database and resolves unqualified names into. */
const DEFAULT_SCHEMA = "public";

/**
 * A schema, optionally in a named attached database: `"public"`, `"sales"."staging"`.
 * Immutable. The parts are kept unquoted, exactly as the catalog stores them.
 */
export class SchemaName {
  /** The schema's name as stored (case-sensitive, unquoted). */
  readonly schema: string;
  /** Alias of the attached database, or undefined for the one unqualified names resolve into. */
  readonly database: string | undefined;

  private constructor(schema: string, database: string | undefined) {
    this.schema = schema;
    this.database = database;
    Object.freeze(this);
  }

  /**
   * A schema name from its parts, taken verbatim (no case folding, no parsing of dots or quotes).
   * @throws InvalidArgumentError for an empty part or one containing a NUL character.
   */
  static of(schema: string, database?: string): SchemaName {
    return new SchemaName(checkName(schema, "schema"), checkOptionalName(database, "database"));
  }

  /**
   * Parses `schema` or `database.schema` as SQL would read it: parts are split on dots outside
   * double quotes; a quoted part keeps its case and may contain dots, with `""` standing for one
   * `"`; an unquoted part is trimmed and its ASCII letters lower-cased (as Hyper folds unquoted
   * identifiers), so `Staging` and `"staging"` name the same schema.
   * @throws InvalidArgumentError for an empty part, an unterminated quote, or more than two parts.
   */
  static parse(text: string): SchemaName {
    const parts = splitQualifiedName(text, 2, "schema");
    return parts.length === 1 ? new SchemaName(parts[0]!, undefined) : new SchemaName(parts[1]!, parts[0]!);
  }

  /** A SchemaName as is, or a string parsed with {@link SchemaName.parse}. */
  static from(name: string | SchemaName): SchemaName {
    return typeof name === "string" ? SchemaName.parse(name) : name;
  }

  /** The same schema in another database (undefined: the one unqualified names resolve into). */
  withDatabase(database: string | undefined): SchemaName {
    return new SchemaName(this.schema, checkOptionalName(database, "database"));
  }

  /** Same parts (case-sensitive). */
  equals(other: SchemaName): boolean {
    return this.schema === other.schema && this.database === other.database;
  }

  /** The quoted, qualified name for SQL text: `"db"."schema"` or `"schema"`. */
  toString(): string {
    const schema = escapeIdentifier(this.schema);
    return this.database === undefined ? schema : `${escapeIdentifier(this.database)}.${schema}`;
  }
}

/**
 * A table, optionally qualified by schema and attached database: `"orders"`,
 * `"public"."orders"`, `"sales"."public"."orders"`. Immutable. The parts are kept unquoted,
 * exactly as the catalog stores them.
 */
export class TableName {
  /** The table's name as stored (case-sensitive, unquoted). */
  readonly table: string;
  /** The schema, or undefined to let SQL name resolution pick it (temporary tables, then `public`). */
  readonly schema: string | undefined;
  /** Alias of the attached database, or undefined for the one unqualified names resolve into. */
  readonly database: string | undefined;

  private constructor(table: string, schema: string | undefined, database: string | undefined) {
    this.table = table;
    this.schema = database !== undefined && schema === undefined ? DEFAULT_SCHEMA : schema;
    this.database = database;
    Object.freeze(this);
  }

  /**
   * A table name from its parts, taken verbatim (no case folding, no parsing of dots or
   * quotes). A name with a database always has a schema: `public` when none is given.
   * @throws InvalidArgumentError for an empty part or one containing a NUL character.
   */
  static of(table: string, schema?: string, database?: string): TableName {
    return new TableName(
      checkName(table, "table"),
      checkOptionalName(schema, "schema"),
      checkOptionalName(database, "database"),
    );
  }

  /**
   * Parses `table`, `schema.table` or `database.schema.table` as SQL would read it: parts are
   * split on dots outside double quotes; a quoted part keeps its case and may contain dots,
   * with `""` standing for one `"`; an unquoted part is trimmed and its ASCII letters
   * lower-cased (as Hyper folds unquoted identifiers), so `Orders` and `"orders"` name the same
   * table while `"Orders"` names another.
   * @throws InvalidArgumentError for an empty part, an unterminated quote, or more than three parts.
   */
  static parse(text: string): TableName {
    const parts = splitQualifiedName(text, 3, "table");
    switch (parts.length) {
      case 1:
        return new TableName(parts[0]!, undefined, undefined);
      case 2:
        return new TableName(parts[1]!, parts[0]!, undefined);
      default:
        return new TableName(parts[2]!, parts[1]!, parts[0]!);
    }
  }

  /** A TableName as is, or a string parsed with {@link TableName.parse}. */
  static from(name: string | TableName): TableName {
    return typeof name === "string" ? TableName.parse(name) : name;
  }

  /** The schema part with its database, or undefined when the name has no schema. */
  get schemaName(): SchemaName | undefined {
    return this.schema === undefined ? undefined : SchemaName.of(this.schema, this.database);
  }

  /**
   * The same table in another schema, taken verbatim (undefined: no schema; only allowed
   * without a database).
   */
  withSchema(schema: string | undefined): TableName {
    if (schema === undefined && this.database !== undefined) {
      throw new InvalidArgumentError(
        `${this.toString()} names a database, so it needs a schema; drop the database first`,
      );
    }
    return new TableName(this.table, checkOptionalName(schema, "schema"), this.database);
  }

  /**
   * The same table in another attached database, taken verbatim (undefined: the one
   * unqualified names resolve into). The schema becomes `public` if the name had none.
   */
  withDatabase(database: string | undefined): TableName {
    return new TableName(this.table, this.schema, checkOptionalName(database, "database"));
  }

  /** Same parts (case-sensitive); `t` and `public.t` are different names. */
  equals(other: TableName): boolean {
    return this.table === other.table && this.schema === other.schema && this.database === other.database;
  }

  /** The quoted, qualified name for SQL text, e.g. `"db"."public"."t"`. */
  toString(): string {
    const parts = [this.database, this.schema, this.table].filter((part) => part !== undefined);
    return parts.map(escapeIdentifier).join(".");
  }
}

function checkName(name: string, what: string): string {
  if (typeof name !== "string") throw new InvalidArgumentError(`a ${what} name must be a string`);
  if (name.length === 0) throw new InvalidArgumentError(`a ${what} name cannot be empty`);
  if (name.includes("\0")) throw new InvalidArgumentError(`a ${what} name cannot contain a NUL character`);
  return name;
}

function checkOptionalName(name: string | undefined, what: string): string | undefined {
  return name === undefined ? undefined : checkName(name, what);
}

const WHITESPACE = /\s/;

/** Splits a dotted SQL name into its unquoted parts (see `TableName.parse`). */
function splitQualifiedName(text: string, maxParts: number, what: string): string[] {
  if (typeof text !== "string") throw new InvalidArgumentError(`a ${what} name must be a string`);
  const fail = (reason: string): never => {
    throw new InvalidArgumentError(`invalid ${what} name ${JSON.stringify(text)}: ${reason}`);
  };
  const parts: string[] = [];
  let i = 0;
  const skipWhitespace = (): void => {
    while (i < text.length && WHITESPACE.test(text[i]!)) i++;
  };
  for (;;) {
    skipWhitespace();
    let part: string;
    if (text[i] === '"') {
      part = "";
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1) fail("unterminated quoted name");
        part += text.slice(i, close);
        if (text[close + 1] === '"') {
          part += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      skipWhitespace();
    } else {
      const start = i;
      while (i < text.length && text[i] !== "." && text[i] !== '"') i++;
      if (text[i] === '"') fail("a quote can only enclose a whole part");
      part = text
        .slice(start, i)
        .trim()
        .replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
    }
    if (part.length === 0) fail("empty part");
    if (part.includes("\0")) fail("contains a NUL character");
    parts.push(part);
    if (i >= text.length) break;
    if (text[i] !== ".") fail("expected a dot after a quoted part");
    i++;
  }
  if (parts.length > maxParts) {
    fail(
      `more than ${maxParts} dot-separated parts (${maxParts === 3 ? "database.schema.table" : "database.schema"})`,
    );
  }
  return parts;
}
