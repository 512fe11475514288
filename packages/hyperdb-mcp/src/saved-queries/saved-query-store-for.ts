/**
 * The saved-query store of a session: the persistent database's table when the session has a
 * persistent database, else an in-memory store. One store per engine, so every server instance
 * serving the same session (and its resources) sees the same queries.
 *
 * @module
 */
import type { Engine } from "../engine/engine.ts";
import { MemorySavedQueryStore } from "./memory-saved-query-store.ts";
import { PersistentSavedQueryStore } from "./persistent-saved-query-store.ts";
import type { SavedQueryStore } from "./saved-query-store.ts";

const stores = new WeakMap<Engine, SavedQueryStore>();

/** The store of `engine`'s session, created on first use. */
export function savedQueryStoreFor(engine: Engine): SavedQueryStore {
  let store = stores.get(engine);
  if (store === undefined) {
    store =
      engine.persistentPath === null ? new MemorySavedQueryStore() : new PersistentSavedQueryStore(engine);
    stores.set(engine, store);
  }
  return store;
}
