import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Connection, HyperError, UsageError } from "../../../src/index.ts";
import { ConnectionPool } from "../../../src/pool/connection-pool.ts";
import { PoolTimeoutError } from "../../../src/pool/pool-timeout-error.ts";

let directory: string;
let endpoint: string;
let database: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "hyperdb-api-pool-"));
  const hyperd = inject("hyperd");
  endpoint = `${hyperd.host}:${hyperd.port}`;
  database = join(directory, "pool.hyper");
  await using setup = await Connection.connect({ endpoint, database, createMode: "CreateIfNotExists" });
  await setup.execute("CREATE TABLE events (id INT, note TEXT)");
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function newPool(options: { maxSize?: number; acquireTimeoutMs?: number; closeTimeoutMs?: number } = {}) {
  const opened: Connection[] = [];
  const pool = new ConnectionPool({
    connect: async () => {
      const connection = await Connection.connect({ endpoint, database });
      opened.push(connection);
      return connection;
    },
    ...options,
  });
  return { pool, opened };
}

describe("a pool on a real hyperd", () => {
  it("never runs more than maxSize connections at once", async () => {
    await using pool = newPool({ maxSize: 2 }).pool;
    const seen = new Set<Connection>();
    const backends = new Set<number>();
    let active = 0;
    let peak = 0;
    let peakSize = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        pool.use(async (connection) => {
          active++;
          peak = Math.max(peak, active);
          peakSize = Math.max(peakSize, pool.size);
          seen.add(connection);
          backends.add(connection.core.backendKey?.processId ?? -1);
          const value = await connection.fetchScalar<number>("SELECT $1::INT * 2", [i]);
          await sleep(10);
          active--;
          return value;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 10 }, (_, i) => i * 2));
    expect(peak).toBe(2);
    expect(peakSize).toBeLessThanOrEqual(2);
    expect(seen.size).toBe(2);
    expect(backends.size).toBe(2);
    expect([pool.size, pool.idle, pool.inUse, pool.waiting]).toEqual([2, 2, 0, 0]);
  });

  it("does not hand out a connection killed behind its back", async () => {
    const { pool, opened } = newPool({ maxSize: 2 });
    await using _ = pool;
    const first = await pool.acquire();
    const killed = first.connection;
    await first.release();
    killed.core.rawSocket?.destroy();
    const second = await pool.acquire();
    expect(second.connection).not.toBe(killed);
    expect(await second.connection.fetchScalar("SELECT 1")).toBe(1);
    expect(opened).toHaveLength(2);

    // Killed while in use: released, it is closed and its place freed.
    second.connection.core.rawSocket?.destroy();
    await sleep(10);
    await second.release();
    expect([pool.size, pool.idle]).toEqual([0, 0]);
    expect(await pool.use((connection) => connection.fetchScalar("SELECT 2"))).toBe(2);
    expect(opened).toHaveLength(3);
  });

  it("times out when every connection stays in use", async () => {
    await using pool = newPool({ maxSize: 1, acquireTimeoutMs: 100 }).pool;
    const held = await pool.acquire();
    await expect(pool.acquire()).rejects.toBeInstanceOf(PoolTimeoutError);
    await held.release();
    await (await pool.acquire()).release();
  });

  it("on close, waits for connections in use, then closes all of them", async () => {
    const { pool, opened } = newPool({ maxSize: 2 });
    const busy = pool.use(async (connection) => {
      await sleep(100);
      return connection.fetchScalar("SELECT 42");
    });
    await (await pool.acquire()).release();
    await sleep(10);
    const started = performance.now();
    await pool.close();
    expect(performance.now() - started).toBeGreaterThan(50);
    expect(await busy).toBe(42);
    expect(opened.map((connection) => connection.isOpen)).toEqual([false, false]);
    await expect(pool.acquire()).rejects.toBeInstanceOf(UsageError);
  });

  it("rolls back a transaction left open by the releasing caller", async () => {
    await using pool = newPool({ maxSize: 1 }).pool;
    const lease = await pool.acquire();
    await lease.connection.execute("BEGIN TRANSACTION");
    await lease.connection.execute("INSERT INTO events VALUES (1, 'uncommitted')");
    expect(lease.connection.transactionStatus).toBe("transaction");
    await lease.release();
    await pool.use(async (connection) => {
      expect(connection.transactionStatus).toBe("idle");
      expect(await connection.fetchScalar("SELECT COUNT(*) FROM events WHERE id = 1")).toBe(0n);
    });

    // A transaction aborted by an error is rolled back as well.
    await expect(
      pool.use(async (connection) => {
        await connection.execute("BEGIN TRANSACTION");
        await connection.execute("INSERT INTO events VALUES (2, 'doomed')");
        await connection.execute("SELECT * FROM no_such_table");
      }),
    ).rejects.toBeInstanceOf(HyperError);
    await pool.use(async (connection) => {
      expect(connection.transactionStatus).toBe("idle");
      expect(await connection.fetchScalar("SELECT COUNT(*) FROM events")).toBe(0n);
    });
  });

  it("releases the connection when the callback of use() throws", async () => {
    const { pool, opened } = newPool({ maxSize: 1 });
    await using _ = pool;
    await expect(
      pool.use(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(pool.use((connection) => connection.execute("SELECT * FROM no_such_table"))).rejects.toThrow(
      HyperError,
    );
    expect([pool.inUse, pool.idle]).toEqual([0, 1]);
    expect(await pool.use((connection) => connection.fetchScalar("SELECT 3"))).toBe(3);
    expect(opened).toHaveLength(1);
  });

  it("opens connections from ConnectOptions, creating the database once", async () => {
    const path = join(directory, "created-by-pool.hyper");
    await using pool = new ConnectionPool({
      connect: { endpoint, database: path, createMode: "CreateAndReplace" },
      maxSize: 3,
    });
    await pool.use((connection) => connection.execute("CREATE TABLE t (x INT)"));
    const held = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    for (const [i, lease] of held.entries()) {
      await lease.connection.execute("INSERT INTO t VALUES ($1)", [i]);
    }
    await Promise.all(held.map((lease) => lease.release()));
    expect(pool.size).toBe(3);
    expect(await pool.use((connection) => connection.fetchScalar("SELECT COUNT(*) FROM t"))).toBe(3n);
  });
});
