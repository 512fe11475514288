import type { FrontendWriter } from "../protocol/frontend-writer.ts";

/** What an operation may ask of the connection that runs it. */
export interface OperationContext {
  readonly writer: FrontendWriter;
  /** Writes bytes to the socket; resolves once the socket can take more (backpressure). */
  send(bytes: Buffer | readonly Buffer[]): Promise<void>;
  /** Stops reading from the socket until `resumeReading`, so a slow consumer sets the pace. */
  pauseReading(): void;
  resumeReading(): void;
  /** Asks the server to cancel whatever this connection is running (side connection). */
  requestCancel(): Promise<void>;
  /**
   * True while a transaction is open. A cancel that arrives as a statement ends would abort
   * the whole transaction, so results abandoned inside one are drained instead of cancelled.
   */
  readonly inTransaction: boolean;
}

/**
 * One request/response exchange with the server (startup, a query, a COPY, …). The
 * connection runs one operation at a time: it calls `start`, routes every backend message
 * except ParameterStatus, NoticeResponse and NotificationResponse to `handleMessage`, and
 * considers the operation finished when `handleMessage` returns true (normally at
 * ReadyForQuery). `fail` is called instead when the connection breaks.
 */
export interface Operation {
  start(context: OperationContext): void;
  /** Returns true when the operation is complete. */
  handleMessage(tag: number, buffer: Buffer, start: number, end: number): boolean;
  /**
   * Fast path for DataRow messages, called instead of `handleMessage` when present (a scan
   * delivers millions of them). `start` is the first payload byte.
   */
  onDataRow?(buffer: Buffer, start: number): void;
  /** The connection failed or was closed; reject whatever is pending. */
  fail(error: Error): void;
  /** Called after each chunk read from the socket, e.g. to hand over a partial batch. */
  endOfChunk?(): void;
  /**
   * False while the operation waits for the application rather than for the server (a
   * `COPY … FROM STDIN` between the server's go-ahead and CopyDone/CopyFail): the server has
   * nothing to say then, so its silence means nothing. Absent means always waiting for the server.
   */
  awaitsServer?(): boolean;
  /**
   * After completion, the connection waits for this promise before it starts the next
   * operation (used to let a cancel request land before anything else runs).
   */
  settled?(): Promise<void> | undefined;
}
