import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from "vitest";
import {
  Connection,
  HyperError,
  InvalidArgumentError,
  NotFoundError,
  UsageError,
} from "../../../src/index.ts";
import { KvStore } from "../../../src/kv/kv-store.ts";
import { PreparedQuery } from "../../../src/query/prepared-query.ts";

let directory: string;
let endpoint: string;
let connection: Connection;
let kv: KvStore;
let storeCounter = 0;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "hyperdb-api-kv-"));
  const hyperd = inject("hyperd");
  endpoint = `${hyperd.host}:${hyperd.port}`;
  connection = await Connection.connect({
    endpoint,
    database: join(directory, "kv.hyper"),
    createMode: "CreateIfNotExists",
  });
});

afterAll(async () => {
  await connection?.close();
  await rm(directory, { recursive: true, force: true });
});

beforeEach(async () => {
  kv = await KvStore.open(connection, `store${++storeCounter}`);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await kv.close();
});

async function rowsOf(store: string, table = "_hyperdb_kv_store"): Promise<unknown[][]> {
  return connection.fetchAll<unknown[]>(
    `SELECT key, value FROM ${table} WHERE store_name = $1 ORDER BY key`,
    [store],
    { rowMode: "array" },
  );
}

describe("single keys", () => {
  it("sets, gets, overwrites and deletes", async () => {
    expect(await kv.get("greeting")).toBeUndefined();
    expect(await kv.has("greeting")).toBe(false);
    expect(await kv.set("greeting", "hello")).toEqual({ created: true });
    expect(await kv.get("greeting")).toBe("hello");
    expect(await kv.has("greeting")).toBe(true);
    expect(await kv.set("greeting", "hi")).toEqual({ created: false });
    expect(await kv.get("greeting")).toBe("hi");
    expect(await rowsOf(kv.name)).toEqual([["greeting", "hi"]]);
    expect(await kv.delete("greeting")).toBe(true);
    expect(await kv.delete("greeting")).toBe(false);
    expect(await kv.get("greeting")).toBeUndefined();
  });

  it("keeps the empty string as a value, distinct from an absent key", async () => {
    await kv.set("empty", "");
    expect(await kv.get("empty")).toBe("");
    expect(await kv.has("empty")).toBe(true);
    expect(await kv.get("missing")).toBeUndefined();
    expect(await kv.entries()).toEqual([["empty", ""]]);
    expect(await kv.size()).toBe(1);
    expect(await kv.byteSize()).toBe(0);
  });

  it("stores any text as a bound value", async () => {
    const values = [
      "'; DROP TABLE _hyperdb_kv_store; --",
      'quote " and \\',
      "é😀 ünïcode",
      "x".repeat(200_000),
    ];
    for (const [i, value] of values.entries()) await kv.set(`v${i}`, value);
    for (const [i, value] of values.entries()) expect(await kv.get(`v${i}`)).toBe(value);
    expect(await kv.byteSize()).toBe(values.reduce((sum, value) => sum + Buffer.byteLength(value), 0));
  });

  it("setIfAbsent writes only new keys", async () => {
    expect(await kv.setIfAbsent("k", "first")).toBe(true);
    expect(await kv.setIfAbsent("k", "second")).toBe(false);
    expect(await kv.get("k")).toBe("first");
  });

  it("concurrent sets of one key through one connection leave one row, with the last value", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => kv.set("hot", `v${i}`)));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(await rowsOf(kv.name)).toEqual([["hot", "v19"]]);
    const guarded = await Promise.all(Array.from({ length: 10 }, (_, i) => kv.setIfAbsent("cold", `v${i}`)));
    expect(guarded.filter(Boolean)).toHaveLength(1);
    expect(await kv.size()).toBe(2);
  });
});

describe("names", () => {
  it("accepts a 499-byte key and rejects a 630-byte one", async () => {
    const long = "k".repeat(499);
    await kv.set(long, "v");
    expect(await kv.get(long)).toBe("v");
    await expect(kv.set("k".repeat(630), "v")).rejects.toThrow(
      new InvalidArgumentError("invalid name: KV key exceeds 512-byte limit (630 bytes)"),
    );
  });

  it("rejects spaces, slashes and other bytes in every keyed call, before any SQL", async () => {
    const execute = vi.spyOn(PreparedQuery.prototype, "execute");
    const query = vi.spyOn(PreparedQuery.prototype, "query");
    const simple = vi.spyOn(connection.core, "simpleQuery");
    for (const key of ["a b", "a/b", "", "ключ", "a'b"]) {
      await expect(kv.get(key)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(kv.has(key)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(kv.set(key, "v")).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(kv.setIfAbsent(key, "v")).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(kv.delete(key)).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    await expect(kv.get("a b")).rejects.toThrow(
      "invalid name: KV key contains an invalid byte 0x20; allowed: A-Z a-z 0-9 _ . -",
    );
    await expect(kv.get("a/b")).rejects.toThrow("invalid byte 0x2f");
    expect(execute).not.toHaveBeenCalled();
    expect(query).not.toHaveBeenCalled();
    expect(simple).not.toHaveBeenCalled();
  });

  it("validates the store name", async () => {
    await expect(KvStore.open(connection, "my store")).rejects.toThrow(
      "invalid name: KV store name contains an invalid byte 0x20",
    );
    await expect(KvStore.open(connection, "")).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe("listing", () => {
  it("sorts keys by byte value", async () => {
    const keys = ["b", "a", "B", "_", "-", ".", "0", "Z", "aa", "A9", "a.b", "a-b"];
    for (const key of keys) await kv.set(key, `value of ${key}`);
    const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(sorted).toEqual(["-", ".", "0", "A9", "B", "Z", "_", "a", "a-b", "a.b", "aa", "b"]);
    expect(await kv.keys()).toEqual(sorted);
    expect(await kv.entries()).toEqual(sorted.map((key) => [key, `value of ${key}`]));
    expect(await kv.size()).toBe(keys.length);
  });

  it("pops the lowest key until the store is empty", async () => {
    expect(await kv.pop()).toBeUndefined();
    await kv.setMany({ b: "2", a: "1", C: "3" });
    expect(await kv.pop()).toEqual({ key: "C", value: "3" });
    expect(await kv.pop()).toEqual({ key: "a", value: "1" });
    expect(await kv.pop()).toEqual({ key: "b", value: "2" });
    expect(await kv.pop()).toBeUndefined();
    expect(await kv.size()).toBe(0);
  });

  it("concurrent pops hand out every key exactly once", async () => {
    await kv.setMany(
      Array.from({ length: 30 }, (_, i) => [`k${String(i).padStart(2, "0")}`, `${i}`] as const),
    );
    const popped = await Promise.all(Array.from({ length: 35 }, () => kv.pop()));
    const keys = popped.flatMap((entry) => (entry === undefined ? [] : [entry.key]));
    expect(keys).toHaveLength(30);
    expect(new Set(keys).size).toBe(30);
    expect(keys).toEqual([...keys].sort());
  });

  it("counts values in bytes and clears only its own store", async () => {
    await using other = await KvStore.open(connection, `${kv.name}-other`);
    await kv.setMany([
      ["a", "é"],
      ["b", "abc"],
      ["c", ""],
    ]);
    await other.set("a", "untouched");
    expect(await kv.byteSize()).toBe(5);
    expect(await kv.clear()).toBe(3);
    expect(await kv.clear()).toBe(0);
    expect(await kv.size()).toBe(0);
    expect(await kv.byteSize()).toBe(0);
    expect(await other.get("a")).toBe("untouched");
  });
});

describe("batches", () => {
  it("setMany reports created and overwritten keys, from pairs, maps or objects", async () => {
    await kv.set("a", "old");
    expect(
      await kv.setMany([
        ["a", "1"],
        ["b", "2"],
      ]),
    ).toEqual({ created: 1, overwritten: 1 });
    expect(await kv.setMany(new Map([["c", "3"]]))).toEqual({ created: 1, overwritten: 0 });
    expect(await kv.setMany({ c: "33", d: "4" })).toEqual({ created: 1, overwritten: 1 });
    expect(await kv.setMany([])).toEqual({ created: 0, overwritten: 0 });
    expect(await kv.entries()).toEqual([
      ["a", "1"],
      ["b", "2"],
      ["c", "33"],
      ["d", "4"],
    ]);
  });

  it("a key given twice in one batch ends with its last value and one row", async () => {
    expect(
      await kv.setMany([
        ["k", "1"],
        ["k", "2"],
      ]),
    ).toEqual({ created: 1, overwritten: 1 });
    expect(await rowsOf(kv.name)).toEqual([["k", "2"]]);
  });

  it("a bad key anywhere in the batch writes nothing", async () => {
    await kv.set("a", "before");
    await expect(
      kv.setMany([
        ["a", "after"],
        ["b", "2"],
        ["bad key", "3"],
      ]),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(kv.setManyIfAbsent({ c: "3", "x/y": "4" })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await kv.entries()).toEqual([["a", "before"]]);
  });

  it("a failure in the middle of the batch rolls back the writes before it", async () => {
    await kv.set("a", "before");
    const batch = Array.from({ length: 2500 }, (_, i) => [`k${i}`, `${i}`] as const);
    const execute = Connection.prototype.execute;
    let calls = 0;
    // Statements 1-2 write the first chunk of 1000 keys, 3 updates the second, 4 would insert it.
    vi.spyOn(Connection.prototype, "execute").mockImplementation(function (this: Connection, ...args) {
      if (++calls === 4) return Promise.reject(new Error("injected failure"));
      return execute.apply(this, args);
    });
    await expect(kv.setMany([["a", "after"], ...batch])).rejects.toThrow("injected failure");
    vi.restoreAllMocks();
    expect(calls).toBe(4);
    expect(await kv.entries()).toEqual([["a", "before"]]);
    expect(connection.transactionStatus).toBe("idle");
  });

  it("writes batches larger than one statement's chunk", async () => {
    await kv.setMany({ k0: "old", k1500: "old", k2999: "old" });
    const batch: [string, string][] = Array.from({ length: 3000 }, (_, i) => [`k${i}`, `v${i}`]);
    batch.push(["k7", "last"]);
    expect(await kv.setMany(batch)).toEqual({ created: 2997, overwritten: 4 });
    expect(await kv.size()).toBe(3000);
    expect(await kv.get("k7")).toBe("last");
    expect(await kv.get("k2999")).toBe("v2999");
    const more: [string, string][] = Array.from({ length: 1200 }, (_, i) => [`k${i + 2500}`, "new"]);
    expect(await kv.setManyIfAbsent(more)).toEqual({ written: 700, skipped: 500 });
    expect(await kv.size()).toBe(3700);
    expect(await kv.get("k2500")).toBe("v2500");
    expect(await kv.get("k3699")).toBe("new");
  });

  it("setManyIfAbsent writes new keys and skips existing ones", async () => {
    await kv.set("a", "kept");
    expect(await kv.setManyIfAbsent({ a: "x", b: "2", c: "3" })).toEqual({ written: 2, skipped: 1 });
    expect(
      await kv.setManyIfAbsent([
        ["d", "first"],
        ["d", "second"],
      ]),
    ).toEqual({ written: 1, skipped: 1 });
    expect(await kv.entries()).toEqual([
      ["a", "kept"],
      ["b", "2"],
      ["c", "3"],
      ["d", "first"],
    ]);
  });

  it("joins a transaction the caller has open, which then decides", async () => {
    await expect(
      connection.transaction(async () => {
        await kv.setMany({ a: "1", b: "2" });
        await kv.set("c", "3");
        expect(await kv.size()).toBe(3);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await kv.size()).toBe(0);
    await connection.transaction(async () => {
      await kv.setMany({ a: "1" });
      expect(await kv.pop()).toEqual({ key: "a", value: "1" });
      await kv.set("b", "2");
    });
    expect(await kv.entries()).toEqual([["b", "2"]]);
  });
});

describe("stores and databases", () => {
  it("keeps stores apart and lists the non-empty ones", async () => {
    await using first = await KvStore.open(connection, "list.first");
    await using second = await KvStore.open(connection, "list.second");
    await first.set("k", "one");
    await second.set("k", "two");
    expect(await first.get("k")).toBe("one");
    expect(await second.get("k")).toBe("two");
    let stores = await KvStore.listStores(connection);
    expect(stores).toEqual([...stores].sort());
    expect(stores).toEqual(expect.arrayContaining(["list.first", "list.second"]));
    await first.clear();
    stores = await KvStore.listStores(connection);
    expect(stores).not.toContain("list.first");
    expect(stores).toContain("list.second");
    expect(await second.keys()).toEqual(["k"]);
  });

  it("keeps a store in a second attached database", async () => {
    const alias = await connection.attachDatabase(join(directory, "second.hyper"), {
      alias: "second",
      createMode: "CreateIfNotExists",
    });
    try {
      expect(await KvStore.listStores(connection, { database: alias })).toEqual([]);
      await using there = await KvStore.open(connection, "shared", { database: alias });
      await using here = await KvStore.open(connection, "shared");
      expect(there.database).toBe("second");
      expect(here.database).toBe(connection.database);
      await there.set("k", "in second");
      expect(await here.get("k")).toBeUndefined();
      expect(await rowsOf("shared", `"second"."public"."_hyperdb_kv_store"`)).toEqual([["k", "in second"]]);
      expect(await KvStore.listStores(connection, { database: alias })).toEqual(["shared"]);
    } finally {
      await connection.detachDatabase(alias);
    }
    await expect(KvStore.open(connection, "s", { database: "not_attached" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("reads rows written with plain SQL in the shared layout, and writes that layout", async () => {
    const path = join(directory, "foreign.hyper");
    {
      await using writer = await Connection.connect({ endpoint, database: path, createMode: "Create" });
      await writer.execute(
        "CREATE TABLE _hyperdb_kv_store (store_name TEXT NOT NULL, key TEXT NOT NULL, value TEXT)",
      );
      await writer.execute(
        "INSERT INTO _hyperdb_kv_store VALUES ('notes', 'b', 'two'), ('notes', 'a', 'one'), " +
          "('notes', 'n', NULL), ('other', 'a', 'elsewhere')",
      );
    }
    await using reader = await Connection.connect({ endpoint, database: path });
    await using notes = await KvStore.open(reader, "notes");
    expect(await notes.get("a")).toBe("one");
    expect(await notes.get("n")).toBeUndefined();
    expect(await notes.has("n")).toBe(true);
    expect(await notes.keys()).toEqual(["a", "b", "n"]);
    expect(await notes.entries()).toEqual([
      ["a", "one"],
      ["b", "two"],
      ["n", ""],
    ]);
    expect(await notes.size()).toBe(3);
    expect(await KvStore.listStores(reader)).toEqual(["notes", "other"]);
    await notes.set("c", "three");
    await notes.set("a", "uno");
    expect(
      await reader.fetchAll<unknown[]>(
        "SELECT key, value FROM _hyperdb_kv_store WHERE store_name = 'notes' ORDER BY key",
        [],
        { rowMode: "array" },
      ),
    ).toEqual([
      ["a", "uno"],
      ["b", "two"],
      ["c", "three"],
      ["n", null],
    ]);
    expect(await notes.pop()).toEqual({ key: "a", value: "uno" });
  });

  it("creates the shared layout and keeps its data in the file across connections", async () => {
    const path = join(directory, "durable.hyper");
    {
      await using first = await Connection.connect({ endpoint, database: path, createMode: "Create" });
      await using store = await KvStore.open(first, "settings");
      await store.setMany({ theme: "dark", lang: "en" });
    }
    await using second = await Connection.connect({ endpoint, database: path });
    const columns = await second.describe("SELECT * FROM _hyperdb_kv_store");
    expect(columns.map((column) => `${column.name} ${column.typeName}`)).toEqual([
      "store_name TEXT",
      "key TEXT",
      "value TEXT",
    ]);
    await expect(second.execute("INSERT INTO _hyperdb_kv_store VALUES (NULL, 'k', 'v')")).rejects.toThrow(
      HyperError,
    );
    await expect(second.execute("INSERT INTO _hyperdb_kv_store VALUES ('s', NULL, 'v')")).rejects.toThrow(
      HyperError,
    );
    await using store = await KvStore.open(second, "settings");
    expect(await store.entries()).toEqual([
      ["lang", "en"],
      ["theme", "dark"],
    ]);
  });

  it("needs a database", async () => {
    await using bare = await Connection.connect({ endpoint });
    await expect(KvStore.open(bare, "s")).rejects.toBeInstanceOf(UsageError);
  });
});

describe("lifecycle", () => {
  it("reads through one simple-protocol EXECUTE per lookup, and frees its statements on close", async () => {
    await kv.set("k", 'it\'s \\ "quoted"');
    const simple = vi.spyOn(connection.core, "simpleQuery");
    expect(await kv.get("k")).toBe('it\'s \\ "quoted"');
    expect(await kv.has("k")).toBe(true);
    expect(await kv.size()).toBe(1);
    const calls = simple.mock.calls.map(([sql]) => sql);
    // Each statement is prepared on first use, then every call is one EXECUTE.
    expect(calls.filter((sql) => sql.startsWith("PREPARE "))).toHaveLength(3);
    const executes = calls.filter((sql) => !sql.startsWith("PREPARE "));
    expect(executes).toHaveLength(3);
    for (const sql of executes) expect(sql).toMatch(/^EXECUTE hyperdb_kv_\d+\('store\d+'(, 'k')?\)$/);
    const name = /^EXECUTE (hyperdb_kv_\d+)/.exec(executes[0] ?? "")?.[1];
    await kv.close();
    // DEALLOCATE ran: the statement is gone from the connection.
    await expect(connection.execute(`EXECUTE ${name}('x', 'y')`)).rejects.toBeInstanceOf(HyperError);
    expect(await connection.fetchScalar("SELECT 1")).toBe(1);
  });

  it("cannot be used after close; close is idempotent and leaves the connection open", async () => {
    const store = await KvStore.open(connection, "closing");
    await store.set("k", "v");
    const pending = store.get("k");
    await store.close();
    expect(await pending).toBe("v");
    await store.close();
    await expect(store.get("k")).rejects.toBeInstanceOf(UsageError);
    await expect(store.set("k", "v")).rejects.toBeInstanceOf(UsageError);
    expect(connection.isOpen).toBe(true);
    await using reopened = await KvStore.open(connection, "closing");
    expect(await reopened.get("k")).toBe("v");
  });
});
