/**
 * Announcements of changed tables, from the tools that change them to the parts of the server
 * that follow tables: resource subscriptions (`notifications/resources/updated`, `list_changed`)
 * and the table catalog (`_table_catalog` stubs and reconciling).
 *
 * A tool that loaded, created, altered or dropped tables awaits {@link TableEvents.emit} before
 * it answers, so a client that reads the catalog or a resource right after the call sees the
 * change. A failing listener is logged and never fails the tool.
 *
 * @module
 */
import { errorMessage } from "../error-message.ts";
import type { DatabaseTarget } from "../tools/resolve-database.ts";

/** What a loading tool did, for the catalog's stub row. */
export interface LoadRecord {
  /** The tool (`load_file`, `load_data`, `load_files`, `load_iceberg`, `copy_query`, `watch_directory`). */
  readonly tool: string;
  /** The arguments worth keeping to load the table again (JSON-safe), or null. */
  readonly params: Readonly<Record<string, unknown>> | null;
  /** Rows in the table after the load. */
  readonly rowCount: number | null;
}

/** One change of tables in one database. */
export interface TableChange {
  /** The database the tables are in. */
  readonly target: DatabaseTarget;
  /** The tables whose rows or schema changed (may be empty when unknown, e.g. after `execute`). */
  readonly tables: readonly string[];
  /** Whether the set of tables or a table's columns may have changed (create, drop, alter, replace). */
  readonly listChanged: boolean;
  /** Set when the change was a load of `tables` (one table). */
  readonly load?: LoadRecord | undefined;
  /** Set when the change came from DDL run by `execute`. */
  readonly ddl?: boolean | undefined;
}

/** A listener; may be async. */
export type TableChangeListener = (change: TableChange) => void | Promise<void>;

/** The server's table-change bus. */
export class TableEvents {
  readonly #listeners: TableChangeListener[] = [];
  readonly #log: (line: string) => void;

  constructor(log: (line: string) => void) {
    this.#log = log;
  }

  /** Adds a listener. */
  subscribe(listener: TableChangeListener): void {
    this.#listeners.push(listener);
  }

  /** Tells every listener; resolves when all are done (a failure is logged, never thrown). */
  async emit(change: TableChange): Promise<void> {
    await Promise.all(
      this.#listeners.map(async (listener) => {
        try {
          await listener(change);
        } catch (error) {
          this.#log(`a table-change listener failed: ${errorMessage(error)}`);
        }
      }),
    );
  }
}
