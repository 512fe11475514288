import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import {
  MessageHeader,
  type RecordBatch,
  RecordBatchStreamWriter,
  type Schema,
  Table,
  tableFromIPC,
} from "apache-arrow";
import { Catalog } from "../catalog/catalog.ts";
import { escapeIdentifier } from "../catalog/escape.ts";
import { TableName } from "../catalog/names.ts";
import { TableDefinition } from "../catalog/table-definition.ts";
import type { Connection } from "../connection/connection.ts";
import { CopySession, DEFAULT_FLUSH_BYTES } from "../insert/copy-session.ts";
import { copyFromStdinSql } from "../insert/copy-statement.ts";
import { InsertLifecycle } from "../insert/insert-lifecycle.ts";
import { BatchAdapter } from "./batch-adapter.ts";
import { fieldNullCounts, type IpcMessage, splitIpcStream } from "./ipc-messages.ts";

/** Options of {@link ArrowInserter}. */
export interface ArrowInserterOptions {
  /**
   * Encoded bytes per COPY data chunk: encoded record batches are collected until they pass
   * this size and then sent as one chunk (each insert call sends what it collected before it
   * resolves). hyperd refuses single messages above ~150 MB; chunks are split far below that.
   * @default 16 MiB (16 777 216 bytes)
   */
  readonly flushBytes?: number;
  /** Cancels the inserter when aborted: the COPY is abandoned (CopyFail) and nothing is loaded. */
  readonly signal?: AbortSignal;
}

/** An encoded IPC message waiting to be sent. */
interface PendingMessage {
  readonly bytes: Uint8Array;
  /** Encoded by the inserter, so nobody else can change it while the socket holds it. */
  readonly owned: boolean;
}

/** Owned messages at least this big are sent as they are instead of being copied into a chunk: 1 MiB. */
const ZERO_COPY_BYTES = 1024 * 1024;

/**
 * Bulk-loads Apache Arrow data into one table through `COPY … FROM STDIN WITH (FORMAT
 * arrowstream)`: the fastest way to load data that is columnar already.
 *
 * ```ts
 * await using inserter = new ArrowInserter(connection, "public.trips");
 * await inserter.insertTable(tableFromArrays({ id: Int32Array.from([1, 2]), city: ["Oslo", "Rome"] }));
 * await inserter.insertBatches(moreBatches); // sync or async iterable of RecordBatch
 * const inserted = await inserter.execute();
 * ```
 *
 * Fields are matched to columns by name (exactly); columns without a field get NULL (hyperd
 * requires every NOT NULL column to be present). The data is fitted to the table before it is
 * sent: dictionary columns are decoded, large and view strings/binaries narrowed, nanosecond
 * timestamps cut to microseconds, each field's nullability set to its column's and hyperd's
 * `hyper:*` metadata added (see the module documentation for the types hyperd accepts). NULLs
 * in NOT NULL columns and strings too long for VARCHAR(n) / CHARACTER(n) are rejected with
 * InvalidArgumentError before anything is sent. The table's definition is read from the
 * catalog on the first insert unless a TableDefinition is given.
 *
 * One COPY carries one Arrow stream, whose schema is sent once, with the first data: later
 * inserts must have the same field names (in the same order) and types, or they throw
 * InvalidArgumentError and send nothing.
 *
 * The COPY opens with the first data; from then on the connection is busy with it and other
 * statements on it wait until `execute()` or `cancel()`. Nothing is loaded until `execute()`
 * succeeds; `cancel()`, the abort signal, disposal without `execute()` and errors end the COPY
 * with CopyFail. After a server error every later call reports it; the connection stays
 * usable. Insert calls run one after the other, in the order they were made.
 */
export class ArrowInserter implements AsyncDisposable {
  private readonly connection: Connection;
  private readonly name: TableName;
  private readonly flushBytes: number;
  private readonly given: TableDefinition | undefined;
  private adapter: BatchAdapter | null = null;
  private definitionName: TableName | null = null;
  private sentSchema: Schema | null = null;
  private schemaQueued = false;
  private session: CopySession | null = null;
  private pending: PendingMessage[] = [];
  private pendingBytes = 0;
  private rows = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly lifecycle: InsertLifecycle;

  /**
   * @param table - the target table: a TableDefinition (used as is, so it must match the table),
   *   or a name (`"schema.table"`, parsed like SQL, or a TableName) whose definition is read
   *   from the catalog on the first insert
   * @throws InvalidArgumentError for an unparsable name or a bad `flushBytes`.
   */
  constructor(
    connection: Connection,
    table: string | TableName | TableDefinition,
    options: ArrowInserterOptions = {},
  ) {
    this.connection = connection;
    if (table instanceof TableDefinition) {
      this.given = table;
      this.name = table.name;
    } else {
      this.given = undefined;
      this.name = TableName.from(table);
    }
    const flushBytes = options.flushBytes ?? DEFAULT_FLUSH_BYTES;
    if (!Number.isSafeInteger(flushBytes) || flushBytes < 1) {
      throw new InvalidArgumentError(`flushBytes must be a positive integer, got ${String(flushBytes)}`);
    }
    this.flushBytes = flushBytes;
    this.lifecycle = new InsertLifecycle(
      {
        session: () => this.session,
        discardBuffered: () => {
          this.pending = [];
          this.pendingBytes = 0;
        },
      },
      options.signal,
    );
  }

  /** The target table as given (the COPY uses the catalog's fully qualified name once it was read). */
  get table(): TableName {
    return this.definitionName ?? this.name;
  }

  /** The Arrow schema sent to hyperd (fitted to the table), fixed by the first insert; null before. */
  get schema(): Schema | null {
    return this.sentSchema;
  }

  /** Rows handed over so far (sent or about to be). */
  get rowCount(): number {
    return this.rows;
  }

  /** The COPY statement, known once the first insert fixed the columns; null before. */
  get statement(): string | null {
    if (this.sentSchema === null || this.definitionName === null) return null;
    return copySql(this.definitionName, this.sentSchema);
  }

  /**
   * Inserts every record batch of a table. The whole table is checked before any of it is sent,
   * so an InvalidArgumentError leaves the inserter as it was.
   * @throws InvalidArgumentError when the table does not fit (unknown field, schema different
   *   from the first insert, NULL in a NOT NULL column, string too long); NotFoundError when the
   *   table does not exist; UsageError after `execute()` or `cancel()`; the COPY's error.
   */
  insertTable(table: Table): Promise<void> {
    return this.run(async () => {
      const adapter = await this.prepare();
      const target = this.targetFor(table.schema, adapter);
      const batches = table.batches.filter((batch) => batch.numRows > 0).map((b) => adapter.adapt(b, target));
      this.commitSchema(target);
      if (batches.length > 0) this.queue(encodeBatches(batches), countRows(batches), true);
      await this.sendPending();
    });
  }

  /**
   * Inserts record batches as they come, sending them in chunks of `flushBytes` and waiting
   * for the server whenever a chunk is still on its way.
   *
   * If a batch does not fit or the iterable throws before any batch of this call was queued,
   * the error is thrown and the inserter stays as it was. Later than that the whole insert is
   * cancelled (CopyFail, nothing loaded), as part of the data is on its way already.
   * @throws what `insertTable` throws, and the iterable's own error.
   */
  insertBatches(batches: Iterable<RecordBatch> | AsyncIterable<RecordBatch>): Promise<void> {
    return this.run(async () => {
      const adapter = await this.prepare();
      let queuedAny = false;
      try {
        for await (const batch of batches) {
          this.lifecycle.throwIfStopped();
          const target = this.targetFor(batch.schema, adapter);
          const adapted = adapter.adapt(batch, target);
          this.commitSchema(target);
          if (adapted.numRows === 0) continue;
          this.queue(encodeBatches([adapted]), adapted.numRows, true);
          queuedAny = true;
          if (this.pendingBytes >= this.flushBytes) await this.sendPending();
        }
        await this.sendPending();
      } catch (error) {
        if (queuedAny) await this.lifecycle.abandon("the record batch source failed", error);
        throw error;
      }
    });
  }

  /**
   * Inserts a whole Arrow IPC stream (schema, then record batches; as `tableToIPC(table,
   * "stream")` or `COPY … TO STDOUT WITH (FORMAT arrowstream)` produce it). When the stream's
   * types need no conversion its record batches are sent as they are, without decoding;
   * otherwise it is decoded and goes the way of `insertTable`. Either way it is checked
   * completely before anything is sent.
   * @throws InvalidArgumentError for an IPC file (not a stream), truncated bytes, data after
   *   the end-of-stream marker, a stream without schema, and what `insertTable` throws.
   */
  insertIpc(bytes: Uint8Array): Promise<void> {
    return this.run(async () => {
      const messages = splitIpcStream(bytes);
      const first = messages[0];
      if (first === undefined || !first.message.isSchema()) {
        throw new InvalidArgumentError("an Arrow IPC stream must start with its schema");
      }
      const schema = first.message.header();
      const adapter = await this.prepare();
      const target = this.targetFor(schema, adapter);
      const rest = messages.slice(1);
      const raw =
        adapter.sendsUnchanged(schema, target) &&
        rest.every((m) => m.headerType === MessageHeader.RecordBatch);
      if (!raw) {
        const table = decodeIpc(bytes);
        const batches = table.batches.filter((b) => b.numRows > 0).map((b) => adapter.adapt(b, target));
        this.commitSchema(target);
        if (batches.length > 0) this.queue(encodeBatches(batches), countRows(batches), true);
      } else {
        const rows = checkRawBatches(rest, target, adapter);
        this.commitSchema(target);
        if (rows > 0) {
          this.queue(
            rest.map((message) => message.bytes),
            rows,
            false,
          );
        }
      }
      await this.sendPending();
    });
  }

  /**
   * Sends what is left and CopyDone (after earlier inserts finished) and resolves with the
   * number of rows hyperd inserted. With no data inserted, nothing is sent and the result is 0.
   * @throws UsageError when called twice or after `cancel()`; the COPY's error (e.g. a
   *   HyperError for data hyperd refused), after which the connection is usable again.
   */
  execute(): Promise<number> {
    return this.lifecycle.execute({
      waitForEarlier: () => this.tail,
      hasData: () => this.schemaQueued,
      sendRest: () => this.sendPending(),
    });
  }

  /**
   * Abandons the insert: pending data is dropped and, if the COPY was opened, it is ended with
   * CopyFail so no row is loaded. Resolves once the connection is free again. Does nothing after
   * `execute()` finished or a previous cancel.
   * @param reason - sent to the server with CopyFail (it shows in the server log)
   */
  async cancel(reason = "cancelled by the client"): Promise<void> {
    await this.lifecycle.cancel(reason);
  }

  /** Cancels the insert unless `execute()` was called (see {@link ArrowInserter.cancel}). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.lifecycle.dispose();
  }

  private run(work: () => Promise<void>): Promise<void> {
    const result = this.tail.then(async () => {
      this.lifecycle.assertOpen();
      await work();
    });
    this.tail = result.catch(() => {});
    return result;
  }

  private async prepare(): Promise<BatchAdapter> {
    if (this.adapter === null) {
      const definition = this.given ?? (await new Catalog(this.connection).getTableDefinition(this.name));
      this.definitionName = definition.name;
      this.adapter = new BatchAdapter(definition);
    }
    return this.adapter;
  }

  /** The schema to send for data of `schema`: the one sent already, if the data matches it. */
  private targetFor(schema: Schema, adapter: BatchAdapter): Schema {
    if (this.sentSchema === null) return adapter.targetSchema(schema);
    adapter.checkSameSchema(schema, this.sentSchema);
    return this.sentSchema;
  }

  private commitSchema(target: Schema): void {
    if (this.sentSchema !== null) return;
    this.sentSchema = target;
    this.session = new CopySession(this.connection, copySql(this.definitionName ?? this.name, target));
  }

  /** Queues messages; `owned` ones were encoded here (the caller cannot change them) and may be sent without a copy. */
  private queue(messages: readonly Uint8Array[], rows: number, owned: boolean): void {
    if (!this.schemaQueued) {
      this.push(encodeSchema(this.sentSchema!), true);
      this.schemaQueued = true;
    }
    for (const message of messages) this.push(message, owned);
    this.rows += rows;
  }

  private push(bytes: Uint8Array, owned: boolean): void {
    this.pending.push({ bytes, owned });
    this.pendingBytes += bytes.length;
  }

  /** Sends the pending messages and waits while an earlier chunk is still on its way. */
  private async sendPending(): Promise<void> {
    const session = this.session;
    if (this.pending.length > 0 && session !== null) {
      const pending = this.pending;
      this.pending = [];
      this.pendingBytes = 0;
      let group: Uint8Array[] = [];
      let groupBytes = 0;
      const sendGroup = (): void => {
        // A fresh buffer: the socket may hold on to it after this call, and the caller's bytes may change.
        if (group.length > 0) session.send(Buffer.concat(group, groupBytes));
        group = [];
        groupBytes = 0;
      };
      for (const { bytes, owned } of pending) {
        if (owned && bytes.length >= ZERO_COPY_BYTES) {
          sendGroup();
          session.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        } else {
          group.push(bytes);
          groupBytes += bytes.length;
        }
      }
      sendGroup();
      await session.waitForRoom();
    }
    this.lifecycle.throwIfStopped();
  }
}

function copySql(table: TableName, schema: Schema): string {
  return copyFromStdinSql(
    table,
    schema.fields.map((field) => field.name),
    "arrowstream",
  );
}

/** The record batch messages of `batches` (which share one schema), without schema and end marker. */
function encodeBatches(batches: readonly RecordBatch[]): Uint8Array[] {
  const stream = RecordBatchStreamWriter.writeAll(batches).toUint8Array(true);
  return splitIpcStream(stream)
    .filter((message) => message.headerType === MessageHeader.RecordBatch)
    .map((message) => message.bytes);
}

/** The schema message of a stream with this schema. */
function encodeSchema(schema: Schema): Uint8Array {
  const stream = RecordBatchStreamWriter.writeAll(new Table(schema)).toUint8Array(true);
  return splitIpcStream(stream)[0]!.bytes;
}

function decodeIpc(bytes: Uint8Array): Table {
  try {
    return tableFromIPC(bytes);
  } catch (error) {
    throw new InvalidArgumentError("the Arrow IPC stream cannot be decoded", { cause: error });
  }
}

function countRows(batches: readonly RecordBatch[]): number {
  return batches.reduce((total, batch) => total + batch.numRows, 0);
}

/** Checks record batch messages sent without decoding: NOT NULL columns must have no nulls. Returns the rows. */
function checkRawBatches(messages: readonly IpcMessage[], target: Schema, adapter: BatchAdapter): number {
  let rows = 0;
  for (const message of messages) {
    rows += (message.message.header() as unknown as { readonly length: number }).length;
    const counts = fieldNullCounts(message.message, target.fields);
    target.fields.forEach((field, index) => {
      const nulls = counts[index] ?? 0;
      if (nulls > 0 && !adapter.columnFor(field.name).nullable) {
        throw new InvalidArgumentError(
          `column ${escapeIdentifier(field.name)} is NOT NULL, but the Arrow data has ${nulls} nulls in it`,
        );
      }
    });
  }
  return rows;
}
