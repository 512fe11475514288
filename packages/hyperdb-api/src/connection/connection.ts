import { basename } from "node:path";
import {
  AlreadyExistsError,
  type CommandResult,
  Connection as CoreConnection,
  type ConnectionOptions as CoreConnectionOptions,
  type Endpoint,
  HyperError,
  InvalidArgumentError,
  NoRowsError,
  NotFoundError,
  type ParameterValue,
  type QueryResult,
  type ServerNotice,
  SqlState,
  type TransactionStatus,
  UsageError,
} from "@hyperdb-ts/hyperdb-api-core";
import { escapeIdentifier, escapeStringLiteral } from "../catalog/escape.ts";
import type { HyperProcess } from "../process/hyper-process.ts";
import { PreparedQuery } from "../query/prepared-query.ts";
import { type ColumnInfo, type RowMode, RowStream, toColumnInfo } from "../query/row-stream.ts";
import { SqlQuery } from "../query/sql.ts";
import { type CreateMode, createDatabaseStatements } from "./create-mode.ts";

/** Options of `Connection.connect`. */
export interface ConnectOptions {
  /** A running hyperd to connect to (its endpoint is used). Give this or `endpoint`. */
  readonly hyper?: HyperProcess;
  /** Where hyperd listens: `host:port`, a socket path, or a parsed endpoint. */
  readonly endpoint?: string | Endpoint;
  /**
   * A `.hyper` file to open as the primary database: attached under `alias`, and unqualified
   * table names resolve into it.
   */
  readonly database?: string;
  /** What to do when `database` does or does not exist. @default "DoNotCreate" */
  readonly createMode?: CreateMode;
  /** Alias of the primary database. @default the file name without `.hyper`, lower-cased, other characters as `_` */
  readonly alias?: string;
  /** Login user. @default "tableau_internal_user" */
  readonly user?: string;
  /** Password, for a hyperd started with one. */
  readonly password?: string;
  /** Reported to hyperd as `application_name`. @default "hyperdb-ts" */
  readonly applicationName?: string;
  /** @default 30000 (ms) */
  readonly connectTimeoutMs?: number;
  /**
   * Longest silence accepted from hyperd while a statement waits for it; longer means hyperd
   * or the network is gone, and the statement fails with `ConnectionLostError`. hyperd sends an
   * `alive` message every 5 s while a statement runs, so long statements are not cut. `0`
   * turns the check off. @default 30000 (ms)
   */
  readonly silenceTimeoutMs?: number;
  /** Receives NOTICE and WARNING messages from the server. */
  readonly onNotice?: (notice: ServerNotice) => void;
}

/** Options of queries. */
export interface QueryOptions {
  /** Cancels the query on the server when aborted. */
  readonly signal?: AbortSignal;
  /** Rows as objects keyed by column name (default) or as arrays. */
  readonly rowMode?: RowMode;
}

/** A statement: SQL text, or a `sql` tagged template (which carries its own parameters). */
export type Statement = string | SqlQuery;

/** Options of `attachDatabase`. */
export interface AttachOptions {
  /** Alias to attach under. @default derived from the file name */
  readonly alias?: string;
  /** @default "DoNotCreate" */
  readonly createMode?: CreateMode;
  /**
   * Attach read-only (`access_mode = 'readonly'`): hyperd refuses every statement that would
   * write to it. @default false
   */
  readonly readOnly?: boolean;
}

/**
 * A session with hyperd for application code: opens `.hyper` files, runs queries with bound
 * parameters, streams typed rows, and runs transactions. Close it when done, or use
 * `await using`.
 *
 * One connection runs one statement at a time; calls made while another runs wait their
 * turn. Use a `ConnectionPool` for concurrent work.
 */
export class Connection implements AsyncDisposable {
  /** The wire-level connection, for protocol features this class does not wrap (COPY, …). */
  readonly core: CoreConnection;
  private readonly attached = new Map<string, string>();
  private primaryAlias: string | null = null;
  private transactionDepth = 0;

  private constructor(core: CoreConnection) {
    this.core = core;
  }

  /**
   * Connects to hyperd and, if `database` is given, creates it as `createMode` says and
   * attaches it.
   * @throws NotFoundError when the database file (or its folder) does not exist,
   *   InvalidArgumentError when the file is not a Hyper database, and the core's connection
   *   errors (ConnectionFailedError, TimeoutError, HyperError).
   */
  static async connect(options: ConnectOptions): Promise<Connection> {
    const endpoint = options.endpoint ?? options.hyper?.endpoint;
    if (endpoint === undefined)
      throw new InvalidArgumentError("Connection.connect needs `hyper` or `endpoint`");
    const coreOptions: CoreConnectionOptions = {
      endpoint,
      ...(options.user === undefined ? {} : { user: options.user }),
      ...(options.password === undefined ? {} : { password: options.password }),
      applicationName: options.applicationName ?? "hyperdb-ts",
      ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
      ...(options.silenceTimeoutMs === undefined ? {} : { silenceTimeoutMs: options.silenceTimeoutMs }),
      ...(options.onNotice === undefined ? {} : { onNotice: options.onNotice }),
    };
    const connection = new Connection(await CoreConnection.connect(coreOptions));
    if (options.database !== undefined) {
      try {
        const alias = await connection.attachDatabase(options.database, {
          ...(options.alias === undefined ? {} : { alias: options.alias }),
          createMode: options.createMode ?? "DoNotCreate",
        });
        await connection.setPrimaryDatabase(alias);
      } catch (error) {
        await connection.core.close();
        throw error;
      }
    }
    return connection;
  }

  /** Alias of the primary database, or null when none is attached. */
  get database(): string | null {
    return this.primaryAlias;
  }

  /** Aliases and file paths of the databases this connection attached. */
  get attachedDatabases(): ReadonlyMap<string, string> {
    return this.attached;
  }

  /** hyperd's version as it reports it at login (e.g. `9.1.0`). */
  get serverVersion(): string {
    return this.core.parameter("server_version") ?? "";
  }

  get isOpen(): boolean {
    return this.core.isOpen;
  }

  get transactionStatus(): TransactionStatus {
    return this.core.transactionStatus;
  }

  /**
   * Runs a query and streams its rows, typed as `T`:
   *
   * ```ts
   * for await (const order of connection.query<Order>(sql`SELECT * FROM orders WHERE total > ${100}`)) …
   * ```
   */
  query<T = Record<string, unknown>>(
    statement: Statement,
    params?: readonly ParameterValue[],
    options: QueryOptions = {},
  ): RowStream<T> {
    return new RowStream<T>(this.run(statement, params, options), options.rowMode ?? "object", (error) =>
      this.explain(error),
    );
  }

  /** All rows of a query. */
  fetchAll<T = Record<string, unknown>>(
    statement: Statement,
    params?: readonly ParameterValue[],
    options?: QueryOptions,
  ): Promise<T[]> {
    return this.query<T>(statement, params, options).toArray();
  }

  /**
   * The first row of a query; the rest is not read.
   * @throws NoRowsError when the query returns no row.
   */
  async fetchOne<T = Record<string, unknown>>(
    statement: Statement,
    params?: readonly ParameterValue[],
    options?: QueryOptions,
  ): Promise<T> {
    const row = await this.fetchOptional<T>(statement, params, options);
    if (row === undefined) throw new NoRowsError(`the query returned no rows: ${textOf(statement)}`);
    return row;
  }

  /** The first row of a query, or undefined when there is none. */
  async fetchOptional<T = Record<string, unknown>>(
    statement: Statement,
    params?: readonly ParameterValue[],
    options?: QueryOptions,
  ): Promise<T | undefined> {
    for await (const row of this.query<T>(statement, params, options)) return row;
    return undefined;
  }

  /**
   * The first column of the first row.
   * @throws NoRowsError when the query returns no row.
   */
  async fetchScalar<T = unknown>(
    statement: Statement,
    params?: readonly ParameterValue[],
    options?: Omit<QueryOptions, "rowMode">,
  ): Promise<T> {
    const row = await this.fetchOne<unknown[]>(statement, params, { ...options, rowMode: "array" });
    return row[0] as T;
  }

  /** Columns a query would return, without running it (Parse and Describe only). */
  async describe(statement: Statement, params?: readonly ParameterValue[]): Promise<ColumnInfo[]> {
    const [text] = this.resolve(statement, params);
    // The unnamed statement: the next statement on this connection replaces it.
    const described = await this.core.prepare(text, [], "");
    return toColumnInfo(described.columns);
  }

  /**
   * Runs a statement for its effect.
   * @returns the number of rows it affected (0 for statements without a count).
   */
  async execute(statement: Statement, params?: readonly ParameterValue[]): Promise<number> {
    const result = await this.executeCommand(statement, params);
    return result.rowCount ?? 0;
  }

  /** Runs a statement for its effect and returns the server's command tag as well. */
  async executeCommand(statement: Statement, params?: readonly ParameterValue[]): Promise<CommandResult> {
    const [text, values] = this.resolve(statement, params);
    try {
      return await this.core.execute(text, values);
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** Prepares a statement to run many times with different parameters. */
  async prepare(text: string, paramTypes?: readonly number[]): Promise<PreparedQuery> {
    return new PreparedQuery(await this.core.prepare(text, paramTypes));
  }

  /**
   * Runs `work` in a transaction: commits when it resolves, rolls back when it throws (and
   * rethrows). If a statement failed inside and `work` carried on anyway, the transaction is
   * rolled back and a UsageError says so. Transactions do not nest.
   */
  async transaction<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    if (this.transactionDepth > 0 || this.core.transactionStatus !== "idle") {
      throw new UsageError(
        "a transaction is already open on this connection; Hyper does not nest transactions",
      );
    }
    this.transactionDepth++;
    try {
      await this.core.execute("BEGIN TRANSACTION");
      let result: T;
      try {
        result = await work(this);
      } catch (error) {
        if (this.core.isOpen) await this.core.execute("ROLLBACK").catch(() => {});
        throw error;
      }
      if (this.currentTransactionStatus() === "failed") {
        await this.core.execute("ROLLBACK");
        throw new UsageError(
          "the transaction was aborted by an earlier error inside it and has been rolled back; nothing was committed",
        );
      }
      await this.core.execute("COMMIT");
      return result;
    } finally {
      this.transactionDepth--;
    }
  }

  /**
   * Attaches a `.hyper` file (creating it first as `createMode` says) and returns its alias.
   * Tables in it are reachable as `"alias"."schema"."table"`.
   */
  async attachDatabase(path: string, options: AttachOptions = {}): Promise<string> {
    const alias = options.alias ?? defaultAlias(path);
    if (this.attached.has(alias)) throw new UsageError(`a database is already attached as "${alias}"`);
    try {
      for (const statement of createDatabaseStatements(path, options.createMode ?? "DoNotCreate")) {
        await this.core.execute(statement);
      }
      const access = options.readOnly === true ? " WITH (access_mode = 'readonly')" : "";
      await this.core.execute(
        `ATTACH DATABASE ${escapeIdentifier(path)} AS ${escapeIdentifier(alias)}${access}`,
      );
    } catch (error) {
      throw databaseFileError(error, path);
    }
    this.attached.set(alias, path);
    // Once two databases are attached, unqualified names only resolve through the search path.
    if (this.primaryAlias !== null) await this.setPrimaryDatabase(this.primaryAlias);
    return alias;
  }

  /** Detaches a database attached by this connection; its file is flushed and released. */
  async detachDatabase(alias: string): Promise<void> {
    await this.core.execute(`DETACH DATABASE ${escapeIdentifier(alias)}`);
    this.attached.delete(alias);
    if (this.primaryAlias === alias) {
      this.primaryAlias = null;
      await this.core.execute("RESET schema_search_path");
    }
  }

  /** Makes unqualified table names resolve in the database attached as `alias`. */
  async setPrimaryDatabase(alias: string): Promise<void> {
    await this.core.execute(`SET schema_search_path = ${escapeStringLiteral(alias)}`);
    this.primaryAlias = alias;
  }

  /** Checks the session round trip with `SELECT 1`. */
  async ping(): Promise<void> {
    await this.core.query("SELECT 1").all();
  }

  /** Asks hyperd to cancel the statement running on this connection. */
  cancel(): Promise<void> {
    return this.core.cancel();
  }

  /**
   * Detaches the databases this connection attached (so their files are flushed and
   * released), then ends the session. Idempotent.
   */
  async close(): Promise<void> {
    // Detaching waits behind any running operation (an open COPY would never end), so only
    // detach when the session is idle; otherwise hyperd releases the files at logout.
    if (this.core.isOpen && !this.core.isBusy && this.core.transactionStatus === "idle") {
      for (const alias of [...this.attached.keys()]) {
        await this.core.execute(`DETACH DATABASE ${escapeIdentifier(alias)}`).catch(() => {});
      }
    }
    this.attached.clear();
    await this.core.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Read through a call so the compiler does not keep a narrowing from before `await`s. */
  private currentTransactionStatus(): TransactionStatus {
    return this.core.transactionStatus;
  }

  private resolve(
    statement: Statement,
    params: readonly ParameterValue[] | undefined,
  ): [string, readonly ParameterValue[]] {
    if (SqlQuery.isSqlQuery(statement)) {
      if (params !== undefined && params.length > 0) {
        throw new InvalidArgumentError(
          "a sql`…` statement carries its own parameters; pass no separate params",
        );
      }
      return [statement.text, statement.values];
    }
    return [statement, params ?? []];
  }

  private run(
    statement: Statement,
    params: readonly ParameterValue[] | undefined,
    options: QueryOptions,
  ): QueryResult {
    const [text, values] = this.resolve(statement, params);
    return this.core.query(text, {
      params: values,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  private explain(error: unknown): unknown {
    if (error instanceof HyperError && error.sqlstate === SqlState.inFailedTransaction) {
      return new UsageError(
        "the transaction was aborted by an earlier error; roll it back (throw from the transaction callback) before running more statements",
        { cause: error },
      );
    }
    return error;
  }
}

function textOf(statement: Statement): string {
  const text = typeof statement === "string" ? statement : statement.text;
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** `Sales 2024.hyper` → `sales_2024`: a stable alias that needs no quoting. */
export function defaultAlias(path: string): string {
  const stem = basename(path).replace(/\.hyper$/i, "");
  const cleaned = stem.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return /^[a-z_]/.test(cleaned) ? cleaned : `db_${cleaned}`;
}

/** Turns hyperd's errors about database files into the toolkit's typed errors. */
function databaseFileError(error: unknown, path: string): unknown {
  if (!(error instanceof HyperError)) return error;
  if (error.sqlstate === SqlState.undefinedFile) {
    return new NotFoundError(`database file ${path} cannot be opened: ${error.message}`, { cause: error });
  }
  if (error.sqlstate === SqlState.duplicateDatabase) {
    return new AlreadyExistsError(`database file ${path} exists already`, { cause: error });
  }
  if (error.sqlstate === "42809") {
    return new InvalidArgumentError(`${path} is not a Hyper database file (${error.message})`, {
      cause: error,
    });
  }
  return error;
}
