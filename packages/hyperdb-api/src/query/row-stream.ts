import { type ColumnDescription, type QueryResult, type Row, typeName } from "@hyperdb-ts/hyperdb-api-core";

/** A result column: its name and SQL type. */
export interface ColumnInfo {
  readonly name: string;
  /** Position in the row, from 0. */
  readonly index: number;
  /** Type OID and modifier, as hyperd describes them. */
  readonly typeOid: number;
  readonly typmod: number;
  /** SQL spelling of the type, e.g. `NUMERIC(10,2)`. */
  readonly typeName: string;
}

/** How rows are handed out: objects keyed by column name (default) or arrays in column order. */
export type RowMode = "object" | "array";

export function toColumnInfo(columns: readonly ColumnDescription[]): ColumnInfo[] {
  return columns.map((column, index) => ({
    name: column.name,
    index,
    typeOid: column.typeOid,
    typmod: column.typmod,
    typeName: typeName({ oid: column.typeOid, typmod: column.typmod }),
  }));
}

/** Above this many columns objects are built in a loop instead of by generated code. */
const MAX_GENERATED_COLUMNS = 64;

/**
 * Builds the function that turns an array row into an object keyed by column name. For up to
 * 64 columns it is generated as one object literal per result shape (several times faster
 * than assigning keys in a loop). Later columns win over earlier ones of the same name; a
 * column named `__proto__` becomes an ordinary property.
 */
function objectMapper(names: readonly string[]): (row: Row) => Record<string, unknown> {
  if (names.length > MAX_GENERATED_COLUMNS) {
    return (row) => {
      const object: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) {
        Object.defineProperty(object, names[i] as string, {
          value: row[i],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    };
  }
  // Names become JSON string literals (always valid JS); `__proto__` needs a computed key.
  const properties = names.map((name, i) => {
    const key = JSON.stringify(name);
    return name === "__proto__" ? `[${key}]: row[${i}]` : `${key}: row[${i}]`;
  });
  return new Function(`return function toObject(row) { return { ${properties.join(", ")} }; };`)() as (
    row: Row,
  ) => Record<string, unknown>;
}

/**
 * The rows of a running query, as an async iterable, typed by `T`. Rows stream from the
 * server as they are read, so memory stays flat for any result size; leaving the loop early
 * cancels the query and frees the connection. A stream can be read once.
 */
export class RowStream<T> implements AsyncIterable<T> {
  private readonly result: QueryResult;
  private readonly mode: RowMode;
  private readonly mapError: (error: unknown) => unknown;

  /** @internal */
  constructor(result: QueryResult, mode: RowMode, mapError: (error: unknown) => unknown = (error) => error) {
    this.result = result;
    this.mode = mode;
    this.mapError = mapError;
  }

  /** The result's columns, once the server described them. */
  async columns(): Promise<ColumnInfo[]> {
    return toColumnInfo(await this.result.columns);
  }

  /** Rows in batches as they arrive (fewer awaits than row by row). */
  async *batches(): AsyncGenerator<T[], void, undefined> {
    try {
      if (this.mode === "array") {
        for await (const batch of this.result.batches()) yield batch as T[];
        return;
      }
      let toObject: ((row: Row) => Record<string, unknown>) | null = null;
      for await (const batch of this.result.batches()) {
        toObject ??= objectMapper((await this.result.columns).map((column) => column.name));
        yield batch.map(toObject) as T[];
      }
    } catch (error) {
      throw this.mapError(error);
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const batch of this.batches()) yield* batch;
  }

  /** Reads every row into an array. */
  async toArray(): Promise<T[]> {
    const rows: T[] = [];
    for await (const batch of this.batches()) {
      for (const row of batch) rows.push(row);
    }
    return rows;
  }

  /** The command tag once the query finished (`SELECT 3`). */
  get command(): string | null {
    return this.result.command;
  }

  /** Stops the query on the server and discards the rest. */
  cancel(): Promise<void> {
    return this.result.cancel();
  }
}
