import { InvalidArgumentError, UsageError } from "@hyperdb-ts/hyperdb-api-core";
import { Connection, type ConnectOptions } from "../connection/connection.ts";
import { PoolTimeoutError } from "./pool-timeout-error.ts";

/** Options of `new ConnectionPool(…)`. */
export interface ConnectionPoolOptions {
  /**
   * How to open a connection: a function, or the options of `Connection.connect`. With
   * options, a `createMode` other than `DoNotCreate` is applied by the first connection only
   * (one at a time); later connections open the database as it is.
   */
  readonly connect: (() => Promise<Connection>) | ConnectOptions;
  /** Most connections open at once: idle, in use and being opened. @default 10 */
  readonly maxSize?: number;
  /** How long `acquire` waits for a connection, in ms; 0 waits indefinitely. @default 30000 */
  readonly acquireTimeoutMs?: number;
  /** How long a connection may stay idle before it is closed, in ms; 0 keeps it. @default 30000 */
  readonly idleTimeoutMs?: number;
  /**
   * Check an idle connection with `ping()` before handing it out (one round trip); a
   * connection that fails is closed and replaced. Closed connections are never handed out,
   * whatever this says. @default true
   */
  readonly healthCheck?: boolean;
  /**
   * How long the health check's `ping()` may take, in ms. A connection that does not answer in
   * time (its peer went silent, e.g. a network fault) is closed without waiting for a graceful
   * goodbye, counts as broken and is replaced, so `acquire` never hangs on it. 0 waits
   * indefinitely. @default 5000
   */
  readonly healthCheckTimeoutMs?: number;
  /**
   * Skip the health check of a connection that went back to the pool less than this many ms
   * ago: the work it was just used for showed it answering, and the check's round trip would
   * cost as much as a short statement. A connection that was closed meanwhile is still never
   * lent. 0 checks every time. @default 0
   */
  readonly healthCheckIdleMs?: number;
  /**
   * How long `close()` waits for connections in use to be released before closing them
   * anyway, in ms. @default 30000
   */
  readonly closeTimeoutMs?: number;
}

const DEFAULT_MAX_SIZE = 10;
const DEFAULT_ACQUIRE_TIMEOUT_MS = 30_000;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;
const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 5000;

/**
 * A connection lent by a `ConnectionPool`. Release it when done — `release()`, or
 * `await using` — and do not use its connection afterwards.
 */
export class PooledConnection implements AsyncDisposable {
  private readonly pool: ConnectionPool;
  private readonly lent: Connection;
  private isReleased = false;

  /** @internal use `ConnectionPool.acquire`. */
  constructor(pool: ConnectionPool, connection: Connection) {
    this.pool = pool;
    this.lent = connection;
  }

  /**
   * The connection.
   * @throws UsageError once the connection was released.
   */
  get connection(): Connection {
    if (this.isReleased) {
      throw new UsageError("this pooled connection was released; acquire another one from the pool");
    }
    return this.lent;
  }

  /** Whether the connection went back to the pool. */
  get released(): boolean {
    return this.isReleased;
  }

  /** Gives the connection back to the pool (same as `pool.release(this)`). Idempotent. */
  release(): Promise<void> {
    return this.pool.release(this);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.release();
  }

  /** @internal Marks the lease released and returns its connection. */
  takeBack(): Connection {
    this.isReleased = true;
    return this.lent;
  }
}

interface Waiter {
  readonly resolve: (lease: PooledConnection) => void;
  readonly reject: (error: unknown) => void;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
}

interface IdleConnection {
  readonly connection: Connection;
  timer: NodeJS.Timeout | undefined;
  /** When it became idle (`performance.now()`). */
  readonly since: number;
}

/**
 * Keeps up to `maxSize` connections to hyperd and lends them out one caller at a time, for
 * work that runs concurrently (a connection runs one statement at a time).
 *
 * ```ts
 * await using pool = new ConnectionPool({ connect: { endpoint, database: "sales.hyper" }, maxSize: 4 });
 * const total = await pool.use((connection) => connection.fetchScalar("SELECT SUM(amount) FROM orders"));
 * ```
 *
 * Callers waiting for a connection are served first come, first served. An idle connection is
 * checked before it is handed out; one returned inside a transaction is rolled back. Session
 * settings a caller changes (attached databases, `SET …`) stay with the connection. Read or
 * cancel every result before releasing a connection.
 */
export class ConnectionPool implements AsyncDisposable {
  private readonly factory: () => Promise<Connection>;
  private readonly max: number;
  private readonly acquireTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly healthCheck: boolean;
  private readonly healthCheckTimeoutMs: number;
  private readonly healthCheckIdleMs: number;
  private readonly closeTimeoutMs: number;
  private readonly idleConnections: IdleConnection[] = [];
  private readonly leases = new Map<Connection, PooledConnection>();
  private readonly waiters: Waiter[] = [];
  private readonly closings = new Set<Promise<void>>();
  private opening = 0;
  /** Connections being checked before lending or reset after release. */
  private settling = 0;
  private closed: Promise<void> | null = null;
  private onQuiet: (() => void) | null = null;

  /** @throws InvalidArgumentError for a size or timeout out of range. */
  constructor(options: ConnectionPoolOptions) {
    const connect = options.connect;
    this.factory = typeof connect === "function" ? connect : connectOnceCreated(connect);
    this.max = options.maxSize ?? DEFAULT_MAX_SIZE;
    if (!Number.isInteger(this.max) || this.max < 1) {
      throw new InvalidArgumentError(`maxSize must be a whole number ≥ 1, got ${this.max}`);
    }
    this.acquireTimeoutMs = milliseconds(
      "acquireTimeoutMs",
      options.acquireTimeoutMs,
      DEFAULT_ACQUIRE_TIMEOUT_MS,
    );
    this.idleTimeoutMs = milliseconds("idleTimeoutMs", options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS);
    this.closeTimeoutMs = milliseconds("closeTimeoutMs", options.closeTimeoutMs, DEFAULT_CLOSE_TIMEOUT_MS);
    this.healthCheck = options.healthCheck ?? true;
    this.healthCheckTimeoutMs = milliseconds(
      "healthCheckTimeoutMs",
      options.healthCheckTimeoutMs,
      DEFAULT_HEALTH_CHECK_TIMEOUT_MS,
    );
    this.healthCheckIdleMs = milliseconds("healthCheckIdleMs", options.healthCheckIdleMs, 0);
  }

  /** Most connections the pool opens. */
  get maxSize(): number {
    return this.max;
  }

  /** Connections open or being opened (idle, in use, being checked or reset). */
  get size(): number {
    return this.opening + this.settling + this.idleConnections.length + this.leases.size;
  }

  /** Connections waiting in the pool. */
  get idle(): number {
    return this.idleConnections.length;
  }

  /** Connections lent out. */
  get inUse(): number {
    return this.leases.size;
  }

  /** Callers waiting in `acquire`. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** True once `close()` was called. */
  get isClosed(): boolean {
    return this.closed !== null;
  }

  /**
   * Lends a connection: an idle one that passed its check, or a new one while fewer than
   * `maxSize` are open; otherwise waits for one to be released.
   * @throws PoolTimeoutError after `acquireTimeoutMs`; UsageError when the pool is (or gets)
   *   closed; the error of opening a connection, when the one opened for this call failed.
   */
  acquire(): Promise<PooledConnection> {
    if (this.closed !== null) return Promise.reject(new UsageError("the connection pool is closed"));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, timer: undefined, settled: false };
      if (this.acquireTimeoutMs > 0) {
        waiter.timer = setTimeout(() => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          this.settle(waiter)?.reject(
            new PoolTimeoutError(
              `no connection became free within ${this.acquireTimeoutMs} ms ` +
                `(${this.leases.size} of at most ${this.max} in use, ${this.waiters.length} other callers waiting)`,
            ),
          );
        }, this.acquireTimeoutMs);
      }
      this.waiters.push(waiter);
      this.dispatch();
    });
  }

  /**
   * Gives a connection back. One left inside a transaction is rolled back first; one that is
   * closed, or whose rollback fails, is closed and its place freed. Never rejects for a
   * connection of this pool; releasing a `PooledConnection` twice does nothing.
   * @throws UsageError for a connection this pool has not lent out.
   */
  async release(connection: PooledConnection | Connection): Promise<void> {
    let lease: PooledConnection | undefined;
    if (connection instanceof PooledConnection) {
      if (connection.released) return;
      lease = connection;
    } else {
      lease = this.leases.get(connection);
      if (lease === undefined) {
        if (this.closed !== null) return;
        throw new UsageError("this connection was not lent out by this pool, or was released already");
      }
    }
    const lent = lease.takeBack();
    if (this.leases.get(lent) !== lease) return;
    this.leases.delete(lent);
    this.settling++;
    const usable = await resetForReuse(lent);
    this.settling--;
    if (usable && this.closed === null) this.putIdle(lent);
    else this.discard(lent);
    this.dispatch();
  }

  /**
   * Runs `work` with a connection and releases it afterwards, also when `work` throws.
   * @returns what `work` returns.
   */
  async use<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    const lease = await this.acquire();
    try {
      return await work(lease.connection);
    } finally {
      await this.release(lease);
    }
  }

  /**
   * Closes the pool: `acquire` fails from now on (waiting callers get a UsageError), idle
   * connections are closed, connections in use are closed as they are released — or after
   * `closeTimeoutMs`, when they are closed under their users. Resolves once all are closed.
   * Idempotent.
   */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  /** Same as `close()`: waits for connections in use, then closes everything. */
  drain(): Promise<void> {
    return this.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Hands free connections and free places to waiters, oldest waiter first. */
  private dispatch(): void {
    if (this.closed !== null) {
      this.checkQuiet();
      return;
    }
    for (;;) {
      const waiter = this.waiters[0];
      if (waiter === undefined) return;
      const idle = this.idleConnections.pop();
      if (idle !== undefined) {
        this.waiters.shift();
        clearTimeout(idle.timer);
        this.settling++;
        void this.lendIdle(idle.connection, waiter, performance.now() - idle.since);
      } else if (this.size < this.max) {
        this.waiters.shift();
        this.opening++;
        void this.open(waiter);
      } else {
        return;
      }
    }
  }

  private async lendIdle(connection: Connection, waiter: Waiter, idleMs: number): Promise<void> {
    const healthy = await this.check(connection, idleMs);
    this.settling--;
    if (healthy) {
      this.lend(connection, waiter);
      return;
    }
    this.discard(connection);
    // The waiter keeps its place at the head of the queue.
    if (!waiter.settled) this.waiters.unshift(waiter);
    this.dispatch();
  }

  /**
   * Whether an idle connection may be lent: open and, with `healthCheck`, answering `ping()`
   * within `healthCheckTimeoutMs` (unless idle for less than `healthCheckIdleMs`). The caller
   * discards a connection that fails; closing one that did not answer does not wait for its
   * peer (the core closes the socket after a grace).
   */
  private async check(connection: Connection, idleMs: number): Promise<boolean> {
    if (!connection.isOpen) return false;
    if (!this.healthCheck || idleMs < this.healthCheckIdleMs) return true;
    let timer: NodeJS.Timeout | undefined;
    try {
      const pinged = connection.ping().then(
        () => true,
        () => false,
      );
      const answered =
        this.healthCheckTimeoutMs > 0
          ? await Promise.race([
              pinged,
              new Promise<boolean>((resolve) => {
                timer = setTimeout(() => resolve(false), this.healthCheckTimeoutMs);
                // A pending check must not keep the process alive by itself.
                timer.unref();
              }),
            ])
          : await pinged;
      return answered && connection.isOpen;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private async open(waiter: Waiter): Promise<void> {
    let connection: Connection;
    try {
      connection = await this.factory();
    } catch (error) {
      this.opening--;
      this.settle(waiter)?.reject(error);
      this.dispatch();
      return;
    }
    this.opening--;
    this.lend(connection, waiter);
  }

  /** Gives `connection` to `waiter`, or back to the pool when the waiter gave up meanwhile. */
  private lend(connection: Connection, waiter: Waiter): void {
    const settled = this.closed === null ? this.settle(waiter) : undefined;
    if (settled === undefined) {
      if (this.closed === null) this.putIdle(connection);
      else this.discard(connection);
      this.dispatch();
      return;
    }
    const lease = new PooledConnection(this, connection);
    this.leases.set(connection, lease);
    settled.resolve(lease);
  }

  /** Marks `waiter` as served; undefined when it was already (timed out or rejected). */
  private settle(waiter: Waiter): Waiter | undefined {
    if (waiter.settled) return undefined;
    waiter.settled = true;
    clearTimeout(waiter.timer);
    return waiter;
  }

  private putIdle(connection: Connection): void {
    const idle: IdleConnection = { connection, timer: undefined, since: performance.now() };
    if (this.idleTimeoutMs > 0) {
      idle.timer = setTimeout(() => {
        const index = this.idleConnections.indexOf(idle);
        if (index < 0) return;
        this.idleConnections.splice(index, 1);
        this.discard(connection);
      }, this.idleTimeoutMs);
      // An idle pool must not keep the process alive.
      idle.timer.unref();
    }
    this.idleConnections.push(idle);
  }

  private discard(connection: Connection): void {
    const closing = connection.close().catch(() => {});
    this.closings.add(closing);
    void closing.finally(() => this.closings.delete(closing));
  }

  private async shutdown(): Promise<void> {
    for (const waiter of this.waiters.splice(0)) {
      this.settle(waiter)?.reject(
        new UsageError("the connection pool was closed while waiting for a connection"),
      );
    }
    for (const idle of this.idleConnections.splice(0)) {
      clearTimeout(idle.timer);
      this.discard(idle.connection);
    }
    const quiet = new Promise<void>((resolve) => {
      this.onQuiet = resolve;
    });
    this.checkQuiet();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.closeTimeoutMs);
    });
    await Promise.race([quiet, deadline]);
    clearTimeout(timer);
    for (const [connection, lease] of this.leases) {
      lease.takeBack();
      this.discard(connection);
    }
    this.leases.clear();
    await Promise.all(this.closings);
  }

  private checkQuiet(): void {
    if (this.onQuiet !== null && this.leases.size === 0 && this.opening === 0 && this.settling === 0) {
      this.onQuiet();
      this.onQuiet = null;
    }
  }
}

/**
 * Rolls back a transaction left open on a returned connection.
 * @returns whether the connection can be lent again.
 */
async function resetForReuse(connection: Connection): Promise<boolean> {
  if (!connection.isOpen) return false;
  if (connection.transactionStatus === "idle") return true;
  try {
    await connection.execute("ROLLBACK");
  } catch {
    return false;
  }
  return connection.isOpen && inIdleState(connection);
}

/** Read through a call so the compiler does not keep the narrowing from before the `await`. */
function inIdleState(connection: Connection): boolean {
  return connection.transactionStatus === "idle";
}

/**
 * Opens connections with `options`, applying its create mode only until one connection has
 * opened the database, and only one at a time (concurrent creates of one file would collide,
 * and `CreateAndReplace` must not wipe the database for every new connection).
 */
function connectOnceCreated(options: ConnectOptions): () => Promise<Connection> {
  const mode = options.createMode ?? "DoNotCreate";
  if (options.database === undefined || mode === "DoNotCreate") return () => Connection.connect(options);
  let created = false;
  let first: Promise<Connection> | null = null;
  const connect = async (): Promise<Connection> => {
    if (created) return Connection.connect({ ...options, createMode: "DoNotCreate" });
    if (first !== null) {
      await first.catch(() => {});
      return connect();
    }
    first = Connection.connect(options);
    try {
      const connection = await first;
      created = true;
      return connection;
    } finally {
      first = null;
    }
  };
  return connect;
}

function milliseconds(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`${name} must be a number of milliseconds ≥ 0, got ${value}`);
  }
  return value;
}
