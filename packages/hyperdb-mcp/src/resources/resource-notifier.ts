/**
 * Resource subscriptions of one MCP session and the change notifications they receive.
 *
 * - `resources/subscribe` adds the exact URI to the session's set (it need not exist yet, so a
 *   client can wait for a table it is about to load); `resources/unsubscribe` removes it.
 * - A change of local tables (see `TableEvents`) sends `notifications/resources/updated` for the
 *   subscribed URIs among workspace, tables, readme and the changed tables' schema, sample and
 *   csv-sample; a change that may add or drop tables or columns also sends one
 *   `notifications/resources/list_changed` (once per change, not once per subscribed URI).
 *   Saving a query changes the list; deleting one updates its two URIs and changes the list.
 * - `list_changed` goes to a session that subscribed to at least one URI. On the 2026-07-28
 *   protocol revision, subscriptions are `subscriptions/listen` streams that the SDK's entry
 *   filters itself, so there every notification is handed over unfiltered.
 * - Sending is fire-and-forget: a failed send is logged and never fails the tool that caused it.
 *
 * @module
 */
import type { McpServer } from "@modelcontextprotocol/server";
import { LOCAL_ALIAS } from "../engine/engine.ts";
import { errorMessage } from "../error-message.ts";
import type { TableChange } from "../server/table-events.ts";
import {
  QUERY_VIEWS,
  queryUri,
  README_URI,
  TABLE_VIEWS,
  TABLES_URI,
  tableUri,
  WORKSPACE_URI,
} from "./resource-uris.ts";

/** The first protocol revision whose subscriptions are served by the SDK entry. */
const LISTEN_ERA_REVISION = "2026-07-28";

/** What tools tell the resources about saved queries. */
export interface SavedQueryEvents {
  /** A query was saved under `name`. */
  querySaved(name: string): void;
  /** The query `name` was deleted (only called when it existed). */
  queryDeleted(name: string): void;
}

/** The subscriptions of one session and the notifications sent to it. */
export class ResourceNotifier implements SavedQueryEvents {
  readonly #server: McpServer;
  readonly #log: (line: string) => void;
  readonly #subscribed = new Set<string>();

  constructor(server: McpServer, log: (line: string) => void) {
    this.#server = server;
    this.#log = log;
  }

  subscribe(uri: string): void {
    this.#subscribed.add(uri);
  }

  unsubscribe(uri: string): void {
    this.#subscribed.delete(uri);
  }

  /** Announces a change of tables; only changes of the local database concern the resources. */
  tablesChanged(change: TableChange): void {
    if (change.target.alias !== LOCAL_ALIAS) {
      return;
    }
    const uris = [WORKSPACE_URI, TABLES_URI, README_URI];
    for (const table of change.tables) {
      for (const view of TABLE_VIEWS) {
        uris.push(tableUri(table, view));
      }
    }
    this.#announce(uris, change.listChanged);
  }

  querySaved(_name: string): void {
    this.#announce([README_URI], true);
  }

  queryDeleted(name: string): void {
    this.#announce([...QUERY_VIEWS.map((view) => queryUri(name, view)), README_URI], true);
  }

  #announce(uris: readonly string[], listChanged: boolean): void {
    if (!this.#server.isConnected()) {
      return;
    }
    const unfiltered = this.#servesListenEra();
    for (const uri of new Set(uris)) {
      if (unfiltered || this.#subscribed.has(uri)) {
        this.#send(`resources/updated ${uri}`, () => this.#server.server.sendResourceUpdated({ uri }));
      }
    }
    if (listChanged && (unfiltered || this.#subscribed.size > 0)) {
      this.#send("resources/list_changed", () => this.#server.server.sendResourceListChanged());
    }
  }

  #send(what: string, send: () => Promise<void>): void {
    send().catch((error: unknown) => this.#log(`sending ${what} failed: ${errorMessage(error)}`));
  }

  #servesListenEra(): boolean {
    // The accessor is deprecated for reading client identity, not for telling the era apart.
    const version = this.#server.server.getNegotiatedProtocolVersion();
    return version !== undefined && version >= LISTEN_ERA_REVISION;
  }
}
