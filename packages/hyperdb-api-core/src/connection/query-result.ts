import { HyperError, ProtocolError, UsageError } from "../errors/index.ts";
import {
  type ColumnDescription,
  parseCommandTag,
  parseRowDescription,
  parseServerMessageFields,
  rowCountOfCommandTag,
} from "../protocol/backend-messages.ts";
import { BackendTag, describeTag } from "../protocol/message-tags.ts";
import { fieldDecoder } from "../values/index.ts";
import { cancelAfterGrace } from "./cancel-grace.ts";
import { type Deferred, deferred } from "./deferred.ts";
import type { Operation, OperationContext } from "./operation.ts";
import { PacedQueue } from "./paced-queue.ts";
import type { EncodedParameters } from "./parameters.ts";
import { createRowDecoder, type RowDecoder } from "./row-decoder.ts";

/** Result value encoding: 2 = HyperBinary (little-endian), 1 = PostgreSQL binary, 0 = text. */
export type ResultFormat = 0 | 1 | 2;

/** One result row: values in column order, `null` for SQL NULL. */
export type Row = unknown[];

/** Everything a query returned, when read in full with `all()`. */
export interface QueryOutcome {
  readonly columns: readonly ColumnDescription[];
  readonly rows: Row[];
  readonly command: string;
  readonly rowCount: number | null;
}

export interface QueryOperationConfig {
  readonly sql: string;
  /** "" for a one-shot statement (Parse is sent); a name for a prepared one. */
  readonly statementName: string;
  readonly parameters: EncodedParameters;
  readonly format: ResultFormat;
  readonly batchSize: number | undefined;
  /** Known columns of a prepared statement (then no Describe is sent), else null. */
  readonly columns: readonly ColumnDescription[] | null;
}

const DEFAULT_BATCH_SIZE = 4096;

/**
 * The exchange behind `Connection.query`: Parse/Bind/Describe/Execute/Sync in one write,
 * then rows decoded straight from the socket's chunks into batches. When the consumer
 * falls behind, reading from the socket pauses until it catches up.
 */
export class QueryOperation implements Operation {
  readonly config: QueryOperationConfig;
  private readonly batchSize: number;
  private readonly completion = deferred<void>();
  private readonly columnsKnown: Deferred<readonly ColumnDescription[]> = deferred();
  private context: OperationContext | null = null;
  private decodeRow: RowDecoder = () => [];
  private columnsSet = false;
  private current: Row[] = [];
  private readonly ready: PacedQueue<Row[]>;
  private finished = false;
  /** The statement ended (CommandComplete, EmptyQueryResponse or an error); ReadyForQuery may still be due. */
  private statementEnded = false;
  private abandoned = false;
  private error: Error | null = null;
  private cancelSent: Promise<void> | undefined;
  command: string | null = null;
  rowCount: number | null = null;

  constructor(config: QueryOperationConfig) {
    this.config = config;
    this.batchSize = Math.max(1, config.batchSize ?? DEFAULT_BATCH_SIZE);
    this.ready = new PacedQueue(Math.max(this.batchSize * 4, 16_384), (batch) => batch.length);
    if (config.columns !== null) this.setColumns(config.columns);
  }

  /** Resolves when the server finished the statement (successfully or not). */
  get done(): Promise<void> {
    return this.completion.promise;
  }

  get columns(): Promise<readonly ColumnDescription[]> {
    return this.columnsKnown.promise;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  start(context: OperationContext): void {
    this.context = context;
    this.ready.attach({ pause: () => context.pauseReading(), resume: () => context.resumeReading() });
    const { sql, statementName, parameters, format, columns } = this.config;
    const writer = context.writer;
    if (statementName === "") writer.parse("", sql, parameters.oids);
    writer.bind("", statementName, parameters.values, [format]);
    if (columns === null) writer.describe("P", "");
    writer.execute("", 0).sync();
    void context.send(writer.flush()).catch(() => {});
  }

  handleMessage(tag: number, buffer: Buffer, start: number, end: number): boolean {
    switch (tag) {
      case BackendTag.DataRow:
        this.onDataRow(buffer, start);
        return false;
      case BackendTag.RowDescription:
        this.setColumns(parseRowDescription(buffer, start, end));
        return false;
      case BackendTag.NoData:
        this.setColumns([]);
        return false;
      case BackendTag.ParseComplete:
      case BackendTag.BindComplete:
      case BackendTag.CloseComplete:
      case BackendTag.ParameterDescription:
      case BackendTag.PortalSuspended:
      case BackendTag.CopyData:
      case BackendTag.CopyDone:
      case BackendTag.CopyOutResponse:
        return false;
      case BackendTag.CopyInResponse:
        this.refuseCopyIn();
        return false;
      case BackendTag.CommandComplete:
        this.statementEnded = true;
        this.command = parseCommandTag(buffer, start, end);
        this.rowCount = rowCountOfCommandTag(this.command);
        this.deliverCurrent();
        return false;
      case BackendTag.EmptyQueryResponse:
        this.statementEnded = true;
        this.command = "";
        return false;
      case BackendTag.ErrorResponse:
        this.statementEnded = true;
        this.error ??= new HyperError(parseServerMessageFields(buffer, start, end)).withStatement(
          this.config.sql,
          this.config.parameters.source,
        );
        return false;
      case BackendTag.ReadyForQuery:
        this.finish();
        return true;
      default:
        throw new ProtocolError(`unexpected message ${describeTag(tag)} in a query result`);
    }
  }

  endOfChunk(): void {
    if (this.current.length > 0 && this.ready.hasWaitingConsumer) this.deliverCurrent();
  }

  settled(): Promise<void> | undefined {
    return this.cancelSent;
  }

  fail(error: Error): void {
    this.error ??= error;
    this.finish();
  }

  /**
   * Next batch of rows, or null at the end. Throws the server's error (after the rows
   * that preceded it).
   */
  nextBatch(): Promise<Row[] | null> {
    return this.ready.next();
  }

  /**
   * Stops reading: buffered and further rows are dropped, a cancel request is sent when the
   * statement still runs after a short grace (see `cancel-grace.ts`; never inside a
   * transaction, where the rest is read and dropped because a cancel could abort the
   * transaction), and the promise resolves once the connection is free again.
   */
  async abandon(): Promise<void> {
    this.ready.discard();
    if (this.finished) return;
    this.abandoned = true;
    this.current = [];
    if (this.context !== null && !this.context.inTransaction) {
      await cancelAfterGrace(this.completion.promise, () => this.requestCancel());
    }
    await this.completion.promise;
    await this.cancelSent;
  }

  /** Sends a cancel request while the statement runs (AbortSignal support); none once it ended. */
  requestCancel(): void {
    if (this.finished || this.statementEnded || this.context === null) return;
    this.cancelSent ??= this.context.requestCancel();
  }

  private setColumns(columns: readonly ColumnDescription[]): void {
    const format = this.config.format;
    this.decodeRow = createRowDecoder(
      columns.map((column) => fieldDecoder({ oid: column.typeOid, typmod: column.typmod }, format)),
    );
    this.columnsSet = true;
    this.columnsKnown.resolve(columns);
  }

  onDataRow(buffer: Buffer, start: number): void {
    if (this.abandoned) return;
    // The payload starts with the field count, which the row decoder already knows.
    const row = this.decodeRow(buffer, start + 2);
    const current = this.current;
    current.push(row);
    if (current.length >= this.batchSize) this.deliverCurrent();
  }

  private deliverCurrent(): void {
    const batch = this.current;
    if (batch.length === 0) return;
    this.current = [];
    this.ready.push(batch);
  }

  private finish(): void {
    if (this.finished) return;
    if (!this.abandoned) this.deliverCurrent();
    this.finished = true;
    if (!this.columnsSet) {
      this.columnsKnown.reject(this.error ?? new UsageError("the statement returned no row description"));
    }
    this.ready.end(this.abandoned ? null : this.error);
    this.completion.resolve();
  }

  private refuseCopyIn(): void {
    const context = this.context;
    if (context === null) return;
    // In copy-in mode hyperd swallowed the pipelined Sync, so another one must follow.
    context.writer.copyFail("COPY FROM STDIN needs Connection.copyIn()").sync();
    void context.send(context.writer.flush()).catch(() => {});
  }
}

/**
 * The rows of a running statement, read as an async iterable of rows (`for await`) or of
 * batches (`batches()`). Reading is paced by the consumer; leaving a loop early cancels the
 * statement on the server (inside a transaction it drains the rest instead, so the
 * transaction survives) and frees the connection. Each result can be read once.
 */
export class QueryResult implements AsyncIterable<Row> {
  private readonly operation: QueryOperation;
  private consumed = false;

  constructor(operation: QueryOperation, signal?: AbortSignal) {
    this.operation = operation;
    if (signal !== undefined) {
      if (signal.aborted) {
        operation.requestCancel();
      } else {
        const onAbort = () => operation.requestCancel();
        signal.addEventListener("abort", onAbort, { once: true });
        void operation.done.then(() => signal.removeEventListener("abort", onAbort));
      }
    }
  }

  /** Column descriptions, available once the server described the result. */
  get columns(): Promise<readonly ColumnDescription[]> {
    return this.operation.columns;
  }

  /** The command tag (`SELECT 3`, `INSERT 0 1`, …) once the statement finished. */
  get command(): string | null {
    return this.operation.command;
  }

  /** Row count from the command tag once the statement finished; null if it has none. */
  get rowCount(): number | null {
    return this.operation.rowCount;
  }

  /** The rows in batches, as they arrive. */
  async *batches(): AsyncGenerator<Row[], void, undefined> {
    this.claim();
    let completed = false;
    try {
      for (;;) {
        const batch = await this.operation.nextBatch();
        if (batch === null) break;
        yield batch;
      }
      completed = true;
    } finally {
      if (!completed) await this.operation.abandon();
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Row, void, undefined> {
    for await (const batch of this.batches()) {
      for (const row of batch) yield row;
    }
  }

  /** Reads the whole result into memory. */
  async all(): Promise<QueryOutcome> {
    const rows: Row[] = [];
    for await (const batch of this.batches()) {
      for (const row of batch) rows.push(row);
    }
    const columns = await this.operation.columns.catch(() => []);
    return { columns, rows, command: this.operation.command ?? "", rowCount: this.operation.rowCount };
  }

  /** Stops the statement and discards its rows; resolves once the connection is free. */
  async cancel(): Promise<void> {
    this.consumed = true;
    await this.operation.abandon();
  }

  private claim(): void {
    if (this.consumed) throw new UsageError("a query result can be read only once");
    this.consumed = true;
  }
}
