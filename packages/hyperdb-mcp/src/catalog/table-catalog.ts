/**
 * The table catalogs of one session: where each database's `_table_catalog` lives, keeping it
 * current as tables change, and the writes of `set_table_metadata`.
 *
 * - Each database has its own catalog: the local database (the session's tables, gone with the
 *   session), the persistent database and each writable attachment. Read-only attachments have
 *   none. (The upstream keeps the rows of local tables in the persistent file, so every load
 *   wrote to the file all sessions share; concurrent writes to one database from several
 *   sessions crashed hyperd 9.1 under load. Here a load writes only to its own database.)
 * - After a load (a table-change event with `load`), the table's row gets its mechanical fields
 *   (a stub: tool, parameters, row count, refresh time, client); a new row is inserted as loaded
 *   now. Prose fields are never touched by stubs.
 * - After DDL (an event with `ddl`), the catalog is reconciled with the tables that exist (see
 *   `reconcile-plan.ts`).
 * - The catalogs of the local and persistent databases are created when missing by a load, DDL or
 *   `set_table_metadata`; an attachment's by the first load into it or `set_table_metadata`
 *   on one of its tables (DDL alone never adds a table to an attached file). A load or
 *   `set_table_metadata` re-creates a catalog the user dropped. The first use
 *   in a session also reconciles, so tables made by earlier sessions or other clients get rows
 *   and rows of vanished tables go; after that a reconcile runs only after DDL.
 * - Catalog work runs one operation at a time per catalog (a load of many files does not race
 *   its own stubs) on a pooled connection holding the catalog's database for the call. A
 *   failing stub or reconcile is logged; it never fails the tool that changed the table.
 * - A `--read-only` server never creates or changes a catalog.
 *
 * @module
 */
import { Catalog, type Connection } from "@hyperdb-ts/hyperdb-api";
import {
  type Engine,
  LOCAL_ALIAS,
  LOCAL_DATABASE,
  PERSISTENT_ALIAS,
  type UseOptions,
} from "../engine/engine.ts";
import { qualifiedTable } from "../engine/search-path.ts";
import { errorMessage } from "../error-message.ts";
import { KeyedQueue } from "../keyed-queue.ts";
import type { TableChange } from "../server/table-events.ts";
import { isListedTable } from "../tools/describe.ts";
import type { DatabaseTarget } from "../tools/resolve-database.ts";
import {
  type CatalogRow,
  catalogEntries,
  deleteEntry,
  ensureCatalog,
  hasCatalog,
  type ProseField,
  readEntry,
  renameEntry,
  setProse,
  setRowCount,
  upsertStub,
} from "./catalog-table.ts";
import { countRows } from "./count-rows.ts";
import { type LiveTable, planReconcile } from "./reconcile-plan.ts";

/** Where one catalog lives. */
export interface CatalogLocation {
  /** Identifies the catalog within the session (an attachment by alias and file). */
  readonly key: string;
  /** SQL alias of the database holding the catalog. */
  readonly alias: string;
  /** The database's client-facing name (`local`, `persistent` or the alias). */
  readonly database: string;
  /** Whether DDL alone may create the catalog (not for attached files). */
  readonly createOnDdl: boolean;
  /** What a call must attach to reach it. */
  readonly use: UseOptions;
}

/** Options of {@link TableCatalog}. */
export interface TableCatalogOptions {
  readonly engine: Engine;
  /** A read-only server keeps no catalog. */
  readonly readOnly: boolean;
  readonly log: (line: string) => void;
  /** The connected client as "name version" (written to created_by / last_modified_by). */
  readonly client: () => string;
}

/** The outcome of {@link TableCatalog.setMetadata}. */
export type SetMetadataOutcome =
  | { readonly kind: "updated"; readonly row: CatalogRow }
  | { readonly kind: "not-found" }
  | { readonly kind: "no-catalog" };

/** The catalogs of one session (see the module documentation). */
export class TableCatalog {
  readonly #options: TableCatalogOptions;
  /** Catalogs created and reconciled in this session. */
  readonly #ready = new Set<string>();
  /** Catalog work queued per catalog. */
  readonly #queues = new KeyedQueue();

  constructor(options: TableCatalogOptions) {
    this.#options = options;
  }

  /** Where the catalog of `target` lives, or undefined when it has none. */
  locate(target: DatabaseTarget): CatalogLocation | undefined {
    const attachment = target.attachment;
    if (attachment !== undefined) {
      if (!attachment.writable) return undefined;
      return {
        key: `${attachment.alias}\n${attachment.path}`,
        alias: attachment.alias,
        database: attachment.alias,
        createOnDdl: false,
        use: { attach: [attachment.alias] },
      };
    }
    if (target.alias === PERSISTENT_ALIAS) {
      if (this.#options.engine.persistentPath === null) return undefined;
      return {
        key: PERSISTENT_ALIAS,
        alias: PERSISTENT_ALIAS,
        database: PERSISTENT_ALIAS,
        createOnDdl: true,
        use: { persistent: true },
      };
    }
    return { key: LOCAL_DATABASE, alias: LOCAL_ALIAS, database: LOCAL_DATABASE, createOnDdl: true, use: {} };
  }

  /** The table-change listener: stubs after loads, reconciles after DDL; never throws. */
  readonly onTableChange = async (change: TableChange): Promise<void> => {
    if (this.#options.readOnly || (change.load === undefined && change.ddl !== true)) return;
    const location = this.locate(change.target);
    if (location === undefined) return;
    try {
      await this.#serially(location, (connection) =>
        change.load === undefined
          ? this.#afterDdl(connection, location, change.target)
          : this.#stub(connection, location, change),
      );
    } catch (error) {
      this.#options.log(`table catalog (${location.alias}): ${errorMessage(error)}`);
    }
  };

  /**
   * Sets prose fields of `table`'s row in the catalog of `target` (null clears a field).
   * @throws what the engine throws (the caller maps it to an error result).
   */
  async setMetadata(
    target: DatabaseTarget,
    table: string,
    fields: Partial<Record<ProseField, string | null>>,
  ): Promise<SetMetadataOutcome> {
    const location = this.locate(target);
    if (location === undefined || this.#options.readOnly) return { kind: "no-catalog" };
    return this.#serially(location, async (connection): Promise<SetMetadataOutcome> => {
      const ready = this.#ready.has(location.key);
      // Asking to describe a table that exists is reason enough to give its database a catalog.
      const present = await this.#prepare(connection, location, {
        create: await tableExists(connection, target.alias, table),
        reconcile: !ready,
      });
      if (!present) return { kind: "not-found" };
      let found = await setProse(connection, location.alias, table, fields);
      if (!found && (await this.#trackIfLive(connection, location, target, table))) {
        found = await setProse(connection, location.alias, table, fields);
      }
      if (!found) return { kind: "not-found" };
      const row = await readEntry(connection, location.alias, table);
      return row === undefined ? { kind: "not-found" } : { kind: "updated", row };
    });
  }

  /** Runs `work` on a connection holding the catalog's database, after earlier work on it. */
  #serially<T>(location: CatalogLocation, work: (connection: Connection) => Promise<T>): Promise<T> {
    return this.#queues.run(location.key, () => this.#options.engine.use(work, location.use));
  }

  /**
   * Makes the catalog ready for work: creates it when missing and `create` is set (else reports
   * that there is none), brings an older layout up to date once per session, and reconciles it
   * when asked (always on its first use in the session). Resolves with whether it exists.
   */
  async #prepare(
    connection: Connection,
    location: CatalogLocation,
    options: { readonly create: boolean; readonly reconcile: boolean; readonly changed?: DatabaseTarget },
  ): Promise<boolean> {
    const ready = this.#ready.has(location.key);
    if (await hasCatalog(connection, location.alias)) {
      if (!ready) await ensureCatalog(connection, location.alias);
    } else if (options.create) {
      await ensureCatalog(connection, location.alias);
    } else {
      return false;
    }
    if (options.reconcile || !ready) {
      await this.#reconcile(connection, location, options.changed);
      this.#ready.add(location.key);
    }
    return true;
  }

  /**
   * After DDL: reconciles the catalog, creating the local or persistent one when missing; an
   * attachment gets one by its first load, so SQL alone never adds a table to a file.
   */
  async #afterDdl(connection: Connection, location: CatalogLocation, changed: DatabaseTarget): Promise<void> {
    await this.#prepare(connection, location, {
      create: location.createOnDdl && !this.#ready.has(location.key),
      reconcile: true,
      changed,
    });
  }

  async #stub(connection: Connection, location: CatalogLocation, change: TableChange): Promise<void> {
    const load = change.load;
    const [table] = change.tables;
    if (load === undefined || table === undefined) return;
    await this.#prepare(connection, location, { create: true, reconcile: false });
    const rowCount =
      load.rowCount ?? (await countRows(connection, qualifiedTable(change.target.alias, table)));
    await upsertStub(connection, location.alias, table, {
      loadTool: load.tool,
      loadParams: load.params === null ? null : JSON.stringify(load.params),
      rowCount,
      client: this.#options.client(),
    });
  }

  /** Adds a stub for `table` when it exists in `target` but has no row (made by SQL, say). */
  async #trackIfLive(
    connection: Connection,
    location: CatalogLocation,
    target: DatabaseTarget,
    table: string,
  ): Promise<boolean> {
    if (!isListedTable(table) || !(await tableExists(connection, target.alias, table))) {
      return false;
    }
    await upsertStub(connection, location.alias, table, {
      loadTool: "unknown",
      loadParams: null,
      rowCount: await countRows(connection, qualifiedTable(target.alias, table)),
      client: this.#options.client(),
    });
    return true;
  }

  /**
   * Reconciles the catalog with the tables that exist. `changed` is where DDL just ran: a rename
   * is matched there (else in the catalog's own database).
   */
  async #reconcile(
    connection: Connection,
    location: CatalogLocation,
    changed: DatabaseTarget | undefined,
  ): Promise<void> {
    const live = await liveTables(connection, location.alias, location.database);
    const entries = await catalogEntries(connection, location.alias);
    const plan = planReconcile(entries, live, {
      ownDatabase: location.database,
      renameIn: changed?.name ?? location.database,
    });
    const client = this.#options.client();
    await connection.transaction(async () => {
      for (const rename of plan.renames) {
        await renameEntry(connection, location.alias, rename.from, rename.to);
        await setRowCount(connection, location.alias, rename.to, rename.rowCount);
      }
      for (const name of plan.remove) {
        await deleteEntry(connection, location.alias, name);
      }
      for (const table of plan.add) {
        await upsertStub(connection, location.alias, table.name, {
          loadTool: "unknown",
          loadParams: null,
          rowCount: table.rowCount,
          client,
        });
      }
      for (const refresh of plan.refresh) {
        await setRowCount(connection, location.alias, refresh.name, refresh.rowCount);
      }
    });
  }
}

/** The user tables of the database attached as `alias`, with row counts, reported as `database`. */
async function liveTables(connection: Connection, alias: string, database: string): Promise<LiveTable[]> {
  const names = await new Catalog(connection).tableNames("public", alias);
  const tables: LiveTable[] = [];
  for (const { table } of names) {
    if (!isListedTable(table)) continue;
    tables.push({
      name: table,
      rowCount: await countRows(connection, qualifiedTable(alias, table)),
      database,
    });
  }
  return tables;
}

async function tableExists(connection: Connection, alias: string, table: string): Promise<boolean> {
  const names = await new Catalog(connection).tableNames("public", alias);
  return names.some((name) => name.table === table);
}
