/**
 * Saved queries: named read-only SQL a client stores once and reads again through the
 * `hyper://queries/{name}/…` resources.
 *
 * Two implementations share {@link SavedQueryStore}: one keeps the queries in a hidden table of
 * the persistent database (they outlive the session and are shared by every session on that
 * file), the other in memory for a server without a persistent database (`--ephemeral-only`).
 * Both refuse a second query of the same name and list by name.
 *
 * @module
 */

/** One saved query as clients see it. */
export interface SavedQuery {
  readonly name: string;
  readonly sql: string;
  readonly description: string | null;
  /** When it was saved, RFC 3339 in UTC with milliseconds (`2026-01-31T09:30:00.123Z`). */
  readonly created_at: string;
}

/** Where saved queries live. */
export interface SavedQueryStore {
  /** Stores `query`; false (and nothing stored) when a query of that name exists. */
  save(query: SavedQuery): Promise<boolean>;
  /** Removes the query `name`; whether it existed. */
  delete(name: string): Promise<boolean>;
  /** Every saved query, sorted by name. */
  list(): Promise<SavedQuery[]>;
  /** The query `name`, or undefined. */
  get(name: string): Promise<SavedQuery | undefined>;
}

/** `date` as the `created_at` of a saved query. */
export function createdAtOf(date: Date): string {
  return date.toISOString();
}

/** Orders saved queries by name (code-unit order, like a byte-wise ORDER BY of ASCII names). */
export function byName(a: SavedQuery, b: SavedQuery): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
