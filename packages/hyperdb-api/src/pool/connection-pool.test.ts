import { setTimeout as sleep } from "node:timers/promises";
import {
  ConnectionFailedError,
  ConnectionLostError,
  InvalidArgumentError,
  type TransactionStatus,
  UsageError,
} from "@hyperdb-ts/hyperdb-api-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Connection, type ConnectOptions } from "../connection/connection.ts";
import { ConnectionPool, type ConnectionPoolOptions } from "./connection-pool.ts";
import { PoolTimeoutError } from "./pool-timeout-error.ts";

/** The part of Connection the pool uses. */
class FakeConnection {
  static opened = 0;
  readonly id = ++FakeConnection.opened;
  isOpen = true;
  transactionStatus: TransactionStatus = "idle";
  pingFails = false;
  /** The peer went silent: ping() never settles. */
  pingHangs = false;
  rollbackFails = false;
  pings = 0;
  readonly executed: string[] = [];

  async ping(): Promise<void> {
    this.pings++;
    if (!this.isOpen || this.pingFails) throw new ConnectionLostError("gone");
    if (this.pingHangs) await new Promise<never>(() => {});
  }

  async execute(sql: string): Promise<number> {
    this.executed.push(sql);
    if (sql === "ROLLBACK") {
      if (this.rollbackFails) throw new ConnectionLostError("gone");
      this.transactionStatus = "idle";
    }
    return 0;
  }

  async close(): Promise<void> {
    this.isOpen = false;
  }
}

function fake(connection: Connection): FakeConnection {
  return connection as unknown as FakeConnection;
}

function poolOf(options: Partial<ConnectionPoolOptions> = {}): {
  pool: ConnectionPool;
  created: FakeConnection[];
} {
  const created: FakeConnection[] = [];
  const pool = new ConnectionPool({
    connect: async () => {
      const connection = new FakeConnection();
      created.push(connection);
      return connection as unknown as Connection;
    },
    ...options,
  });
  return { pool, created };
}

const pools: ConnectionPool[] = [];
function track(pool: ConnectionPool): ConnectionPool {
  pools.push(pool);
  return pool;
}

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

describe("lending", () => {
  it("opens connections up to maxSize and reuses released ones", async () => {
    const { pool, created } = poolOf({ maxSize: 2 });
    track(pool);
    const a = await pool.acquire();
    const b = await pool.acquire();
    expect([pool.size, pool.idle, pool.inUse, pool.waiting]).toEqual([2, 0, 2, 0]);
    await a.release();
    expect([pool.size, pool.idle, pool.inUse]).toEqual([2, 1, 1]);
    const c = await pool.acquire();
    expect(c.connection).toBe(created[0]);
    expect(created).toHaveLength(2);
    expect(fake(c.connection).pings).toBe(1);
    await b.release();
    await c.release();
  });

  it("serves waiters first come, first served", async () => {
    const { pool } = poolOf({ maxSize: 1 });
    track(pool);
    const first = await pool.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) =>
      pool.acquire().then(async (lease) => {
        order.push(n);
        await sleep(1);
        await lease.release();
      }),
    );
    expect(pool.waiting).toBe(3);
    await first.release();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });

  it("times out with PoolTimeoutError and forgets the waiter", async () => {
    const { pool } = poolOf({ maxSize: 1, acquireTimeoutMs: 30 });
    track(pool);
    const held = await pool.acquire();
    const started = performance.now();
    const error = await pool.acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolTimeoutError);
    expect((error as PoolTimeoutError).code).toBe("POOL_TIMEOUT");
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(pool.waiting).toBe(0);
    await held.release();
    expect(pool.idle).toBe(1);
  });

  it("waits indefinitely with acquireTimeoutMs 0", async () => {
    const { pool } = poolOf({ maxSize: 1, acquireTimeoutMs: 0 });
    track(pool);
    const held = await pool.acquire();
    const next = pool.acquire();
    await sleep(50);
    expect(pool.waiting).toBe(1);
    await held.release();
    await (await next).release();
  });

  it("hands a failure to open a connection to its caller and frees the place", async () => {
    let attempts = 0;
    const pool = track(
      new ConnectionPool({
        maxSize: 1,
        connect: async () => {
          attempts++;
          if (attempts === 1) throw new ConnectionFailedError("refused");
          return new FakeConnection() as unknown as Connection;
        },
      }),
    );
    const failing = pool.acquire();
    const next = pool.acquire();
    await expect(failing).rejects.toBeInstanceOf(ConnectionFailedError);
    const lease = await next;
    expect(pool.size).toBe(1);
    expect(attempts).toBe(2);
    await lease.release();
  });

  it("discards closed connections and ones failing the ping, and opens new ones", async () => {
    const { pool, created } = poolOf({ maxSize: 2 });
    track(pool);
    const a = await pool.acquire();
    const b = await pool.acquire();
    await a.release();
    await b.release();
    (created[0] as FakeConnection).isOpen = false;
    (created[1] as FakeConnection).pingFails = true;
    const c = await pool.acquire();
    expect(created).toHaveLength(3);
    expect(c.connection).toBe(created[2]);
    expect(created[1]?.isOpen).toBe(false);
    expect([pool.size, pool.idle, pool.inUse]).toEqual([1, 0, 1]);
    await c.release();
  });

  it("discards a connection whose ping does not answer within healthCheckTimeoutMs", async () => {
    const { pool, created } = poolOf({ maxSize: 2, healthCheckTimeoutMs: 30 });
    track(pool);
    await (await pool.acquire()).release();
    (created[0] as FakeConnection).pingHangs = true;
    const started = performance.now();
    const lease = await pool.acquire();
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(lease.connection).toBe(created[1]);
    expect(created[0]?.isOpen).toBe(false);
    expect([pool.size, pool.idle, pool.inUse]).toEqual([1, 0, 1]);
    await lease.release();
  });

  it("leaves no timer of a health check behind", async () => {
    vi.useFakeTimers();
    try {
      // No acquire or idle timers: only the health check's deadline can be pending.
      const { pool, created } = poolOf({ acquireTimeoutMs: 0, idleTimeoutMs: 0, healthCheckTimeoutMs: 5000 });
      track(pool);
      await (await pool.acquire()).release();
      const checked = await pool.acquire();
      expect(created[0]?.pings).toBe(1);
      expect(vi.getTimerCount()).toBe(0);
      await checked.release();
      (created[0] as FakeConnection).pingHangs = true;
      const next = pool.acquire();
      await vi.advanceTimersByTimeAsync(0);
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(5000);
      const lease = await next;
      expect(lease.connection).toBe(created[1]);
      expect(vi.getTimerCount()).toBe(0);
      await lease.release();
    } finally {
      vi.useRealTimers();
    }
  });

  it("skips the ping with healthCheck false, but still drops closed connections", async () => {
    const { pool, created } = poolOf({ healthCheck: false });
    track(pool);
    await (await pool.acquire()).release();
    const again = await pool.acquire();
    expect(created[0]?.pings).toBe(0);
    await again.release();
    (created[0] as FakeConnection).isOpen = false;
    const fresh = await pool.acquire();
    expect(fresh.connection).toBe(created[1]);
    await fresh.release();
  });

  it("skips the ping of a connection idle for less than healthCheckIdleMs, not of an older one", async () => {
    const { pool, created } = poolOf({ healthCheckIdleMs: 40 });
    track(pool);
    await (await pool.acquire()).release();
    const soon = await pool.acquire();
    expect(created[0]?.pings).toBe(0);
    await soon.release();
    await sleep(60);
    const later = await pool.acquire();
    expect(created[0]?.pings).toBe(1);
    await later.release();
    (created[0] as FakeConnection).isOpen = false;
    const fresh = await pool.acquire();
    expect(fresh.connection).toBe(created[1]);
    await fresh.release();
    expect(
      () => new ConnectionPool({ connect: async () => fresh.connection, healthCheckIdleMs: -1 }),
    ).toThrow(InvalidArgumentError);
  });

  it("closes connections idle longer than idleTimeoutMs", async () => {
    const { pool, created } = poolOf({ idleTimeoutMs: 20 });
    track(pool);
    await (await pool.acquire()).release();
    expect(pool.idle).toBe(1);
    await sleep(60);
    expect([pool.size, pool.idle]).toEqual([0, 0]);
    expect(created[0]?.isOpen).toBe(false);
  });
});

describe("releasing", () => {
  it("rolls back a transaction left open, and drops the connection when that fails", async () => {
    const { pool, created } = poolOf();
    track(pool);
    const a = await pool.acquire();
    const b = await pool.acquire();
    fake(a.connection).transactionStatus = "transaction";
    fake(b.connection).transactionStatus = "failed";
    fake(b.connection).rollbackFails = true;
    await a.release();
    await b.release();
    expect(created[0]?.executed).toEqual(["ROLLBACK"]);
    expect(created[0]?.isOpen).toBe(true);
    expect(created[1]?.isOpen).toBe(false);
    expect([pool.size, pool.idle]).toEqual([1, 1]);
  });

  it("accepts the connection or the lease, once", async () => {
    const { pool } = poolOf();
    track(pool);
    const lease = await pool.acquire();
    const connection = lease.connection;
    await pool.release(connection);
    expect(lease.released).toBe(true);
    expect(() => lease.connection).toThrow(UsageError);
    await lease.release();
    await expect(pool.release(connection)).rejects.toBeInstanceOf(UsageError);
    await expect(pool.release(new FakeConnection() as unknown as Connection)).rejects.toBeInstanceOf(
      UsageError,
    );
    {
      await using scoped = await pool.acquire();
      expect(scoped.connection).toBe(connection);
      expect(pool.inUse).toBe(1);
    }
    expect(pool.inUse).toBe(0);
  });

  it("use() releases the connection when the callback throws", async () => {
    const { pool } = poolOf({ maxSize: 1 });
    track(pool);
    await expect(
      pool.use(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect([pool.inUse, pool.idle]).toEqual([0, 1]);
    expect(await pool.use(async (connection) => fake(connection).id)).toBeGreaterThan(0);
  });
});

describe("closing", () => {
  it("fails waiting and later acquires, waits for connections in use, then closes all", async () => {
    const { pool, created } = poolOf({ maxSize: 2 });
    const held = await pool.acquire();
    await (await pool.acquire()).release();
    const waiter = await pool.acquire();
    const queued = pool.acquire();
    const closing = pool.close();
    await expect(queued).rejects.toBeInstanceOf(UsageError);
    await expect(pool.acquire()).rejects.toBeInstanceOf(UsageError);
    expect(pool.isClosed).toBe(true);
    let closed = false;
    void closing.then(() => {
      closed = true;
    });
    await sleep(20);
    expect(closed).toBe(false);
    expect(created.map((c) => c.isOpen)).toEqual([true, true]);
    await held.release();
    await waiter.release();
    await closing;
    expect(created.map((c) => c.isOpen)).toEqual([false, false]);
    expect(pool.size).toBe(0);
    await pool.drain();
  });

  it("closes connections still in use after closeTimeoutMs", async () => {
    const { pool, created } = poolOf({ closeTimeoutMs: 20 });
    const held = await pool.acquire();
    await pool.close();
    expect(created[0]?.isOpen).toBe(false);
    expect(held.released).toBe(true);
    await held.release();
    await pool.release(created[0] as unknown as Connection);
  });
});

describe("options", () => {
  it("rejects sizes and timeouts out of range", () => {
    const connect = async () => new FakeConnection() as unknown as Connection;
    expect(() => new ConnectionPool({ connect, maxSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => new ConnectionPool({ connect, maxSize: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => new ConnectionPool({ connect, acquireTimeoutMs: -1 })).toThrow(InvalidArgumentError);
    expect(() => new ConnectionPool({ connect, idleTimeoutMs: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => new ConnectionPool({ connect, healthCheckTimeoutMs: -1 })).toThrow(InvalidArgumentError);
  });

  it("creates the database with the first connection only, one at a time", async () => {
    const modes: (string | undefined)[] = [];
    let running = 0;
    let overlapped = false;
    vi.spyOn(Connection, "connect").mockImplementation(async (options: ConnectOptions) => {
      modes.push(options.createMode);
      if (options.createMode !== "DoNotCreate") {
        running++;
        await sleep(10);
        overlapped ||= running > 1;
        running--;
      }
      return new FakeConnection() as unknown as Connection;
    });
    const pool = track(
      new ConnectionPool({
        connect: { endpoint: "localhost:1", database: "x.hyper", createMode: "CreateAndReplace" },
        maxSize: 3,
      }),
    );
    const leases = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    expect(modes).toEqual(["CreateAndReplace", "DoNotCreate", "DoNotCreate"]);
    expect(overlapped).toBe(false);
    await Promise.all(leases.map((lease) => lease.release()));
  });
});
