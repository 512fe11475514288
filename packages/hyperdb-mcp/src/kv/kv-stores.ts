/**
 * Opening KV stores (hyperdb-api `KvStore`) on the database a tool call was routed to.
 *
 * - The session remembers which databases are known to have the KV table, so a store is opened
 *   without `CREATE TABLE IF NOT EXISTS` once one call there succeeded. When the table turns out
 *   to be missing after all (another session dropped it, hyperd lost it), the operation fails
 *   with SQLSTATE 42P01 before it changed anything; the table is then created and the operation
 *   runs once more. Readers create the table too: every database has its own, made on first use.
 * - In the local database, stores stay open per pooled connection (a few per connection, least
 *   recently used closed first), so a call costs one prepared-statement round trip (two for the
 *   set of a new key). The local database stays attached to a connection for its whole life;
 *   the persistent database and attachments are attached only for one call, and a statement
 *   prepared before a database was detached and attached again must never run (hyperd may drop
 *   the connection), so stores there are opened and closed within the call.
 * - A cached store whose statement failed is closed and forgotten; one whose table was dropped
 *   (42P01) or replaced (40001) is opened afresh for the retry.
 *
 * @module
 */
import { type Connection, HyperError, KvStore, SqlState } from "@hyperdb-ts/hyperdb-api";
import { LOCAL_ALIAS } from "../engine/engine.ts";
import { KeyedQueue } from "../keyed-queue.ts";
import type { DatabaseTarget } from "../tools/resolve-database.ts";

/** Open stores kept per pooled connection (each holds up to a dozen prepared statements). */
const STORES_PER_CONNECTION = 16;

/** Stores whose last write is remembered to choose the order of the next upsert's statements. */
const REMEMBERED_WRITES = 1024;

/** hyperd's SQLSTATE when a statement's table was dropped and created again meanwhile. */
const SCHEMA_OBJECT_REPLACED = "40001";

/** Where KV operations of one target run: the target and the database's identity. */
interface TableKey {
  readonly alias: string;
  /** Distinguishes two files attached one after the other under the same alias. */
  readonly identity: string;
}

function tableKeyOf(target: DatabaseTarget): TableKey {
  return { alias: target.alias, identity: `${target.alias}\u0000${target.attachment?.path ?? ""}` };
}

/** Whether `error` says the KV table is gone or was replaced under an open statement. */
function isStaleTable(error: unknown): boolean {
  return (
    error instanceof HyperError &&
    (error.sqlstate === SqlState.undefinedTable || error.sqlstate === SCHEMA_OBJECT_REPLACED)
  );
}

/** The KV stores of one session. */
export class KvStores {
  /** Databases (by identity) known to have the KV table. */
  readonly #tables = new Set<string>();
  /** Open stores of the local database, per pooled connection, least recently used first. */
  readonly #open = new WeakMap<Connection, Map<string, KvStore>>();
  /** Per database and store: whether its last upsert wrote a new key. */
  readonly #lastCreated = new Map<string, boolean>();
  /** KV calls queued per database (by identity). */
  readonly #turns = new KeyedQueue();

  /**
   * Runs `work` once the session's earlier KV calls on `target` are done. hyperd 9.1 can crash
   * (SIGSEGV) when KV upserts of one key on several connections conflict while another
   * connection reads the key, so a session's KV calls on one database run one at a time (each
   * is a statement or two; calls on other databases, and other tools, are not held up).
   */
  inTurn<T>(target: DatabaseTarget, work: () => Promise<T>): Promise<T> {
    return this.#turns.run(tableKeyOf(target).identity, work);
  }

  /**
   * Sets `key` to `value` in `kv` (a store of `target`); resolves true when the key was new.
   * Hyper has no upsert statement, so this is a conditional INSERT and an UPDATE, one of which
   * usually suffices: the one tried first is the one the store's previous upsert ended with
   * (new keys keep coming, or the same keys keep being overwritten).
   */
  async upsert(kv: KvStore, target: DatabaseTarget, key: string, value: string): Promise<boolean> {
    const memory = `${tableKeyOf(target).identity}\u0000${kv.name}`;
    let created: boolean;
    if (this.#lastCreated.get(memory) === true) {
      created = (await kv.setIfAbsent(key, value)) || (await kv.set(key, value)).created;
    } else {
      created = (await kv.set(key, value)).created;
    }
    this.#lastCreated.delete(memory);
    this.#lastCreated.set(memory, created);
    for (const oldest of this.#lastCreated.keys()) {
      if (this.#lastCreated.size <= REMEMBERED_WRITES) break;
      this.#lastCreated.delete(oldest);
    }
    return created;
  }

  /**
   * Runs `work` on the store `store` of `target` on `connection` (which has `target` attached).
   * @throws InvalidArgumentError for an invalid store name; whatever `work` throws.
   */
  async withStore<T>(
    connection: Connection,
    target: DatabaseTarget,
    store: string,
    work: (kv: KvStore) => Promise<T>,
  ): Promise<T> {
    const key = tableKeyOf(target);
    const cached = target.alias === LOCAL_ALIAS;
    try {
      return await this.#runOnStore(connection, key, store, cached, work);
    } catch (error) {
      if (!isStaleTable(error)) throw error;
      this.#tables.delete(key.identity);
      return this.#runOnStore(connection, key, store, cached, work);
    }
  }

  /** Names of the non-empty stores of `target`, sorted. */
  async listStores(connection: Connection, target: DatabaseTarget): Promise<string[]> {
    const key = tableKeyOf(target);
    const list = (): Promise<string[]> =>
      KvStore.listStores(connection, {
        database: key.alias,
        createTable: !this.#tables.has(key.identity),
      });
    let stores: string[];
    try {
      stores = await list();
    } catch (error) {
      if (!isStaleTable(error)) throw error;
      this.#tables.delete(key.identity);
      stores = await list();
    }
    this.#tables.add(key.identity);
    return stores;
  }

  async #runOnStore<T>(
    connection: Connection,
    key: TableKey,
    store: string,
    cached: boolean,
    work: (kv: KvStore) => Promise<T>,
  ): Promise<T> {
    const kv =
      (cached ? this.#take(connection, store) : undefined) ?? (await this.#openStore(connection, key, store));
    let result: T;
    try {
      result = await work(kv);
    } catch (error) {
      // A failed statement may be stale; never reuse this store's statements.
      if (error instanceof HyperError || !cached) await kv.close().catch(() => undefined);
      else await this.#keep(connection, store, kv);
      throw error;
    }
    this.#tables.add(key.identity);
    if (cached) await this.#keep(connection, store, kv);
    else await kv.close();
    return result;
  }

  #openStore(connection: Connection, key: TableKey, store: string): Promise<KvStore> {
    return KvStore.open(connection, store, {
      database: key.alias,
      createTable: !this.#tables.has(key.identity),
    });
  }

  /** Removes and returns the open store `store` of `connection`, if any. */
  #take(connection: Connection, store: string): KvStore | undefined {
    const stores = this.#open.get(connection);
    const kv = stores?.get(store);
    stores?.delete(store);
    return kv;
  }

  /** Keeps `kv` open as the most recently used store of `connection`, closing the oldest beyond the limit. */
  async #keep(connection: Connection, store: string, kv: KvStore): Promise<void> {
    let stores = this.#open.get(connection);
    if (stores === undefined) {
      stores = new Map();
      this.#open.set(connection, stores);
    }
    stores.set(store, kv);
    for (const [name, oldest] of stores) {
      if (stores.size <= STORES_PER_CONNECTION) break;
      stores.delete(name);
      await oldest.close().catch(() => undefined);
    }
  }
}
