/**
 * Saved queries kept in the persistent database, in the hidden table
 * `"persistent"."public"."_hyperdb_saved_queries"` (name, sql, description, created_at).
 *
 * - The table is created on the first save; reading before that finds no table and lists
 *   nothing, so reading never writes (a `--read-only` server only reads).
 * - A save is one `INSERT … SELECT … WHERE NOT EXISTS`, so two sessions saving the same name at
 *   once cannot both win.
 * - Every call attaches the persistent database only for its duration (see `Engine.use`), which
 *   is what puts committed rows on disk.
 *
 * @module
 */
import { Catalog, type Connection, HyperError, SqlState, sql, TableName } from "@hyperdb-ts/hyperdb-api";
import { type Engine, PERSISTENT_ALIAS } from "../engine/engine.ts";
import type { SavedQuery, SavedQueryStore } from "./saved-query-store.ts";

/** The hidden table saved queries live in. */
export const SAVED_QUERIES_TABLE = "_hyperdb_saved_queries";

const TABLE = sql.identifier(PERSISTENT_ALIAS, "public", SAVED_QUERIES_TABLE);

/** A {@link SavedQueryStore} in the persistent database of `engine`. */
export class PersistentSavedQueryStore implements SavedQueryStore {
  readonly #engine: Engine;

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  async save(query: SavedQuery): Promise<boolean> {
    return this.#use(async (connection) => {
      await ensureTable(connection);
      const inserted = await connection.execute(
        sql`INSERT INTO ${TABLE} (name, sql, description, created_at)
            SELECT CAST(${query.name} AS TEXT), CAST(${query.sql} AS TEXT), CAST(${query.description} AS TEXT),
                   CAST(${timestampText(query.created_at)} AS TIMESTAMP)
            WHERE NOT EXISTS (SELECT 1 FROM ${TABLE} WHERE name = CAST(${query.name} AS TEXT))`,
      );
      return inserted > 0;
    });
  }

  async delete(name: string): Promise<boolean> {
    return this.#use(async (connection) => {
      if (!(await tableExists(connection))) {
        return false;
      }
      return (await connection.execute(sql`DELETE FROM ${TABLE} WHERE name = CAST(${name} AS TEXT)`)) > 0;
    });
  }

  async list(): Promise<SavedQuery[]> {
    return this.#use(async (connection) => {
      if (!(await tableExists(connection))) {
        return [];
      }
      const rows = await connection.fetchAll<StoredRow>(
        sql`SELECT name, sql, description, CAST(created_at AS TEXT) AS created_at FROM ${TABLE} ORDER BY name`,
      );
      return rows.map(toSavedQuery);
    });
  }

  async get(name: string): Promise<SavedQuery | undefined> {
    return this.#use(async (connection) => {
      if (!(await tableExists(connection))) {
        return undefined;
      }
      const row = await connection.fetchOptional<StoredRow>(
        sql`SELECT name, sql, description, CAST(created_at AS TEXT) AS created_at FROM ${TABLE}
            WHERE name = CAST(${name} AS TEXT)`,
      );
      return row === undefined ? undefined : toSavedQuery(row);
    });
  }

  #use<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    return this.#engine.use(work, { persistent: true });
  }
}

/** A row as read back (the timestamp as Hyper's text, `2026-01-31 09:30:00.123`). */
interface StoredRow {
  readonly name: string;
  readonly sql: string;
  readonly description: string | null;
  readonly created_at: string;
}

function toSavedQuery(row: StoredRow): SavedQuery {
  return {
    name: row.name,
    sql: row.sql,
    description: row.description,
    created_at: rfc3339Of(row.created_at),
  };
}

/** `2026-01-31T09:30:00.123Z` → `2026-01-31 09:30:00.123` (a TIMESTAMP literal, UTC). */
export function timestampText(rfc3339: string): string {
  return rfc3339.replace("T", " ").replace(/Z$/, "");
}

/** `2026-01-31 09:30:00.123` (UTC) → `2026-01-31T09:30:00.123Z`; other text is kept. */
export function rfc3339Of(timestamp: string): string {
  const date = new Date(`${timestamp.replace(" ", "T")}Z`);
  return Number.isNaN(date.getTime()) ? timestamp : date.toISOString();
}

async function tableExists(connection: Connection): Promise<boolean> {
  return new Catalog(connection).hasTable(TableName.of(SAVED_QUERIES_TABLE, "public", PERSISTENT_ALIAS));
}

async function ensureTable(connection: Connection): Promise<void> {
  try {
    await connection.execute(
      sql`CREATE TABLE IF NOT EXISTS ${TABLE} (name TEXT NOT NULL, sql TEXT NOT NULL, description TEXT, created_at TIMESTAMP NOT NULL)`,
    );
  } catch (error) {
    // Another session created it between the check and the creation.
    if (!(error instanceof HyperError && error.sqlstate === SqlState.duplicateTable)) {
      throw error;
    }
  }
}
