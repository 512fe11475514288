import {
  AlreadyExistsError,
  HyperError,
  NotFoundError,
  type ParameterValue,
  SqlState,
} from "@hyperdb-ts/hyperdb-api-core";
import type { Connection } from "../connection/connection.ts";
import { escapeIdentifier } from "./escape.ts";
import { SchemaName, TableName } from "./names.ts";
import { SqlType } from "./sql-type.ts";
import { type ColumnDefinition, TableDefinition } from "./table-definition.ts";

/** SQLSTATE of an unknown schema, which is also what most statements give for an unknown database alias. */
const INVALID_SCHEMA_NAME = "3F000";
/** SQLSTATE of an unknown database alias in `CREATE SCHEMA`. */
const INVALID_CATALOG_NAME = "3D000";

/** The schema of temporary tables; it is per session and shows up in every database's catalog. */
const TEMP_SCHEMA = "pg_temp";

/** Schemas every Hyper database has for the system; `schemaNames` leaves them out. */
const SYSTEM_SCHEMAS: readonly string[] = ["pg_catalog", TEMP_SCHEMA, "information_schema", "tableau"];

/** Options of {@link Catalog.createSchema} and {@link Catalog.createTable}. */
export interface CreateObjectOptions {
  /** Do nothing when it exists already, instead of throwing AlreadyExistsError. @default false */
  readonly ifNotExists?: boolean;
}

/** Options of {@link Catalog.dropTable}. */
export interface DropTableOptions {
  /** Do nothing when the table does not exist, instead of throwing NotFoundError. @default false */
  readonly ifExists?: boolean;
}

/** Options of {@link Catalog.dropSchema}. */
export interface DropSchemaOptions {
  /** Do nothing when the schema does not exist, instead of throwing NotFoundError. @default false */
  readonly ifExists?: boolean;
  /** Drop the tables in the schema too; without it a schema that still has tables is not dropped. @default false */
  readonly cascade?: boolean;
}

interface ColumnRow {
  nspname: string;
  relpersistence: string;
  attname: string | null;
  atttypid: number | null;
  atttypmod: number | null;
  attnotnull: boolean | null;
  collname: string | null;
}

/**
 * Reads and changes the schemas and tables of the databases attached to a connection, through
 * Hyper's `pg_catalog` (Hyper has no `information_schema`).
 *
 * Naming: a table or schema given as a string is parsed like SQL (`TableName.parse`:
 * dots separate database, schema and table; unquoted parts are lower-cased, quoted ones kept).
 * Single names (a database alias) are taken verbatim. A table name without a schema resolves
 * like SQL: a temporary table of that name first, then `public`. A name without a database
 * means the connection's primary database (the one unqualified SQL names resolve into).
 *
 * ```ts
 * const catalog = new Catalog(connection);
 * await catalog.createTable(new TableDefinition("orders").addColumn("id", SqlType.bigInt(), { nullable: false }));
 * const definition = await catalog.getTableDefinition("orders");
 * ```
 */
export class Catalog {
  /** The connection the catalog runs its statements on. */
  readonly connection: Connection;

  /** A catalog working through `connection`; it holds no state of its own, so make as many as convenient. */
  constructor(connection: Connection) {
    this.connection = connection;
  }

  /**
   * `CREATE SCHEMA`.
   * @throws AlreadyExistsError when it exists (unless `ifNotExists`), NotFoundError when its
   *   database is not attached.
   */
  async createSchema(name: string | SchemaName, options: CreateObjectOptions = {}): Promise<void> {
    const schema = SchemaName.from(name);
    const ifNotExists = options.ifNotExists === true ? "IF NOT EXISTS " : "";
    await this.run(`CREATE SCHEMA ${ifNotExists}${schema.toString()}`, [], (error) =>
      error.sqlstate === SqlState.duplicateObject
        ? new AlreadyExistsError(`schema ${schema.toString()} exists already`, { cause: error })
        : this.missingDatabase(error, schema.database),
    );
  }

  /**
   * `DROP SCHEMA`.
   * @throws NotFoundError when it does not exist (unless `ifExists`); HyperError (SQLSTATE
   *   2BP01) when it still has tables and `cascade` is not set.
   */
  async dropSchema(name: string | SchemaName, options: DropSchemaOptions = {}): Promise<void> {
    const schema = SchemaName.from(name);
    const ifExists = options.ifExists === true ? "IF EXISTS " : "";
    const cascade = options.cascade === true ? " CASCADE" : "";
    await this.run(`DROP SCHEMA ${ifExists}${schema.toString()}${cascade}`, [], (error) =>
      error.sqlstate === INVALID_SCHEMA_NAME
        ? new NotFoundError(`schema ${schema.toString()} does not exist (${error.message})`, { cause: error })
        : undefined,
    );
  }

  /**
   * Whether the schema exists.
   * @throws NotFoundError when its database is not attached.
   */
  async hasSchema(name: string | SchemaName): Promise<boolean> {
    const schema = SchemaName.from(name);
    const rows = await this.select<{ nspname: string }>(
      `SELECT nspname FROM ${catalogOf(schema.database)}.pg_namespace WHERE nspname = $1::text`,
      [schema.schema],
      schema.database,
    );
    return rows.length > 0;
  }

  /**
   * The schemas of a database, sorted by name, without the system ones (`pg_catalog`,
   * `pg_temp`, `information_schema`, `tableau`).
   * @param database - alias of an attached database (verbatim); @default the primary database
   * @throws NotFoundError when the database is not attached.
   */
  async schemaNames(database?: string): Promise<SchemaName[]> {
    const placeholders = SYSTEM_SCHEMAS.map((_, i) => `$${i + 1}::text`).join(", ");
    const rows = await this.select<{ nspname: string }>(
      `SELECT nspname FROM ${catalogOf(database)}.pg_namespace WHERE nspname NOT IN (${placeholders})`,
      SYSTEM_SCHEMAS,
      database,
    );
    return rows
      .map((row) => row.nspname)
      .sort(byCodePoint)
      .map((schema) => SchemaName.of(schema, database));
  }

  /**
   * The tables of a schema, sorted by name, as names that can be passed straight back to the
   * other methods (odd characters and case survive). `pg_temp` lists the session's temporary
   * tables.
   * @param schema - @default "public"
   * @param database - alias of an attached database (verbatim), instead of the schema's own
   *   database part; @default the primary database
   * @throws NotFoundError when the database is not attached.
   */
  async tableNames(schema: string | SchemaName = "public", database?: string): Promise<TableName[]> {
    let target = SchemaName.from(schema);
    if (database !== undefined) target = target.withDatabase(database);
    const rows = await this.select<{ tablename: string }>(
      `SELECT tablename FROM ${catalogOf(target.database)}.pg_tables WHERE schemaname = $1::text`,
      [target.schema],
      target.database,
    );
    return rows
      .map((row) => row.tablename)
      .sort(byCodePoint)
      .map((table) => TableName.of(table, target.schema, target.database));
  }

  /**
   * Whether the table exists.
   * @throws NotFoundError when its database is not attached.
   */
  async hasTable(table: string | TableName): Promise<boolean> {
    return (await this.findTable(TableName.from(table))) !== undefined;
  }

  /**
   * Creates the table (`definition.toCreateSql()`).
   * @throws AlreadyExistsError when it exists (unless `ifNotExists`), NotFoundError when its
   *   schema or database does not exist, InvalidArgumentError for a definition without columns
   *   or with duplicate column names.
   */
  async createTable(definition: TableDefinition, options: CreateObjectOptions = {}): Promise<void> {
    const statement = definition.toCreateSql({ ifNotExists: options.ifNotExists === true });
    const name = definition.name.toString();
    await this.run(statement, [], (error) => {
      if (error.sqlstate === SqlState.duplicateTable) {
        return new AlreadyExistsError(`table ${name} exists already`, { cause: error });
      }
      if (error.sqlstate === INVALID_SCHEMA_NAME) {
        return new NotFoundError(`cannot create table ${name}: ${error.message}`, { cause: error });
      }
      return undefined;
    });
  }

  /**
   * `DROP TABLE`.
   * @throws NotFoundError when the table (or its schema or database) does not exist, unless `ifExists`.
   */
  async dropTable(table: string | TableName, options: DropTableOptions = {}): Promise<void> {
    const name = TableName.from(table);
    const ifExists = options.ifExists === true ? "IF EXISTS " : "";
    await this.run(`DROP TABLE ${ifExists}${name.toString()}`, [], (error) => tableNotFound(error, name));
  }

  /**
   * The table's columns (in order, with type, nullability and collation), read from the
   * catalog. The returned name has the schema filled in (`pg_temp` for a temporary table,
   * which is then marked `temporary`).
   * @throws NotFoundError when the table or its database does not exist.
   */
  async getTableDefinition(table: string | TableName): Promise<TableDefinition> {
    const name = TableName.from(table);
    const found = await this.findTable(name);
    if (found === undefined) throw new NotFoundError(`table ${name.toString()} does not exist`);
    const temporary = found.rows[0]?.relpersistence === "t";
    const columns: ColumnDefinition[] = [];
    for (const row of found.rows) {
      if (row.attname === null || row.atttypid === null || row.atttypmod === null) continue;
      const collation =
        row.collname === null || row.collname === "default" ? {} : { collation: row.collname };
      columns.push({
        name: row.attname,
        type: SqlType.fromOid(row.atttypid, row.atttypmod),
        nullable: row.attnotnull !== true,
        ...collation,
      });
    }
    // A temporary table is in no database: `"db"."pg_temp"."t"` does not resolve.
    const resolved = TableName.of(name.table, found.schema, temporary ? undefined : name.database);
    return new TableDefinition(resolved, columns, { temporary });
  }

  /**
   * `SELECT COUNT(*)` of the table.
   * @throws NotFoundError when the table does not exist.
   */
  async rowCount(table: string | TableName): Promise<bigint> {
    const name = TableName.from(table);
    try {
      return await this.connection.fetchScalar<bigint>(`SELECT COUNT(*) FROM ${name.toString()}`);
    } catch (error) {
      throw (error instanceof HyperError ? tableNotFound(error, name) : undefined) ?? error;
    }
  }

  /**
   * The table's column names, in order.
   * @throws NotFoundError when the table does not exist.
   */
  async columnNames(table: string | TableName): Promise<string[]> {
    const definition = await this.getTableDefinition(table);
    return definition.columns.map((column) => column.name);
  }

  /**
   * Aliases of the databases attached to this session (by any means, not only by this
   * connection's `attachDatabase`), sorted. These are the names a `TableName` or `SchemaName`
   * takes as database; `pg_catalog.pg_database` lists file paths instead.
   */
  async databaseNames(): Promise<string[]> {
    const rows = await this.connection.fetchAll<{ database_alias: string }>(
      "SELECT database_alias FROM pg_catalog.hyper_attached_database",
    );
    return rows.map((row) => row.database_alias).sort(byCodePoint);
  }

  /** The catalog rows of a table (one per column, or one with null columns for none), in column order. */
  private async findTable(name: TableName): Promise<{ schema: string; rows: ColumnRow[] } | undefined> {
    const schemas = name.schema === undefined ? [TEMP_SCHEMA, "public"] : [name.schema];
    const placeholders = schemas.map((_, i) => `$${i + 2}::text`).join(", ");
    const catalog = catalogOf(name.database);
    const rows = await this.select<ColumnRow>(
      `SELECT n.nspname, c.relpersistence, a.attname, a.atttypid, a.atttypmod, a.attnotnull, co.collname
       FROM ${catalog}.pg_class c
       JOIN ${catalog}.pg_namespace n ON c.relnamespace = n.oid
       LEFT JOIN ${catalog}.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
       LEFT JOIN ${catalog}.pg_collation co ON co.oid = a.attcollation
       WHERE c.relname = $1::text AND c.relkind = 'r' AND n.nspname IN (${placeholders})
       ORDER BY n.nspname = '${TEMP_SCHEMA}' DESC, a.attnum`,
      [name.table, ...schemas],
      name.database,
    );
    const first = rows[0];
    if (first === undefined) return undefined;
    // Without a schema, a temporary table hides a `public` one of the same name, as in SQL.
    return { schema: first.nspname, rows: rows.filter((row) => row.nspname === first.nspname) };
  }

  /** A catalog query; an unknown database alias becomes NotFoundError. */
  private async select<T>(
    text: string,
    params: readonly ParameterValue[],
    database: string | undefined,
  ): Promise<T[]> {
    try {
      return await this.connection.fetchAll<T>(text, params);
    } catch (error) {
      throw (error instanceof HyperError ? this.missingDatabase(error, database) : undefined) ?? error;
    }
  }

  /** Runs a statement, passing server errors through `translate` (undefined: rethrow as is). */
  private async run(
    text: string,
    params: readonly ParameterValue[],
    translate: (error: HyperError) => Error | undefined,
  ): Promise<void> {
    try {
      await this.connection.execute(text, params);
    } catch (error) {
      throw (error instanceof HyperError ? translate(error) : undefined) ?? error;
    }
  }

  private missingDatabase(error: HyperError, database: string | undefined): Error | undefined {
    const missing = error.sqlstate === INVALID_SCHEMA_NAME || error.sqlstate === INVALID_CATALOG_NAME;
    if (!missing || database === undefined) return undefined;
    return new NotFoundError(`database ${escapeIdentifier(database)} is not attached (${error.message})`, {
      cause: error,
    });
  }
}

function catalogOf(database: string | undefined): string {
  // With several databases attached each has its own pg_catalog; unqualified means the primary one.
  return database === undefined ? "pg_catalog" : `${escapeIdentifier(database)}.pg_catalog`;
}

function tableNotFound(error: HyperError, name: TableName): Error | undefined {
  if (error.sqlstate !== SqlState.undefinedTable && error.sqlstate !== INVALID_SCHEMA_NAME) return undefined;
  return new NotFoundError(`table ${name.toString()} does not exist (${error.message})`, { cause: error });
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
