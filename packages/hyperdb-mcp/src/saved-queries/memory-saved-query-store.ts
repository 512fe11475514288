/**
 * Saved queries kept in memory, for a server without a persistent database: they last as long
 * as the session's engine.
 *
 * @module
 */
import { byName, type SavedQuery, type SavedQueryStore } from "./saved-query-store.ts";

/** A {@link SavedQueryStore} backed by a map. */
export class MemorySavedQueryStore implements SavedQueryStore {
  readonly #queries = new Map<string, SavedQuery>();

  async save(query: SavedQuery): Promise<boolean> {
    if (this.#queries.has(query.name)) {
      return false;
    }
    this.#queries.set(query.name, query);
    return true;
  }

  async delete(name: string): Promise<boolean> {
    return this.#queries.delete(name);
  }

  async list(): Promise<SavedQuery[]> {
    return [...this.#queries.values()].sort(byName);
  }

  async get(name: string): Promise<SavedQuery | undefined> {
    return this.#queries.get(name);
  }
}
