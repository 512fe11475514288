import { HyperError, ProtocolError, UsageError } from "../errors/index.ts";
import {
  parseCommandTag,
  parseServerMessageFields,
  rowCountOfCommandTag,
} from "../protocol/backend-messages.ts";
import { copyDataHeader } from "../protocol/frontend-writer.ts";
import { BackendTag, describeTag } from "../protocol/message-tags.ts";
import { deferred } from "./deferred.ts";
import type { Operation, OperationContext } from "./operation.ts";

/** Largest CopyData payload sent in one message (hyperd refuses packets above ~150 MB). */
export const MAX_COPY_DATA_BYTES = 64 * 1024 * 1024;

/** The `COPY … FROM STDIN` exchange: Query, CopyInResponse, CopyData…, CopyDone or CopyFail. */
export class CopyInOperation implements Operation {
  readonly sql: string;
  private readonly readyState = deferred<void>();
  private readonly completion = deferred<number | null>();
  private context: OperationContext | null = null;
  private inCopyMode = false;
  /** True from the server's go-ahead until CopyDone or CopyFail is sent: the data is ours to send. */
  private clientTurn = false;
  private error: HyperError | null = null;
  private rowCount: number | null = null;

  constructor(sql: string) {
    this.sql = sql;
  }

  /** Resolves when the server accepts data; rejects if the COPY statement failed. */
  get ready(): Promise<void> {
    return this.readyState.promise;
  }

  /** Resolves with the row count once the server finished the COPY. */
  get done(): Promise<number | null> {
    return this.completion.promise;
  }

  /** The server error that ended the COPY early, if any. */
  get serverError(): HyperError | null {
    return this.error;
  }

  get acceptsData(): boolean {
    return this.inCopyMode && this.error === null;
  }

  start(context: OperationContext): void {
    this.context = context;
    void context.send(context.writer.query(this.sql).flush()).catch(() => {});
  }

  handleMessage(tag: number, buffer: Buffer, start: number, end: number): boolean {
    switch (tag) {
      case BackendTag.CopyInResponse:
        this.inCopyMode = true;
        this.clientTurn = true;
        this.readyState.resolve();
        return false;
      case BackendTag.ErrorResponse:
        this.error ??= new HyperError(parseServerMessageFields(buffer, start, end)).withStatement(this.sql);
        this.inCopyMode = false;
        return false;
      case BackendTag.CommandComplete:
        this.rowCount = rowCountOfCommandTag(parseCommandTag(buffer, start, end));
        return false;
      case BackendTag.RowDescription:
      case BackendTag.DataRow:
      case BackendTag.EmptyQueryResponse:
        return false;
      case BackendTag.ReadyForQuery:
        this.inCopyMode = false;
        if (this.error !== null) {
          this.readyState.reject(this.error);
          this.completion.reject(this.error);
        } else {
          this.readyState.reject(new UsageError(`not a COPY … FROM STDIN statement: ${this.sql}`));
          this.completion.resolve(this.rowCount);
        }
        return true;
      default:
        throw new ProtocolError(`unexpected message ${describeTag(tag)} during COPY FROM STDIN`);
    }
  }

  awaitsServer(): boolean {
    return !this.clientTurn || this.error !== null;
  }

  fail(error: Error): void {
    this.inCopyMode = false;
    this.clientTurn = false;
    this.readyState.reject(error);
    this.completion.reject(error);
  }

  /** Sends one chunk of data, split into messages below the server's packet limit. */
  async send(data: Uint8Array): Promise<void> {
    const context = this.requireContext();
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    for (let offset = 0; offset < bytes.length; offset += MAX_COPY_DATA_BYTES) {
      if (!this.acceptsData) return;
      const piece = bytes.subarray(offset, Math.min(bytes.length, offset + MAX_COPY_DATA_BYTES));
      await context.send([copyDataHeader(piece.length), piece]);
    }
  }

  finishData(): void {
    const context = this.requireContext();
    this.clientTurn = false;
    if (!this.inCopyMode) return;
    void context.send(context.writer.copyDone().flush()).catch(() => {});
  }

  abortData(reason: string): void {
    const context = this.requireContext();
    this.clientTurn = false;
    if (!this.inCopyMode) return;
    void context.send(context.writer.copyFail(reason).flush()).catch(() => {});
  }

  private requireContext(): OperationContext {
    if (this.context === null) throw new UsageError("COPY has not started");
    return this.context;
  }
}

/**
 * Writes data into a running `COPY … FROM STDIN`. `end()` commits the COPY and returns
 * the row count; `abort()` sends CopyFail so nothing is loaded and the connection stays
 * usable. A server error (e.g. malformed data) surfaces from the next call.
 */
export class CopyInWriter {
  private readonly operation: CopyInOperation;
  private state: "open" | "ending" | "ended" = "open";

  constructor(operation: CopyInOperation) {
    this.operation = operation;
  }

  /** Sends bytes in the COPY's format. Resolves when the socket can take more. */
  async write(data: Uint8Array): Promise<void> {
    this.assertOpen();
    const error = this.operation.serverError;
    if (error !== null) throw error;
    await this.operation.send(data);
  }

  /** Finishes the COPY; resolves with the number of rows loaded. */
  async end(): Promise<number> {
    this.assertOpen();
    this.state = "ending";
    this.operation.finishData();
    try {
      return (await this.operation.done) ?? 0;
    } finally {
      this.state = "ended";
    }
  }

  /**
   * Abandons the COPY with CopyFail; nothing is loaded. Resolves once the connection is free.
   * Safe to call after an error and more than once.
   */
  async abort(reason = "aborted by the client"): Promise<void> {
    if (this.state === "ended") return;
    this.state = "ending";
    this.operation.abortData(reason);
    try {
      await this.operation.done;
    } catch {
      // The server confirms a CopyFail with an error; that is the expected outcome.
    } finally {
      this.state = "ended";
    }
  }

  private assertOpen(): void {
    if (this.state !== "open") throw new UsageError("this COPY has already been finished or aborted");
  }
}
