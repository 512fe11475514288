import { HyperError, NotFoundError, SqlState, TypeOid, UsageError } from "@hyperdb-ts/hyperdb-api-core";
import { escapeIdentifier } from "../catalog/escape.ts";
import type { Connection } from "../connection/connection.ts";
import { validateKvName, validateKvValue } from "./kv-names.ts";
import { type KvStatement, ProtocolStatement, SqlStatement } from "./kv-statement.ts";

/**
 * The table every KV store of a database lives in, partitioned by `store_name`. Same layout as
 * the other hyperdb implementations, so `.hyper` files are interchangeable between them.
 */
export const KV_STORE_TABLE = "_hyperdb_kv_store";

/** Options of `KvStore.open` and `KvStore.listStores`. */
export interface KvStoreOptions {
  /**
   * Alias of an attached database to keep the store in (its `public` schema).
   * @default the connection's primary database
   */
  readonly database?: string;
  /**
   * Create the KV table when it is missing (one round trip). Pass false when the table is
   * known to exist; an operation on a missing table then fails with hyperd's error (SQLSTATE
   * 42P01) instead.
   * @default true
   */
  readonly createTable?: boolean;
}

/** Outcome of `KvStore.set`. */
export interface KvSetResult {
  /** True when the key was new, false when an existing value was overwritten. */
  readonly created: boolean;
}

/** Outcome of `KvStore.setMany`. */
export interface KvSetManyResult {
  /** Keys that were new. */
  readonly created: number;
  /** Keys whose value was overwritten. */
  readonly overwritten: number;
}

/** Outcome of `KvStore.setManyIfAbsent`. */
export interface KvSetManyIfAbsentResult {
  /** Keys that were new and have been written. */
  readonly written: number;
  /** Keys that existed already and were left alone. */
  readonly skipped: number;
}

/** A key and its value. */
export interface KvEntry {
  readonly key: string;
  readonly value: string;
}

/** Entries for `setMany`: `[key, value]` pairs (a `Map`, an array, …) or a plain object. */
export type KvEntries = Iterable<readonly [string, string]> | Readonly<Record<string, string>>;

type StatementName = keyof typeof STATEMENTS;

/**
 * Keys per statement in `setMany` and `setManyIfAbsent` (2 parameters each). Larger chunks
 * gain little: the server's time per key levels off around here.
 */
const BATCH_KEYS = 1000;

/** hyperd's SQLSTATE for a schema (here: `"<database>"."public"`) that does not exist. */
const INVALID_SCHEMA_NAME = "3F000";

// $1 is always the store name. Every statement is parsed once per KvStore, on first use;
// those with `values` carry values (any string) and run as protocol-level prepared statements,
// the others only store names and keys and run with SQL EXECUTE (see kv-statement.ts).
const STATEMENTS = {
  get: { params: 2, sql: (t: string) => `SELECT value FROM ${t} WHERE store_name = $1 AND key = $2 LIMIT 1` },
  has: { params: 2, sql: (t: string) => `SELECT 1 FROM ${t} WHERE store_name = $1 AND key = $2 LIMIT 1` },
  update: {
    params: 3,
    values: true,
    sql: (t: string) => `UPDATE ${t} SET value = $3 WHERE store_name = $1 AND key = $2`,
  },
  insertIfAbsent: {
    params: 3,
    values: true,
    sql: (t: string) =>
      `INSERT INTO ${t} (store_name, key, value) SELECT $1, $2, $3 ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${t} WHERE store_name = $1 AND key = $2)`,
  },
  delete: { params: 2, sql: (t: string) => `DELETE FROM ${t} WHERE store_name = $1 AND key = $2` },
  keys: { params: 1, sql: (t: string) => `SELECT key FROM ${t} WHERE store_name = $1 ORDER BY key ASC` },
  entries: {
    params: 1,
    sql: (t: string) => `SELECT key, value FROM ${t} WHERE store_name = $1 ORDER BY key ASC`,
  },
  // One statement is one transaction, and one round trip instead of BEGIN/SELECT/DELETE/COMMIT.
  pop: {
    params: 1,
    sql: (t: string) =>
      `DELETE FROM ${t} WHERE store_name = $1 AND key = (SELECT MIN(key) FROM ${t} WHERE store_name = $1) ` +
      "RETURNING key, value",
  },
  clear: { params: 1, sql: (t: string) => `DELETE FROM ${t} WHERE store_name = $1` },
  size: { params: 1, sql: (t: string) => `SELECT COUNT(*) FROM ${t} WHERE store_name = $1` },
  byteSize: {
    params: 1,
    sql: (t: string) => `SELECT COALESCE(SUM(OCTET_LENGTH(value)), 0) FROM ${t} WHERE store_name = $1`,
  },
} as const;

/**
 * Runs the KV operations of one connection one after another, so that an operation's
 * statements never land inside another one's transaction.
 */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => {});
    return result;
  }
}

const queues = new WeakMap<Connection, SerialQueue>();

function queueOf(connection: Connection): SerialQueue {
  let queue = queues.get(connection);
  if (queue === undefined) {
    queue = new SerialQueue();
    queues.set(connection, queue);
  }
  return queue;
}

/**
 * A named string-to-string store kept in a table of a Hyper database, for small amounts of
 * state (settings, cursors, scraps) next to the data. Keys and the store name are ASCII
 * `A-Z a-z 0-9 _ . -`, 1 to 512 bytes; values are any string, including "" (which is a value,
 * not an absence).
 *
 * All stores of a database share the table `_hyperdb_kv_store(store_name, key, value)`. Hyper
 * has no unique indexes, so each key is kept unique by the store's own upsert. Writes from
 * several processes to one file can still race (e.g. two `setIfAbsent` of the same key).
 *
 * Statements are prepared on the connection on first use; close the store (or use
 * `await using`) to free them. Operations on one connection run one at a time. Each single-key
 * call is one round trip (two for `set` of a new key); `setMany` writes up to 1000 keys per
 * statement, so prefer it for many keys.
 */
export class KvStore implements AsyncDisposable {
  private readonly connection: Connection;
  private readonly store: string;
  private readonly table: string;
  private readonly databaseAlias: string | null;
  private readonly queue: SerialQueue;
  private readonly statements = new Map<StatementName, Promise<KvStatement>>();
  private closed = false;

  private constructor(connection: Connection, store: string, table: string, database: string | null) {
    this.connection = connection;
    this.store = store;
    this.table = table;
    this.databaseAlias = database;
    this.queue = queueOf(connection);
  }

  /**
   * Opens the store `store`, creating the KV table in the database if it is missing. A store
   * has no existence of its own: it appears with its first key.
   * @throws InvalidArgumentError for an invalid store name, NotFoundError when `database` is
   *   not attached, UsageError when no database is given and the connection has none.
   */
  static async open(connection: Connection, store: string, options: KvStoreOptions = {}): Promise<KvStore> {
    validateKvName("store name", store);
    const database = options.database ?? connection.database;
    const table = await ensureTable(connection, database, options);
    return new KvStore(connection, store, table, database);
  }

  /**
   * Names of the stores that hold at least one key, sorted ascending (an emptied store is
   * gone). Creates the KV table if it is missing.
   * @throws NotFoundError when `database` is not attached.
   */
  static async listStores(connection: Connection, options: KvStoreOptions = {}): Promise<string[]> {
    const table = await ensureTable(connection, options.database ?? connection.database, options);
    return queueOf(connection).run(async () => {
      const rows = await connection.fetchAll<[string]>(
        `SELECT DISTINCT store_name FROM ${table} ORDER BY store_name ASC`,
        [],
        { rowMode: "array" },
      );
      return rows.map((row) => row[0]);
    });
  }

  /** The store's name. */
  get name(): string {
    return this.store;
  }

  /** Alias of the database the store lives in, or null when it follows the search path. */
  get database(): string | null {
    return this.databaseAlias;
  }

  /** The value of `key`, or undefined when the key is absent (or its value is SQL NULL). */
  async get(key: string): Promise<string | undefined> {
    validateKvName("key", key);
    const rows = await this.rows<[string | null]>("get", [this.store, key]);
    return rows[0]?.[0] ?? undefined;
  }

  /** Whether `key` is in the store. */
  async has(key: string): Promise<boolean> {
    validateKvName("key", key);
    return (await this.rows("has", [this.store, key])).length > 0;
  }

  /**
   * Sets `key` to `value`, overwriting any value it had (an UPDATE, followed by an INSERT when
   * the key was new).
   */
  async set(key: string, value: string): Promise<KvSetResult> {
    validateKvName("key", key);
    validateKvValue(key, value);
    return this.exclusive(["update", "insertIfAbsent"], async ([update, insert]) => ({
      created: await this.upsert(update, insert, key, value),
    }));
  }

  /**
   * Sets `key` to `value` unless the key exists.
   * @returns true when the value was written, false when the key existed.
   */
  async setIfAbsent(key: string, value: string): Promise<boolean> {
    validateKvName("key", key);
    validateKvValue(key, value);
    return this.exclusive(
      ["insertIfAbsent"],
      async ([insert]) => (await insert.execute([this.store, key, value])) > 0,
    );
  }

  /**
   * Removes `key`.
   * @returns true when it was there.
   */
  async delete(key: string): Promise<boolean> {
    validateKvName("key", key);
    return this.exclusive(["delete"], async ([remove]) => (await remove.execute([this.store, key])) > 0);
  }

  /** All keys, sorted ascending by byte value (`-` < `.` < digits < `A-Z` < `_` < `a-z`). */
  async keys(): Promise<string[]> {
    const rows = await this.rows<[string]>("keys", [this.store]);
    return rows.map((row) => row[0]);
  }

  /**
   * All `[key, value]` pairs, sorted by key like `keys()`; a NULL value (possible in rows
   * written with plain SQL) is given as "". `new Map(await store.entries())` makes a map.
   */
  async entries(): Promise<[key: string, value: string][]> {
    const rows = await this.rows<[string, string | null]>("entries", [this.store]);
    return rows.map((row) => [row[0], row[1] ?? ""]);
  }

  /**
   * Removes the lowest key (by byte value) and returns it with its value (NULL as ""), in one
   * atomic statement. Not a blocking queue: an empty store gives undefined at once.
   */
  async pop(): Promise<KvEntry | undefined> {
    return this.exclusive(["pop"], async ([pop]) => {
      const rows = await pop.rows<[string, string | null]>([this.store]);
      const row = rows[0];
      return row === undefined ? undefined : { key: row[0], value: row[1] ?? "" };
    });
  }

  /**
   * Sets many keys at once, all or nothing: every key is checked before anything is written,
   * then all are written in one transaction (or inside the connection's open transaction,
   * which then decides), with two statements per 1000 keys. A key given twice ends with its
   * last value (and counts once as created, then as overwritten).
   * @throws InvalidArgumentError for any invalid key or value; nothing is written then.
   */
  async setMany(entries: KvEntries): Promise<KvSetManyResult> {
    const list = entryList(entries);
    if (list.length === 0) return { created: 0, overwritten: 0 };
    const latest = [...new Map(list)];
    return this.exclusive([], () =>
      this.inTransaction(async () => {
        let created = 0;
        for (let start = 0; start < latest.length; start += BATCH_KEYS) {
          const chunk = latest.slice(start, start + BATCH_KEYS);
          const params = [this.store, ...chunk.flat()];
          await this.connection.execute(
            `UPDATE ${this.table} AS kv SET value = v.value FROM ${valuesOf(chunk.length)} ` +
              "WHERE kv.store_name = $1::TEXT AND kv.key = v.key",
            params,
          );
          created += await this.connection.execute(this.insertAbsentSql(chunk.length), params);
        }
        return { created, overwritten: list.length - created };
      }),
    );
  }

  /**
   * Writes the keys that do not exist yet and leaves the others alone, in one transaction like
   * `setMany`. A key given twice keeps its first value (and counts once as skipped).
   * @throws InvalidArgumentError for any invalid key or value; nothing is written then.
   */
  async setManyIfAbsent(entries: KvEntries): Promise<KvSetManyIfAbsentResult> {
    const list = entryList(entries);
    if (list.length === 0) return { written: 0, skipped: 0 };
    const first = new Map<string, string>();
    for (const [key, value] of list) if (!first.has(key)) first.set(key, value);
    const distinct = [...first];
    return this.exclusive([], () =>
      this.inTransaction(async () => {
        let written = 0;
        for (let start = 0; start < distinct.length; start += BATCH_KEYS) {
          const chunk = distinct.slice(start, start + BATCH_KEYS);
          written += await this.connection.execute(this.insertAbsentSql(chunk.length), [
            this.store,
            ...chunk.flat(),
          ]);
        }
        return { written, skipped: list.length - written };
      }),
    );
  }

  /**
   * Removes every key of this store (other stores are untouched).
   * @returns how many entries were removed.
   */
  async clear(): Promise<number> {
    return this.exclusive(["clear"], async ([clear]) => clear.execute([this.store]));
  }

  /** Number of keys. */
  async size(): Promise<number> {
    return this.count("size");
  }

  /** Total length of all values, in UTF-8 bytes (keys not included). */
  async byteSize(): Promise<number> {
    return this.count("byteSize");
  }

  /**
   * Frees the store's prepared statements. The connection stays open. Idempotent; the store
   * cannot be used afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Queued after every operation started before, so all statements they prepared are listed.
    await this.queue.run(async () => {
      const pending = [...this.statements.values()];
      this.statements.clear();
      for (const statement of await Promise.allSettled(pending)) {
        if (statement.status === "fulfilled") await statement.value.close().catch(() => {});
      }
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async count(name: "size" | "byteSize"): Promise<number> {
    const rows = await this.rows<[bigint | number]>(name, [this.store]);
    return Number(rows[0]?.[0] ?? 0);
  }

  private rows<T extends unknown[]>(name: StatementName, params: readonly string[]): Promise<T[]> {
    return this.exclusive([name], ([statement]) => statement.rows<T>(params));
  }

  /** Runs `work` with the named statements, after the connection's earlier KV operations. */
  private exclusive<const N extends readonly StatementName[], T>(
    names: N,
    work: (statements: { -readonly [K in keyof N]: KvStatement }) => Promise<T>,
  ): Promise<T> {
    if (this.closed) return Promise.reject(new UsageError(`the KV store ${this.store} is closed`));
    return this.queue.run(async () => {
      const statements = await Promise.all(names.map((name) => this.statement(name)));
      return work(statements as { -readonly [K in keyof N]: KvStatement });
    });
  }

  private statement(name: StatementName): Promise<KvStatement> {
    let statement = this.statements.get(name);
    if (statement === undefined) {
      const definition: { params: number; values?: boolean; sql: (t: string) => string } = STATEMENTS[name];
      const sql = definition.sql(this.table);
      statement =
        definition.values === true
          ? this.connection
              .prepare(
                sql,
                Array.from({ length: definition.params }, () => TypeOid.text),
              )
              .then((query) => new ProtocolStatement(query))
          : SqlStatement.prepare(this.connection, sql, definition.params);
      this.statements.set(name, statement);
      // A failed prepare (e.g. the connection dropped) is retried on the next call.
      statement.catch(() => {
        if (this.statements.get(name) === statement) this.statements.delete(name);
      });
    }
    return statement;
  }

  /**
   * @returns true when the key was new. Retries when another connection inserts the key
   *   between the two statements (each retry means that writer made progress).
   */
  private async upsert(
    update: KvStatement,
    insert: KvStatement,
    key: string,
    value: string,
  ): Promise<boolean> {
    for (;;) {
      if ((await update.execute([this.store, key, value])) > 0) return false;
      if ((await insert.execute([this.store, key, value])) > 0) return true;
    }
  }

  /** Inserts the keys of `count` `$2, $3, …` pairs that are not in the store yet. */
  private insertAbsentSql(count: number): string {
    return (
      `INSERT INTO ${this.table} (store_name, key, value) SELECT $1::TEXT, v.key, v.value FROM ${valuesOf(count)} ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${this.table} AS kv WHERE kv.store_name = $1::TEXT AND kv.key = v.key)`
    );
  }

  private inTransaction<T>(work: () => Promise<T>): Promise<T> {
    switch (this.connection.transactionStatus) {
      case "idle":
        return this.connection.transaction(work);
      case "transaction":
        return work();
      default:
        return Promise.reject(
          new UsageError(
            "the connection's transaction was aborted by an earlier error; roll it back before writing to the KV store",
          ),
        );
    }
  }
}

/** `(VALUES ($2, $3), …) AS v (key, value)` for `count` key/value pairs after the store name. */
function valuesOf(count: number): string {
  const rows: string[] = [];
  for (let i = 0; i < count; i++) rows.push(`($${2 * i + 2}::TEXT, $${2 * i + 3}::TEXT)`);
  return `(VALUES ${rows.join(", ")}) AS v (key, value)`;
}

function entryList(entries: KvEntries): [string, string][] {
  const list: [string, string][] =
    Symbol.iterator in entries
      ? Array.from(entries as Iterable<readonly [string, string]>, ([key, value]) => [key, value])
      : Object.entries(entries);
  for (const [key, value] of list) {
    validateKvName("key", key);
    validateKvValue(key, value);
  }
  return list;
}

/** Creates the KV table unless it exists (or `options.createTable` is false), and returns its (quoted) name. */
async function ensureTable(
  connection: Connection,
  database: string | null,
  options: KvStoreOptions,
): Promise<string> {
  const table =
    database === null
      ? escapeIdentifier(KV_STORE_TABLE)
      : `${escapeIdentifier(database)}."public".${escapeIdentifier(KV_STORE_TABLE)}`;
  if (options.createTable === false) return table;
  const explicit = options.database !== undefined;
  try {
    await queueOf(connection).run(() =>
      connection.execute(
        `CREATE TABLE IF NOT EXISTS ${table} (store_name TEXT NOT NULL, key TEXT NOT NULL, value TEXT)`,
      ),
    );
  } catch (error) {
    if (error instanceof HyperError && error.sqlstate === SqlState.duplicateTable) return table;
    if (error instanceof HyperError && error.sqlstate === INVALID_SCHEMA_NAME) {
      if (explicit) {
        throw new NotFoundError(`no database is attached as "${database}" to keep the KV store in`, {
          cause: error,
        });
      }
      throw new UsageError(
        "the connection has no database to keep the KV store in; connect with `database` or pass `{ database }`",
        { cause: error },
      );
    }
    throw error;
  }
  return table;
}
