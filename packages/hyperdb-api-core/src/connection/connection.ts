import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import {
  ConnectionClosedError,
  ConnectionLostError,
  HyperError,
  InvalidArgumentError,
  ProtocolError,
  type ServerNotice,
  toServerNotice,
} from "../errors/index.ts";
import {
  type BackendKeyData,
  type Notification,
  parseNotification,
  parseParameterStatus,
  parseServerMessageFields,
} from "../protocol/backend-messages.ts";
import { FrontendWriter } from "../protocol/frontend-writer.ts";
import { MessageFramer } from "../protocol/message-framer.ts";
import { BackendTag, describeTag } from "../protocol/message-tags.ts";
import { connectSocket, type SocketOptions } from "../transport/connect-socket.ts";
import { type Endpoint, formatEndpoint, parseEndpoint } from "../transport/endpoint.ts";
import { sendCancelRequest } from "./cancel-request.ts";
import { CopyInOperation, CopyInWriter } from "./copy-in.ts";
import { CopyOutOperation, type CopyOutStream } from "./copy-out.ts";
import type { Operation, OperationContext } from "./operation.ts";
import { type EncodedParameters, encodeParameters, type ParameterValue } from "./parameters.ts";
import { countPlaceholders } from "./placeholders.ts";
import { PreparedStatement, PrepareOperation } from "./prepared-statement.ts";
import { QueryOperation, QueryResult, type ResultFormat } from "./query-result.ts";
import { SimpleQueryOperation, type TextResult } from "./simple-query.ts";
import { StartupOperation } from "./startup.ts";

/** The user hyperd creates at start (`--init-user`) and the default login. */
export const DEFAULT_USER = "tableau_internal_user";

/** Options of `Connection.connect`. */
export interface ConnectionOptions extends SocketOptions {
  /**
   * Where hyperd listens: `host:port`, `tab.tcp://host:port`, a Unix socket path or
   * `tab.domain://…`, or a parsed `Endpoint`. Required unless `connect` is given.
   */
  readonly endpoint?: string | Endpoint;
  /**
   * Opens the byte stream to the server instead of a TCP/UDS socket (for proxies and tests).
   * Called once for the session and once per cancel request.
   */
  readonly connect?: () => Promise<Duplex>;
  /** Login user. @default "tableau_internal_user" */
  readonly user?: string;
  /** Password, for servers that ask for one (cleartext, MD5 or SCRAM-SHA-256). */
  readonly password?: string;
  /** A `.hyper` file to open at login (startup parameter `database`). It must exist. */
  readonly database?: string;
  /** Reported to the server as `application_name`. @default "hyperdb-ts" */
  readonly applicationName?: string;
  /** Further startup parameters, sent verbatim. */
  readonly startupParameters?: Readonly<Record<string, string>>;
  /** Receives NOTICE/WARNING messages. Without a listener they are dropped. */
  readonly onNotice?: (notice: ServerNotice) => void;
  /** Receives NotificationResponse messages. */
  readonly onNotification?: (notification: Notification) => void;
  /**
   * Longest silence accepted from the server while a statement is waiting for it, in ms; `0`
   * turns the check off. hyperd sends an `alive` status message every 5 s while a statement
   * runs, so a long statement is never silent for long; a silence this long means the server
   * or the network path is gone (a peer that vanished without FIN or RST: TCP keepalive does
   * not probe while a request is unacknowledged, and the kernel's retransmissions last about
   * 15 minutes). The connection is then dropped with `ConnectionLostError`. Time the
   * application spends holding results back (paused reading) or producing `COPY` data does
   * not count. @default 30000
   */
  readonly silenceTimeoutMs?: number;
}

/** Options of `Connection.query`. */
export interface QueryOptions {
  /** Values for `$1`, `$2`, …; they always travel as bound parameters. */
  readonly params?: readonly ParameterValue[];
  /**
   * Type OIDs for the parameters (`0` or missing = infer from the JS value). A declared type
   * makes the value be encoded for that type.
   */
  readonly paramTypes?: readonly (number | undefined)[];
  /** Result encoding: 2 = HyperBinary, 1 = PostgreSQL binary, 0 = text. @default 2 */
  readonly format?: ResultFormat;
  /** Rows per delivered batch. @default 4096 */
  readonly batchSize?: number;
  /** Cancels the query on the server when aborted. */
  readonly signal?: AbortSignal;
}

/** Outcome of a statement that is run for its effect. */
export interface CommandResult {
  /** The command tag, e.g. `INSERT 0 3` or `CREATE TABLE`. */
  readonly command: string;
  /** Rows affected or returned, when the tag carries a count; otherwise null. */
  readonly rowCount: number | null;
}

/** Transaction state reported with every ReadyForQuery. */
export type TransactionStatus = "idle" | "transaction" | "failed";

type ConnectionState = "open" | "closing" | "closed";

/** Default of {@link ConnectionOptions.silenceTimeoutMs}: six of hyperd's 5 s `alive` messages. */
export const DEFAULT_SILENCE_TIMEOUT_MS = 30_000;

/**
 * One session with hyperd over the PostgreSQL v3 protocol. Operations run one at a time in
 * the order they were started; each is sent as a single write (pipelined messages) when it
 * reaches the head of the queue.
 *
 * A socket error or close rejects the running operation with `ConnectionLostError` and
 * makes the connection unusable; any later call rejects with that same kind of error.
 */
export class Connection implements AsyncDisposable {
  private readonly socket: Duplex;
  private readonly openSideChannel: () => Promise<Duplex>;
  private readonly options: ConnectionOptions;
  private readonly framer: MessageFramer;
  private readonly writer = new FrontendWriter();
  private readonly queue: Operation[] = [];
  private readonly serverParameters = new Map<string, string>();
  private readonly context: OperationContext;
  private state: ConnectionState = "open";
  private failure: Error | null = null;
  private keyData: BackendKeyData | null = null;
  private status: TransactionStatus = "idle";
  /** The operation that was started and has not completed, if any. */
  private running: Operation | null = null;
  /** True while a finished operation's cancel request is still landing. */
  private settling = false;
  private readonly closed: Promise<void>;
  private readonly silenceTimeoutMs: number;
  /** When the server was last heard from, or the wait for it last (re)started (`performance.now()`). */
  private lastHeardAt = 0;
  /** True while the application holds results back (`pauseReading`). */
  private readPaused = false;
  /** True while a write waits for the socket to drain, i.e. for the server to take data. */
  private drainPending = false;
  private silenceTimer: NodeJS.Timeout | null = null;

  private constructor(
    socket: Duplex,
    openSideChannel: () => Promise<Duplex>,
    options: ConnectionOptions,
    readSink: ReadSink | null,
  ) {
    this.socket = socket;
    this.framer = new MessageFramer(readSink !== null);
    this.openSideChannel = openSideChannel;
    this.options = options;
    const connection = this;
    this.context = {
      writer: this.writer,
      send: (bytes) => this.send(bytes),
      pauseReading: () => {
        this.readPaused = true;
        this.socket.pause();
      },
      resumeReading: () => {
        this.readPaused = false;
        this.lastHeardAt = performance.now();
        this.socket.resume();
      },
      requestCancel: () => this.cancel(),
      get inTransaction() {
        return connection.status !== "idle";
      },
    };
    this.silenceTimeoutMs = silenceTimeoutOf(options.silenceTimeoutMs);
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    if (readSink === null) socket.on("data", (chunk: Buffer) => this.onData(chunk));
    else readSink.deliver = (chunk) => this.onData(chunk);
    socket.on("error", (error: Error) => this.onSocketGone(error));
    socket.on("close", () => this.onSocketGone(null));
  }

  /**
   * Opens a session: connects, authenticates and waits until the server is ready.
   * @throws ConnectionFailedError, TimeoutError, AuthenticationError, HyperError (login refused)
   */
  static async connect(options: ConnectionOptions): Promise<Connection> {
    silenceTimeoutOf(options.silenceTimeoutMs);
    const openStream = streamOpener(options);
    // The session's own socket reads into a reused buffer; side channels (cancel) need not.
    const readSink: ReadSink | null = options.connect === undefined ? { deliver: null } : null;
    const socket =
      readSink === null
        ? await openStream()
        : await connectSocket(endpointOf(options), options, (chunk) => readSink.deliver?.(chunk));
    const connection = new Connection(socket, openStream, options, readSink);
    const startup = new StartupOperation(startupParametersOf(options), options.password, (keyData) => {
      connection.keyData = keyData;
    });
    connection.enqueue(startup);
    try {
      await startup.done;
    } catch (error) {
      connection.destroy(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    return connection;
  }

  /** Value of a server parameter reported with ParameterStatus (e.g. `server_version`). */
  parameter(name: string): string | undefined {
    return this.serverParameters.get(name);
  }

  /** All server parameters reported so far. */
  get parameters(): ReadonlyMap<string, string> {
    return this.serverParameters;
  }

  /** Backend key (process id and secret) used for cancel requests. */
  get backendKey(): BackendKeyData | null {
    return this.keyData;
  }

  get transactionStatus(): TransactionStatus {
    return this.status;
  }

  /** False once the connection was closed or lost. */
  get isOpen(): boolean {
    return this.state === "open";
  }

  /** True while an operation runs or waits (a query being read, an open COPY, …). */
  get isBusy(): boolean {
    return this.queue.length > 0;
  }

  /**
   * Runs one statement with the extended protocol and streams its rows. The query is sent
   * at once (or when earlier operations finish); iterate the result, call `all()`, or call
   * `cancel()` — an unread result holds the connection.
   */
  query(sql: string, options: QueryOptions = {}): QueryResult {
    const encoded = this.encode(options.params, options.paramTypes);
    const operation = new QueryOperation({
      sql,
      statementName: "",
      parameters: encoded,
      format: options.format ?? 2,
      batchSize: options.batchSize,
      columns: null,
    });
    const result = new QueryResult(operation, options.signal);
    this.enqueueOrFail(operation);
    return result;
  }

  /**
   * Runs one statement for its effect and returns the command tag. Without parameters it
   * uses the simple protocol (one round trip); rows, if any, are discarded.
   */
  async execute(sql: string, params?: readonly ParameterValue[]): Promise<CommandResult> {
    if (params === undefined || params.length === 0) {
      const results = await this.simpleQuery(sql);
      const last = results[results.length - 1];
      return { command: last?.command ?? "", rowCount: last?.rowCount ?? null };
    }
    const result = this.query(sql, { params });
    for await (const _batch of result.batches()) {
      // draining: only the command tag matters
    }
    return { command: result.command ?? "", rowCount: result.rowCount };
  }

  /** Runs SQL with the simple protocol; values come back as text-decoded JS values. */
  simpleQuery(sql: string): Promise<TextResult[]> {
    const operation = new SimpleQueryOperation(sql);
    this.enqueueOrFail(operation);
    return operation.done;
  }

  /**
   * Prepares a named statement and describes it. Parameter types are inferred by the
   * server unless given as OIDs.
   */
  async prepare(sql: string, paramTypes: readonly number[] = [], name?: string): Promise<PreparedStatement> {
    const statementName = name ?? `hyperdb_ts_${++statementCounter}`;
    // Hyper rejects `$n` unless Parse declares a type (0 = infer) for every placeholder.
    const declared = Array.from(
      { length: Math.max(paramTypes.length, countPlaceholders(sql)) },
      (_, i) => paramTypes[i] ?? 0,
    );
    const operation = new PrepareOperation(statementName, sql, declared);
    this.enqueueOrFail(operation);
    const description = await operation.done;
    return new PreparedStatement(this, statementName, sql, description);
  }

  /** @internal Runs a prepared statement; used by PreparedStatement. */
  runPrepared(
    statement: PreparedStatement,
    params: readonly ParameterValue[],
    options: QueryOptions,
  ): QueryResult {
    const encoded = this.encode(params, statement.parameterTypes);
    const operation = new QueryOperation({
      sql: statement.sql,
      statementName: statement.name,
      parameters: encoded,
      format: options.format ?? 2,
      batchSize: options.batchSize,
      columns: statement.columns,
    });
    const result = new QueryResult(operation, options.signal);
    this.enqueueOrFail(operation);
    return result;
  }

  /** @internal Closes a prepared statement on the server. */
  async closeStatement(name: string): Promise<void> {
    if (this.state !== "open") return;
    const operation = new SimpleQueryOperation(null, (writer) => writer.close("S", name).sync());
    this.enqueueOrFail(operation);
    await operation.done;
  }

  /**
   * Starts `COPY … FROM STDIN` and resolves once the server is ready for data. Write with
   * the returned writer, then `end()` to commit or `abort()` to send CopyFail.
   */
  async copyIn(sql: string): Promise<CopyInWriter> {
    const operation = new CopyInOperation(sql);
    this.enqueueOrFail(operation);
    await operation.ready;
    return new CopyInWriter(operation);
  }

  /** Runs `COPY … TO STDOUT` and streams the data chunks, paced by the consumer. */
  copyOut(sql: string, options: { signal?: AbortSignal } = {}): CopyOutStream {
    const operation = new CopyOutOperation(sql);
    this.enqueueOrFail(operation);
    return operation.stream(options.signal);
  }

  /**
   * Asks hyperd to cancel the statement this connection is running, over a separate
   * connection. Resolves once the server took the request. Harmless when nothing runs and no
   * transaction is open; inside a transaction, hyperd may abort the transaction.
   */
  async cancel(): Promise<void> {
    const key = this.keyData;
    if (key === null) return;
    await sendCancelRequest(this.openSideChannel, key);
  }

  /**
   * Ends the session: pending operations are rejected with `ConnectionClosedError`, a
   * Terminate message is sent and the socket is closed. Idempotent.
   */
  async close(): Promise<void> {
    if (this.state === "open") {
      this.state = "closing";
      const error = new ConnectionClosedError("the connection was closed");
      this.failAll(error);
      this.failure = error;
      if (!this.socket.destroyed) {
        this.socket.end(this.writer.terminate().flush());
        const timer = setTimeout(() => this.socket.destroy(), 1000);
        timer.unref();
        await this.closed;
        clearTimeout(timer);
      }
      this.state = "closed";
    }
    await this.closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Describes the remote side for messages. */
  get endpointDescription(): string {
    const endpoint = this.options.endpoint;
    if (endpoint === undefined) return "custom stream";
    return typeof endpoint === "string" ? endpoint : formatEndpoint(endpoint);
  }

  /** The underlying socket when it is a TCP/UDS socket (for diagnostics such as keepalive checks). */
  get rawSocket(): Socket | null {
    return "remotePort" in this.socket ? (this.socket as Socket) : null;
  }

  private encode(
    params: readonly ParameterValue[] | undefined,
    types: readonly (number | undefined)[] | undefined,
  ): EncodedParameters {
    return encodeParameters(params ?? [], types);
  }

  private enqueueOrFail(operation: Operation): void {
    if (this.state !== "open" || this.failure !== null) {
      operation.fail(this.unusableError());
      return;
    }
    this.enqueue(operation);
  }

  private unusableError(): Error {
    const failure = this.failure;
    if (failure instanceof ConnectionLostError) {
      return new ConnectionLostError(`the connection to ${this.endpointDescription} was lost earlier`, {
        cause: failure,
      });
    }
    return new ConnectionClosedError("the connection is closed", failure ? { cause: failure } : undefined);
  }

  private enqueue(operation: Operation): void {
    this.queue.push(operation);
    this.startHead();
  }

  /** Starts the first queued operation unless one runs or a cancel is still landing. */
  private startHead(): void {
    const head = this.queue[0];
    if (head === undefined || this.running !== null || this.settling) return;
    this.running = head;
    this.lastHeardAt = performance.now();
    this.watchSilence();
    head.start(this.context);
  }

  /**
   * Keeps one timer running while operations run (re-armed, not recreated per statement); it
   * stops by itself once the connection is idle.
   */
  private watchSilence(): void {
    if (this.silenceTimer !== null || this.silenceTimeoutMs === 0) return;
    this.silenceTimer = setTimeout(this.checkSilence, this.silenceTimeoutMs);
    this.silenceTimer.unref();
  }

  private readonly checkSilence = (): void => {
    this.silenceTimer = null;
    const head = this.running;
    if (this.state !== "open" || head === null) return;
    const now = performance.now();
    const waitingForServer = !this.readPaused && (this.drainPending || head.awaitsServer?.() !== false);
    if (!waitingForServer) {
      this.lastHeardAt = now;
    } else if (now - this.lastHeardAt >= this.silenceTimeoutMs) {
      const seconds = Math.round((now - this.lastHeardAt) / 1000);
      this.destroy(
        new ConnectionLostError(
          `no data from ${this.endpointDescription} for ${seconds} s while waiting for it ` +
            "(a running statement gets an alive message every 5 s): the server or the network is gone",
        ),
      );
      return;
    }
    this.silenceTimer = setTimeout(this.checkSilence, this.silenceTimeoutMs - (now - this.lastHeardAt));
    this.silenceTimer.unref();
  };

  private send(bytes: Buffer | readonly Buffer[]): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.unusableError());
    const socket = this.socket;
    let flushed = true;
    if (Buffer.isBuffer(bytes)) {
      flushed = socket.write(bytes);
    } else {
      for (const part of bytes as readonly Buffer[]) flushed = socket.write(part);
    }
    if (flushed) return RESOLVED;
    this.drainPending = true;
    return new Promise((resolve, reject) => {
      const onDrain = () => {
        socket.off("close", onClose);
        this.drainPending = false;
        this.lastHeardAt = performance.now();
        resolve();
      };
      const onClose = () => {
        socket.off("drain", onDrain);
        this.drainPending = false;
        reject(this.unusableError());
      };
      socket.once("drain", onDrain);
      socket.once("close", onClose);
    });
  }

  private onData(chunk: Buffer): void {
    this.lastHeardAt = performance.now();
    try {
      this.framer.push(chunk, this.onMessage);
      this.running?.endOfChunk?.();
    } catch (error) {
      this.destroy(error instanceof Error ? error : new ProtocolError(String(error)));
    }
  }

  private readonly onMessage = (tag: number, buffer: Buffer, start: number, end: number): void => {
    if (tag === BackendTag.DataRow) {
      const head = this.running;
      if (head?.onDataRow !== undefined) {
        head.onDataRow(buffer, start);
        return;
      }
    }
    switch (tag) {
      case BackendTag.ParameterStatus: {
        const [name, value] = parseParameterStatus(buffer, start, end);
        this.serverParameters.set(name, value);
        return;
      }
      case BackendTag.NoticeResponse: {
        const listener = this.options.onNotice;
        if (listener !== undefined) {
          const notice = toServerNotice(parseServerMessageFields(buffer, start, end));
          // Outside the read loop: a listener that throws must not break the session.
          queueMicrotask(() => listener(notice));
        }
        return;
      }
      case BackendTag.NotificationResponse: {
        const listener = this.options.onNotification;
        if (listener !== undefined) {
          const notification = parseNotification(buffer, start, end);
          queueMicrotask(() => listener(notification));
        }
        return;
      }
      case BackendTag.ReadyForQuery:
        this.status = transactionStatusOf(buffer[start]);
        break;
    }
    const head = this.running;
    if (head === null) {
      if (tag === BackendTag.ErrorResponse) {
        // hyperd reports a shutdown (57P01) or another fatal condition, then closes.
        this.failure = new HyperError(parseServerMessageFields(buffer, start, end));
        return;
      }
      throw new ProtocolError(`unexpected message ${describeTag(tag)} while no operation was running`);
    }
    if (head.handleMessage(tag, buffer, start, end)) {
      this.queue.shift();
      this.running = null;
      const settled = head.settled?.();
      if (settled === undefined) {
        this.startHead();
      } else {
        this.settling = true;
        void settled.finally(() => {
          this.settling = false;
          this.startHead();
        });
      }
    }
  };

  private onSocketGone(error: Error | null): void {
    if (this.state === "closed" && this.queue.length === 0) return;
    if (this.state !== "open") {
      this.state = "closed";
      return;
    }
    const cause = error ?? this.failure ?? undefined;
    const message =
      error === null
        ? `the server closed the connection to ${this.endpointDescription}`
        : `the connection to ${this.endpointDescription} failed: ${error.message}`;
    this.destroy(new ConnectionLostError(message, cause ? { cause } : undefined));
  }

  /** Marks the connection dead, rejects everything pending and drops the socket. */
  private destroy(error: Error): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.failure =
      error instanceof ConnectionLostError ? error : new ConnectionLostError(error.message, { cause: error });
    this.failAll(error);
    this.socket.destroy();
  }

  private failAll(error: Error): void {
    this.running = null;
    if (this.silenceTimer !== null) {
      clearTimeout(this.silenceTimer);
      this.silenceTimer = null;
    }
    const pending = this.queue.splice(0);
    for (const operation of pending) operation.fail(error);
  }
}

let statementCounter = 0;
const RESOLVED = Promise.resolve();

function silenceTimeoutOf(value: number | undefined): number {
  if (value === undefined) return DEFAULT_SILENCE_TIMEOUT_MS;
  if (!Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`silenceTimeoutMs must be a number ≥ 0, got ${String(value)}`);
  }
  return value;
}

function transactionStatusOf(byte: number | undefined): TransactionStatus {
  if (byte === 0x54) return "transaction"; // 'T'
  if (byte === 0x45) return "failed"; // 'E'
  return "idle";
}

/**
 * hyperd's default `extra_float_digits` (0) prints REAL with 6 and DOUBLE with 15 significant
 * digits, so text results would lose precision; any value ≥ 1 prints floats exactly. The
 * setting only takes effect through `options` (a startup parameter of that name is ignored).
 */
const EXACT_FLOAT_TEXT = "-c extra_float_digits=3";

function startupParametersOf(options: ConnectionOptions): Record<string, string> {
  const extra = options.startupParameters ?? {};
  return {
    user: options.user ?? DEFAULT_USER,
    application_name: options.applicationName ?? "hyperdb-ts",
    ...(options.database === undefined ? {} : { database: options.database }),
    ...extra,
    options: extra.options === undefined ? EXACT_FLOAT_TEXT : `${EXACT_FLOAT_TEXT} ${extra.options}`,
  };
}

/** Where data read by the session socket goes, bound once the connection exists. */
interface ReadSink {
  deliver: ((chunk: Buffer) => void) | null;
}

function endpointOf(options: ConnectionOptions): Endpoint {
  if (options.endpoint === undefined) {
    throw new TypeError("Connection.connect needs an endpoint or a connect function");
  }
  return typeof options.endpoint === "string" ? parseEndpoint(options.endpoint) : options.endpoint;
}

function streamOpener(options: ConnectionOptions): () => Promise<Duplex> {
  if (options.connect) return options.connect;
  const endpoint = endpointOf(options);
  return () => connectSocket(endpoint, options);
}
