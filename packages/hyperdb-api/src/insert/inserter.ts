import { ByteWriter, HyperBinaryRowEncoder, InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import { Catalog } from "../catalog/catalog.ts";
import { escapeIdentifier } from "../catalog/escape.ts";
import type { TableName } from "../catalog/names.ts";
import type { ColumnDefinition, TableDefinition } from "../catalog/table-definition.ts";
import type { Connection } from "../connection/connection.ts";
import { CopySession, DEFAULT_FLUSH_BYTES } from "./copy-session.ts";
import { copyFromStdinSql } from "./copy-statement.ts";
import { InsertLifecycle } from "./insert-lifecycle.ts";
import { type InsertRow, RowShape } from "./row-shape.ts";

/** Where the row buffer starts; it grows to about `flushBytes` and then keeps its size. */
const INITIAL_BUFFER_BYTES = 64 * 1024;
/** Room beyond the last chunk's size in the next buffer, so the row that crosses `flushBytes` rarely grows it. */
const CHUNK_SLACK_BYTES = 64 * 1024;

/** Options of {@link Inserter}. */
export interface InserterOptions {
  /**
   * The columns rows give values for, in that order (names verbatim, case-sensitive). Columns
   * left out get NULL (hyperd refuses to leave out a NOT NULL column, even one with a default).
   * @default every column of the table, in table order
   */
  readonly columns?: readonly string[];
  /**
   * Encoded bytes per COPY data chunk: a chunk is sent each time the buffer passes this size.
   * Larger chunks mean fewer round trips through the socket but more memory (about two chunks
   * per inserter); hyperd refuses single messages above ~150 MB, and chunks are split far below
   * that regardless.
   * @default 16 MiB (16 777 216 bytes)
   */
  readonly flushBytes?: number;
  /** Cancels the inserter when aborted: the COPY is abandoned (CopyFail) and nothing is loaded. */
  readonly signal?: AbortSignal;
}

/** Rows for {@link Inserter.addFrom}: any iterable or async iterable, e.g. an object-mode Node stream. */
export type InsertSource = Iterable<InsertRow> | AsyncIterable<InsertRow>;

/**
 * Bulk-loads rows into one table through `COPY … FROM STDIN WITH (FORMAT hyperbinary)`, the
 * fastest way into Hyper from JavaScript values:
 *
 * ```ts
 * await using inserter = await Inserter.forTable(connection, "public.orders");
 * inserter.addRow([1, "first", 9.99]);
 * inserter.addRow({ id: 2, name: "second" }); // missing keys are NULL
 * await inserter.addFrom(readOrders()); // async iterable or object-mode Readable, with backpressure
 * const inserted = await inserter.execute();
 * ```
 *
 * Rows are checked and encoded as they are added; a row that does not fit (wrong type, wrong
 * number of values, NULL in a NOT NULL column, unknown key) throws InvalidArgumentError, is
 * not added, and leaves the inserter usable. The JS values each column type accepts are those
 * of `hyperBinaryCopyEncoder` (e.g. BIGINT: bigint or safe integer; NUMERIC: decimal string,
 * bigint or number; TIMESTAMP: HyperTimestamp, Date or text; DATE: HyperDate, Date or text).
 *
 * Encoded rows are sent in chunks of `flushBytes`. The COPY opens with the first chunk (so an
 * inserter that never reaches it costs no round trip before `execute`); from then on the
 * connection is busy with the COPY and other statements on it wait until `execute()` or
 * `cancel()`. Nothing is loaded until `execute()` succeeds: `cancel()`, an abort signal,
 * disposal without `execute()`, or an error all end the COPY with CopyFail and load no row.
 * After a server or connection error, every later call reports that error; the connection
 * itself stays usable (unless the error was the connection breaking). Inside a transaction,
 * a failed or cancelled COPY fails the transaction, as any failed statement does.
 *
 * One inserter loads one batch: after `execute()` or `cancel()` it cannot be used again.
 */
export class Inserter implements AsyncDisposable {
  /** The table rows go into, as named in the COPY statement. */
  readonly table: TableName;
  /** The columns rows give values for, in that order. */
  readonly columns: readonly ColumnDefinition[];
  private readonly connection: Connection;
  private readonly encoder: HyperBinaryRowEncoder;
  private readonly shape: RowShape;
  private readonly flushBytes: number;
  private readonly sql: string;
  private buffer: ByteWriter;
  private headerWritten = false;
  private rows = 0;
  private bufferedRows = 0;
  private session: CopySession | null = null;
  private readonly lifecycle: InsertLifecycle;

  /**
   * An inserter for the table `definition` describes. The definition must match the table,
   * nullability included (a nullable column is encoded with a NULL marker, a NOT NULL one
   * without); {@link Inserter.forTable} reads it from the catalog, which is always right.
   * @throws InvalidArgumentError for a definition without columns, an unknown or repeated name
   *   in `columns`, a NOT NULL column left out of `columns`, a column type that has no COPY
   *   encoding, or a `flushBytes` that is not a positive integer.
   */
  constructor(connection: Connection, definition: TableDefinition, options: InserterOptions = {}) {
    this.connection = connection;
    this.table = definition.name;
    this.columns = selectColumns(definition, options.columns);
    this.flushBytes = checkFlushBytes(options.flushBytes);
    this.encoder = new HyperBinaryRowEncoder(
      this.columns.map((column) => ({
        name: column.name,
        type: column.type.hyperType,
        nullable: column.nullable,
      })),
    );
    this.shape = new RowShape(this.columns);
    this.sql = copyFromStdinSql(
      this.table,
      this.columns.map((column) => column.name),
      "hyperbinary",
    );
    this.buffer = new ByteWriter(Math.min(INITIAL_BUFFER_BYTES, this.flushBytes + 1024));
    this.lifecycle = new InsertLifecycle(
      {
        session: () => this.session,
        discardBuffered: () => {
          this.buffer = new ByteWriter(0);
          this.bufferedRows = 0;
        },
      },
      options.signal,
    );
  }

  /**
   * An inserter for a table whose definition is read from the catalog (`Catalog.getTableDefinition`).
   * @param table - `"table"`, `"schema.table"` or `"database.schema.table"` (parsed like SQL), or a TableName
   * @throws NotFoundError when the table does not exist, and what the constructor throws.
   */
  static async forTable(
    connection: Connection,
    table: string | TableName,
    options: InserterOptions = {},
  ): Promise<Inserter> {
    const definition = await new Catalog(connection).getTableDefinition(table);
    return new Inserter(connection, definition, options);
  }

  /** Rows added so far (buffered or sent); rows that were rejected are not counted. */
  get rowCount(): number {
    return this.rows;
  }

  /** The COPY statement this inserter runs. */
  get statement(): string {
    return this.sql;
  }

  /**
   * Adds one row: values in column order, or an object keyed by column name (a missing key is
   * NULL). The row is encoded at once; a full chunk is sent in the background.
   *
   * This is synchronous, so a long synchronous loop of `addRow` buffers everything until the
   * loop yields. For large loads use {@link Inserter.addFrom} (which waits for the server), or
   * `await inserter.flush()` now and then.
   * @throws InvalidArgumentError when the row does not fit the columns (it is not added; the
   *   inserter stays usable); UsageError after `execute()` or `cancel()`; the COPY's error
   *   (e.g. a HyperError) after the server rejected data.
   */
  addRow(row: InsertRow): void {
    this.lifecycle.assertOpen();
    this.encode(row);
  }

  /**
   * Adds rows from an iterable, synchronously (see {@link Inserter.addRow}). Stops at the first
   * row that does not fit: the rows before it stay added, and the error names the row's position.
   * @throws InvalidArgumentError (`row <n>: …`) and what `addRow` throws.
   */
  addRows(rows: Iterable<InsertRow>): void {
    this.lifecycle.assertOpen();
    let index = 0;
    for (const row of rows) {
      try {
        this.encode(row);
      } catch (error) {
        throw rowError(error, index, "");
      }
      index++;
    }
  }

  /**
   * Adds every row of a source, waiting for the server whenever a chunk is still on its way
   * (so memory stays at about two chunks for a source of any size).
   *
   * All or nothing: if the source throws, a row does not fit, or the COPY fails, the inserter
   * is cancelled (CopyFail, nothing loaded, the connection stays usable) and the error is
   * rethrown: a source cannot be resumed, so keeping half of it is never what is wanted.
   * The source must not read from the same connection (it is busy with the COPY).
   * @returns the number of rows added from the source.
   * @throws InvalidArgumentError (`row <n> of the source: …`), the source's own error, and
   *   what `addRow` throws.
   */
  async addFrom(source: InsertSource): Promise<number> {
    this.lifecycle.assertOpen();
    let added = 0;
    try {
      if (Symbol.asyncIterator in source) {
        for await (const row of source) {
          this.encodeFromSource(row, added);
          added++;
          if (this.mustWait()) await this.session!.waitForRoom();
        }
      } else {
        for (const row of source) {
          this.encodeFromSource(row, added);
          added++;
          if (this.mustWait()) await this.session!.waitForRoom();
        }
      }
    } catch (error) {
      await this.cancel("the row source failed");
      throw error;
    }
    return added;
  }

  /**
   * Sends the rows buffered so far (opening the COPY if needed) and resolves once the socket
   * took them. Not needed before `execute()`; useful to bound memory in long synchronous loops.
   * @throws UsageError after `execute()` or `cancel()`; the COPY's error after a failure.
   */
  async flush(): Promise<void> {
    this.lifecycle.assertOpen();
    this.sendBuffer();
    await this.session?.drain();
    this.lifecycle.throwIfStopped();
  }

  /**
   * Sends the remaining rows and CopyDone, and resolves with the number of rows the server
   * inserted. Without any row added, nothing is sent to the server and the result is 0.
   * A cancel that arrives once CopyDone is on its way no longer stops the COPY.
   * @throws UsageError when called twice or after `cancel()`; the COPY's error (e.g. HyperError)
   *   when the server rejected the data, after which the connection is usable again.
   */
  execute(): Promise<number> {
    return this.lifecycle.execute({
      hasData: () => this.rows > 0 || this.session !== null,
      sendRest: async () => {
        this.sendBuffer();
        await this.session!.drain();
      },
    });
  }

  /**
   * Abandons the insert: buffered rows are dropped and, if the COPY was opened, it is ended
   * with CopyFail so no row is loaded. Resolves once the connection is free again. Does nothing
   * after `execute()` finished or a previous cancel.
   * @param reason - sent to the server with CopyFail (it shows in the server log)
   */
  async cancel(reason = "cancelled by the client"): Promise<void> {
    await this.lifecycle.cancel(reason);
  }

  /** Cancels the insert unless `execute()` was called (see {@link Inserter.cancel}). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.lifecycle.dispose();
  }

  private encode(row: InsertRow): void {
    const values = this.shape.values(row);
    const buffer = this.buffer;
    if (!this.headerWritten) {
      this.encoder.writeHeader(buffer);
      this.headerWritten = true;
    }
    this.encoder.encodeRow(values, buffer);
    this.rows++;
    this.bufferedRows++;
    if (buffer.length >= this.flushBytes) this.sendBuffer();
  }

  private encodeFromSource(row: InsertRow, index: number): void {
    this.lifecycle.assertOpen();
    try {
      this.encode(row);
    } catch (error) {
      throw rowError(error, index, " of the source");
    }
  }

  /** Two chunks at most: one on its way, one being filled. */
  private mustWait(): boolean {
    return this.session !== null && this.session.waitingChunks > 0;
  }

  private sendBuffer(): void {
    // Without a row the buffer holds at most the header, which must stay for the first row.
    if (this.bufferedRows === 0) return;
    this.bufferedRows = 0;
    this.session ??= new CopySession(this.connection, this.sql);
    // A fresh writer for the next chunk: the socket may still hold this one's memory.
    const chunk = this.buffer.view();
    this.buffer = new ByteWriter(chunk.length + CHUNK_SLACK_BYTES);
    this.session.send(chunk);
  }
}

function selectColumns(
  definition: TableDefinition,
  names: readonly string[] | undefined,
): readonly ColumnDefinition[] {
  const table = definition.name.toString();
  if (definition.columns.length === 0) throw new InvalidArgumentError(`table ${table} has no columns`);
  if (names === undefined) return definition.columns;
  if (names.length === 0) throw new InvalidArgumentError("`columns` must name at least one column");
  const seen = new Set<string>();
  const columns = names.map((name) => {
    const column = definition.column(name);
    if (column === undefined) {
      throw new InvalidArgumentError(`table ${table} has no column ${escapeIdentifier(String(name))}`);
    }
    if (seen.has(name)) throw new InvalidArgumentError(`column ${escapeIdentifier(name)} is listed twice`);
    seen.add(name);
    return column;
  });
  for (const column of definition.columns) {
    if (!column.nullable && !seen.has(column.name)) {
      throw new InvalidArgumentError(
        `column ${escapeIdentifier(column.name)} of ${table} is NOT NULL, so \`columns\` must include it`,
      );
    }
  }
  return columns;
}

function checkFlushBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_FLUSH_BYTES;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`flushBytes must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function rowError(error: unknown, index: number, where: string): unknown {
  if (!(error instanceof InvalidArgumentError)) return error;
  return new InvalidArgumentError(`row ${index}${where}: ${error.message}`, { cause: error });
}
