import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  AlreadyExistsError,
  Connection,
  type HyperDate,
  HyperError,
  InvalidArgumentError,
  NoRowsError,
  NotFoundError,
  SqlState,
  sql,
  UsageError,
} from "../../../src/index.ts";

let directory: string;
let endpoint: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "hyperdb-api-connection-"));
  const hyperd = inject("hyperd");
  endpoint = `${hyperd.host}:${hyperd.port}`;
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("opening databases", () => {
  it("applies every create mode", async () => {
    const path = join(directory, "modes.hyper");
    await expect(Connection.connect({ endpoint, database: path })).rejects.toBeInstanceOf(NotFoundError);

    await using created = await Connection.connect({ endpoint, database: path, createMode: "Create" });
    expect(created.database).toBe("modes");
    await created.execute("CREATE TABLE t (x INT)");
    await created.execute("INSERT INTO t VALUES (1), (2)");
    await created.close();

    await expect(
      Connection.connect({ endpoint, database: path, createMode: "Create" }),
    ).rejects.toBeInstanceOf(AlreadyExistsError);

    await using kept = await Connection.connect({
      endpoint,
      database: path,
      createMode: "CreateIfNotExists",
    });
    expect(await kept.fetchScalar("SELECT count(*) FROM t")).toBe(2n);
    await kept.close();

    await using replaced = await Connection.connect({
      endpoint,
      database: path,
      createMode: "CreateAndReplace",
    });
    expect(await replaced.fetchAll("SELECT * FROM pg_catalog.pg_tables WHERE tablename = 't'")).toEqual([]);
  });

  it("refuses a file that is not a Hyper database, and a folder that does not exist", async () => {
    const fake = join(directory, "fake.hyper");
    await writeFile(fake, "just text");
    await expect(Connection.connect({ endpoint, database: fake })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(
      Connection.connect({
        endpoint,
        database: join(directory, "no", "such", "dir.hyper"),
        createMode: "Create",
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("derives a plain alias from the file name, or takes the one given", async () => {
    await using derived = await Connection.connect({
      endpoint,
      database: join(directory, "Sales 2024-Q1.hyper"),
      createMode: "CreateIfNotExists",
    });
    expect(derived.database).toBe("sales_2024_q1");
    await using named = await Connection.connect({
      endpoint,
      database: join(directory, "named.hyper"),
      createMode: "CreateIfNotExists",
      alias: "Mixed Case",
    });
    expect(named.database).toBe("Mixed Case");
    await named.execute("CREATE TABLE IF NOT EXISTS n (x INT)");
    expect(await named.fetchScalar('SELECT count(*) FROM "Mixed Case"."public"."n"')).toBe(0n);
  });

  it("keeps unqualified names in the primary database when more are attached", async () => {
    await using connection = await Connection.connect({
      endpoint,
      database: join(directory, "primary.hyper"),
      createMode: "CreateAndReplace",
    });
    await connection.execute("CREATE TABLE where_am_i (db TEXT)");
    await connection.execute("INSERT INTO where_am_i VALUES ('primary')");
    const second = await connection.attachDatabase(join(directory, "second.hyper"), {
      createMode: "CreateAndReplace",
    });
    expect(second).toBe("second");
    await connection.execute('CREATE TABLE "second"."public"."where_am_i" (db TEXT)');
    await connection.execute(`INSERT INTO "second"."public"."where_am_i" VALUES ('second')`);
    expect(await connection.fetchScalar("SELECT db FROM where_am_i")).toBe("primary");
    expect(await connection.fetchScalar('SELECT db FROM "second"."public"."where_am_i"')).toBe("second");
    expect([...connection.attachedDatabases.keys()]).toEqual(["primary", "second"]);
    await expect(
      connection.attachDatabase(join(directory, "other.hyper"), { alias: "second" }),
    ).rejects.toBeInstanceOf(UsageError);
    await connection.detachDatabase("second");
    await expect(connection.fetchAll('SELECT * FROM "second"."public"."where_am_i"')).rejects.toBeInstanceOf(
      HyperError,
    );
    expect(await connection.fetchScalar("SELECT db FROM where_am_i")).toBe("primary");
  });

  it("attaches read-only when asked: reads work, writes are refused by hyperd", async () => {
    const path = join(directory, "read-only.hyper");
    const writer = await Connection.connect({ endpoint, database: path, createMode: "CreateAndReplace" });
    await writer.execute("CREATE TABLE kept (x INT)");
    await writer.execute("INSERT INTO kept VALUES (7)");
    await writer.close();
    await using connection = await Connection.connect({ endpoint });
    await connection.attachDatabase(path, { alias: "ro", readOnly: true });
    expect(await connection.fetchScalar('SELECT x FROM "ro"."public"."kept"')).toBe(7);
    await expect(connection.execute('INSERT INTO "ro"."public"."kept" VALUES (8)')).rejects.toThrow(
      /read-only/,
    );
    await connection.detachDatabase("ro");
    await connection.attachDatabase(path, { alias: "rw" });
    expect(await connection.execute('INSERT INTO "rw"."public"."kept" VALUES (8)')).toBe(1);
  });

  it("flushes and releases its files on close, so another session sees the data", async () => {
    const path = join(directory, "durable.hyper");
    const writer = await Connection.connect({ endpoint, database: path, createMode: "CreateAndReplace" });
    await writer.execute("CREATE TABLE kept (x INT)");
    await writer.execute("INSERT INTO kept VALUES (42)");
    await writer.close();
    expect(writer.isOpen).toBe(false);
    await using reader = await Connection.connect({ endpoint, database: path });
    expect(await reader.fetchScalar("SELECT x FROM kept")).toBe(42);
  });
});

describe("queries", () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await Connection.connect({
      endpoint,
      database: join(directory, "queries.hyper"),
      createMode: "CreateAndReplace",
    });
    await connection.execute(
      "CREATE TABLE orders (id INT NOT NULL, customer TEXT, total NUMERIC(10,2), placed DATE, big BIGINT)",
    );
    const inserted = await connection.execute(
      `INSERT INTO orders VALUES (1, 'ada', 10.50, DATE '2024-01-02', 1), (2, 'bob', 99.99, DATE '2024-02-03', 9007199254740993),
       (3, 'ada', 5.00, NULL, NULL)`,
    );
    expect(inserted).toBe(3);
  });

  afterAll(async () => {
    await connection.close();
  });

  interface Order {
    id: number;
    customer: string | null;
    total: string | null;
    placed: HyperDate | null;
    big: bigint | null;
  }

  it("streams rows as typed objects", async () => {
    const orders: Order[] = [];
    for await (const order of connection.query<Order>("SELECT * FROM orders ORDER BY id")) orders.push(order);
    expect(orders.map((o) => o.id)).toEqual([1, 2, 3]);
    expect(orders[1]).toMatchObject({ customer: "bob", total: "99.99", big: 9007199254740993n });
    expect(String(orders[0]?.placed)).toBe("2024-01-02");
    expect(orders[2]?.placed).toBeNull();
  });

  it("binds sql`` values as parameters and accepts plain text with params", async () => {
    const customer = "ada' OR '1'='1";
    expect(await connection.fetchAll(sql`SELECT id FROM orders WHERE customer = ${customer}`)).toEqual([]);
    const ada = await connection.fetchAll<{ id: number }>(
      sql`SELECT id FROM orders WHERE customer = ${"ada"} ORDER BY id`,
    );
    expect(ada).toEqual([{ id: 1 }, { id: 3 }]);
    expect(await connection.fetchAll("SELECT id FROM orders WHERE total > $1 ORDER BY id", ["50"])).toEqual([
      { id: 2 },
    ]);
    expect(() => connection.query(sql`SELECT ${1}`, [2])).toThrow(InvalidArgumentError);
  });

  it("returns arrays in array row mode", async () => {
    expect(
      await connection.fetchAll("SELECT id, customer FROM orders ORDER BY id LIMIT 2", [], {
        rowMode: "array",
      }),
    ).toEqual([
      [1, "ada"],
      [2, "bob"],
    ]);
  });

  it("fetchOne, fetchOptional and fetchScalar", async () => {
    expect(await connection.fetchOne<Order>("SELECT * FROM orders WHERE id = $1", [2])).toMatchObject({
      customer: "bob",
    });
    await expect(connection.fetchOne("SELECT * FROM orders WHERE id = $1", [404])).rejects.toBeInstanceOf(
      NoRowsError,
    );
    expect(await connection.fetchOptional("SELECT * FROM orders WHERE id = $1", [404])).toBeUndefined();
    expect(await connection.fetchScalar<bigint>("SELECT count(*) FROM orders")).toBe(3n);
    await expect(connection.fetchScalar("SELECT id FROM orders WHERE false")).rejects.toBeInstanceOf(
      NoRowsError,
    );
    expect(await connection.fetchScalar("SELECT NULL::int")).toBeNull();
  });

  it("describes result columns without reading rows", async () => {
    const columns = await connection.describe("SELECT id, total, placed FROM orders");
    expect(columns.map((c) => [c.name, c.typeName])).toEqual([
      ["id", "INTEGER"],
      ["total", "NUMERIC(10,2)"],
      ["placed", "DATE"],
    ]);
    expect(await connection.fetchScalar("SELECT 1")).toBe(1);
    // Nothing runs: a statement that would take minutes is described at once, parameters too.
    const started = performance.now();
    const huge = await connection.describe(
      "SELECT count(*) AS n FROM generate_series(1, 100000) a(x), generate_series(1, 100000) b(y) WHERE x > $1",
      [0],
    );
    expect(huge.map((c) => c.name)).toEqual(["n"]);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await connection.fetchScalar("SELECT 2")).toBe(2);
  });

  it("runs prepared queries many times", async () => {
    await using byId = await connection.prepare("SELECT customer FROM orders WHERE id = $1");
    expect(byId.parameterCount).toBe(1);
    expect(byId.columns.map((c) => c.name)).toEqual(["customer"]);
    expect(await byId.fetchAll([1])).toEqual([{ customer: "ada" }]);
    expect(await byId.fetchAll([2])).toEqual([{ customer: "bob" }]);
  });

  it("cancels a query through an AbortSignal and stays usable", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const slow = "SELECT count(*) FROM generate_series(1, 300000) a(x), generate_series(1, 30000) b(y)";
    const error = await connection.fetchAll(slow, [], { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ sqlstate: SqlState.queryCanceled });
    await connection.ping();
  });

  it("reports the server version", () => {
    expect(connection.serverVersion).toMatch(/^\d+\.\d+/);
  });
});

describe("transactions", () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await Connection.connect({
      endpoint,
      database: join(directory, "transactions.hyper"),
      createMode: "CreateAndReplace",
    });
    await connection.execute("CREATE TABLE ledger (entry INT NOT NULL)");
  });

  afterAll(async () => {
    await connection.close();
  });

  const count = () => connection.fetchScalar<bigint>("SELECT count(*) FROM ledger");

  it("commits when the callback resolves and returns its value", async () => {
    const result = await connection.transaction(async (tx) => {
      await tx.execute("INSERT INTO ledger VALUES (1), (2)");
      return "done";
    });
    expect(result).toBe("done");
    expect(await count()).toBe(2n);
    expect(connection.transactionStatus).toBe("idle");
  });

  it("rolls back when the callback throws, and rethrows", async () => {
    const failure = new Error("changed my mind");
    await expect(
      connection.transaction(async (tx) => {
        await tx.execute("INSERT INTO ledger VALUES (3)");
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await count()).toBe(2n);
  });

  it("explains an aborted transaction instead of a bare 25P02", async () => {
    const outcome = await connection
      .transaction(async (tx) => {
        await tx.execute("INSERT INTO ledger VALUES (4)");
        await tx.execute("INSERT INTO ledger VALUES (1 / 0)").catch(() => undefined);
        await tx.execute("INSERT INTO ledger VALUES (5)");
      })
      .catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(UsageError);
    expect((outcome as Error).message).toMatch(/aborted by an earlier error/);
    expect(await count()).toBe(2n);
    expect(connection.transactionStatus).toBe("idle");
  });

  it("rolls back a transaction whose callback swallowed the error", async () => {
    const outcome = await connection
      .transaction(async (tx) => {
        await tx.execute("INSERT INTO ledger VALUES (6)");
        await tx.fetchAll("SELECT 1 / 0").catch(() => undefined);
      })
      .catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(UsageError);
    expect(await count()).toBe(2n);
  });

  it("does not nest", async () => {
    await expect(connection.transaction(async (tx) => tx.transaction(async () => 1))).rejects.toBeInstanceOf(
      UsageError,
    );
    expect(connection.transactionStatus).toBe("idle");
  });
});
