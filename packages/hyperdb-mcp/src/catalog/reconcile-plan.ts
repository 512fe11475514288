/**
 * Planning a reconcile of a table catalog against the tables that exist: rows for tables nobody
 * tracked yet are added, rows of vanished tables are removed, row counts are refreshed, and a
 * rename (`ALTER TABLE … RENAME`) keeps its row.
 *
 * A rename shows up as one row whose table vanished and one live table nobody tracked. They are
 * taken for the same table when they are in the same database and have the same row count, and
 * that row count is unique among both the vanished rows and the new tables of that database, so
 * a guess is never made between candidates. The row keeps its prose under the new name.
 *
 * @module
 */

/** A table that exists. */
export interface LiveTable {
  readonly name: string;
  readonly rowCount: number;
  /** The database it is in (`local`, `persistent` or an alias). */
  readonly database: string;
}

/** A row of the catalog. */
export interface CatalogEntry {
  readonly name: string;
  readonly rowCount: number | null;
}

/** What to change. */
export interface ReconcilePlan {
  /** Tables to add a stub row for. */
  readonly add: LiveTable[];
  /** Rows to delete (their table vanished). */
  readonly remove: string[];
  /** Rows to rename in place. */
  readonly renames: { readonly from: string; readonly to: string; readonly rowCount: number }[];
  /** Rows whose row count changed. */
  readonly refresh: { readonly name: string; readonly rowCount: number }[];
}

/**
 * Plans a reconcile. Renames are looked for among the new tables of `renameIn` (the database
 * where DDL just ran). `databaseOf` says which database a vanished row's table was in when that
 * is known; rows it does not know are taken to be of `ownDatabase` (the one holding the catalog).
 */
export function planReconcile(
  entries: readonly CatalogEntry[],
  live: readonly LiveTable[],
  options: {
    readonly ownDatabase: string;
    readonly renameIn: string;
    readonly databaseOf?: (table: string) => string | undefined;
  },
): ReconcilePlan {
  const liveByName = new Map(live.map((table) => [table.name, table]));
  const tracked = new Set(entries.map((entry) => entry.name));
  const refresh: ReconcilePlan["refresh"] = [];
  const vanished: CatalogEntry[] = [];
  for (const entry of entries) {
    const table = liveByName.get(entry.name);
    if (table === undefined) vanished.push(entry);
    else if (table.rowCount !== entry.rowCount) refresh.push({ name: entry.name, rowCount: table.rowCount });
  }
  const fresh = live.filter((table) => !tracked.has(table.name));

  const renames: ReconcilePlan["renames"] = [];
  const newThere = fresh.filter((table) => table.database === options.renameIn);
  const goneThere = vanished.filter(
    (entry) => (options.databaseOf?.(entry.name) ?? options.ownDatabase) === options.renameIn,
  );
  for (const table of newThere) {
    const sameCountNew = newThere.filter((other) => other.rowCount === table.rowCount);
    const sameCountGone = goneThere.filter((entry) => entry.rowCount === table.rowCount);
    const [gone] = sameCountGone;
    if (sameCountNew.length === 1 && sameCountGone.length === 1 && gone !== undefined) {
      renames.push({ from: gone.name, to: table.name, rowCount: table.rowCount });
    }
  }
  const renamedFrom = new Set(renames.map((rename) => rename.from));
  const renamedTo = new Set(renames.map((rename) => rename.to));
  return {
    add: fresh.filter((table) => !renamedTo.has(table.name)),
    remove: vanished.filter((entry) => !renamedFrom.has(entry.name)).map((entry) => entry.name),
    renames,
    refresh,
  };
}
