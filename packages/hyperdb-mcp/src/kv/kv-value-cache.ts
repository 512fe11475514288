/**
 * What the session knows of the KV values in its local database, so a `kv_get` of a key it set
 * or read lately is answered without a statement.
 *
 * The local database is the session's own file: only this session's calls change it. The KV
 * tools tell the cache what they read and wrote; every other call that may change the local
 * database advances the engine's `localEpoch` (see `Engine.localEpoch`), and the cache forgets
 * everything when that moves. Databases shared with other sessions (persistent, attachments)
 * are never cached.
 *
 * Calls run concurrently on several connections, so:
 * - a read is learned only when no write and no epoch change happened since it started (it may
 *   have read a value a write replaced meanwhile);
 * - a write forgets the keys it may change when it starts, and records their new values when it
 *   ends only if no other write started meanwhile (two overlapping writes of one key may commit
 *   in either order); otherwise, or when it failed, it forgets them again.
 *
 * Values above {@link MAX_CACHED_VALUE_BYTES} are not kept; beyond {@link MAX_CACHED_BYTES} the
 * least recently used entries go.
 *
 * @module
 */

/** Largest value kept (UTF-16 code units × 2, an upper bound of its memory). */
export const MAX_CACHED_VALUE_BYTES = 64 * 1024;
/** Memory the cached keys and values may take together (same measure). */
export const MAX_CACHED_BYTES = 32 * 1024 * 1024;

/** Where a read started; pass it back to {@link KvValueCache.learn}. */
export interface ReadTicket {
  readonly epoch: number;
  readonly writes: number;
}

/** A write in progress; pass it back to {@link KvValueCache.endWrite} or {@link KvValueCache.failWrite}. */
export interface WriteTicket {
  readonly epoch: number;
  readonly writes: number;
  readonly store: string;
  /** The keys the write may change; undefined for every key of the store. */
  readonly keys: readonly string[] | undefined;
}

/** A cached value: the string, or null for a key known to be absent. */
type Known = string | null;

/** The KV value cache of one session's local database (see the module documentation). */
export class KvValueCache {
  readonly #epochNow: () => number;
  readonly #maxBytes: number;
  readonly #maxValueBytes: number;
  /** `store \0 key` → value, least recently used first. */
  readonly #entries = new Map<string, Known>();
  #bytes = 0;
  #epoch: number;
  /** Advanced when a write starts and when it ends. */
  #writes = 0;

  constructor(epochNow: () => number, limits: { maxBytes?: number; maxValueBytes?: number } = {}) {
    this.#epochNow = epochNow;
    this.#epoch = epochNow();
    this.#maxBytes = limits.maxBytes ?? MAX_CACHED_BYTES;
    this.#maxValueBytes = limits.maxValueBytes ?? MAX_CACHED_VALUE_BYTES;
  }

  /** Number of keys known (values and known absences). */
  get size(): number {
    this.#sync();
    return this.#entries.size;
  }

  /** The value of `key` in `store`: a string, null when known to be absent, undefined when unknown. */
  lookup(store: string, key: string): Known | undefined {
    this.#sync();
    const id = entryId(store, key);
    const value = this.#entries.get(id);
    if (value === undefined) return undefined;
    // Most recently used goes last.
    this.#entries.delete(id);
    this.#entries.set(id, value);
    return value;
  }

  /** Call before a read's statement runs. */
  beginRead(): ReadTicket {
    this.#sync();
    return { epoch: this.#epoch, writes: this.#writes };
  }

  /** Records what a read found (null: absent), unless anything changed since `ticket`. */
  learn(ticket: ReadTicket, store: string, key: string, value: Known): void {
    this.#sync();
    if (ticket.epoch !== this.#epoch || ticket.writes !== this.#writes) return;
    this.#put(entryId(store, key), value);
  }

  /** Call before a write's statements run; `keys` undefined means every key of `store` may change. */
  beginWrite(store: string, keys?: readonly string[]): WriteTicket {
    this.#sync();
    this.#writes += 1;
    this.#forget(store, keys);
    return { epoch: this.#epoch, writes: this.#writes, store, keys };
  }

  /**
   * Ends a write that succeeded; `values` are the new states of keys it changed (null: removed).
   * They are kept only when no other write started meanwhile; otherwise the keys are forgotten.
   */
  endWrite(ticket: WriteTicket, values: Iterable<readonly [string, Known]> = []): void {
    this.#sync();
    if (ticket.epoch === this.#epoch && ticket.writes === this.#writes) {
      for (const [key, value] of values) this.#put(entryId(ticket.store, key), value);
    } else {
      this.#forget(ticket.store, ticket.keys);
    }
    this.#writes += 1;
  }

  /** Ends a write that failed (it may or may not have changed its keys): forgets them. */
  failWrite(ticket: WriteTicket): void {
    this.#sync();
    this.#forget(ticket.store, ticket.keys);
    this.#writes += 1;
  }

  /** Forgets everything once the local database may have changed behind the cache's back. */
  #sync(): void {
    const epoch = this.#epochNow();
    if (epoch === this.#epoch) return;
    this.#epoch = epoch;
    this.#entries.clear();
    this.#bytes = 0;
  }

  #put(id: string, value: Known): void {
    this.#remove(id);
    const bytes = sizeOf(id, value);
    if (value !== null && 2 * value.length > this.#maxValueBytes) return;
    this.#entries.set(id, value);
    this.#bytes += bytes;
    for (const [oldest, oldValue] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= sizeOf(oldest, oldValue);
    }
  }

  #remove(id: string): void {
    const old = this.#entries.get(id);
    if (old === undefined) return;
    this.#entries.delete(id);
    this.#bytes -= sizeOf(id, old);
  }

  #forget(store: string, keys: readonly string[] | undefined): void {
    if (keys !== undefined) {
      for (const key of keys) this.#remove(entryId(store, key));
      return;
    }
    const prefix = entryId(store, "");
    for (const id of [...this.#entries.keys()]) {
      if (id.startsWith(prefix)) this.#remove(id);
    }
  }
}

function entryId(store: string, key: string): string {
  // Store names and keys never contain NUL (see validateKvName).
  return `${store}\u0000${key}`;
}

function sizeOf(id: string, value: Known): number {
  return 2 * (id.length + (value?.length ?? 0)) + 64;
}
