/**
 * Routing of the `database` / `persist` arguments of SQL tools.
 *
 * - `database` wins over `persist`; omitted, empty or `"local"` (any case) is the session's
 *   local database; `"persistent"` (any case) or `persist: true` alone is the persistent one.
 * - `persistent` under `--ephemeral-only` is `INVALID_ARGUMENT`.
 * - Any other name is `INVALID_ARGUMENT` until attachments exist.
 *
 * The result carries both the client-facing name (`resolved_database`) and the SQL alias the
 * database is attached under on every pooled connection.
 *
 * @module
 */
import { LOCAL_ALIAS, LOCAL_DATABASE, PERSISTENT_ALIAS } from "../engine/engine.ts";

/** A resolved database. */
export interface DatabaseTarget {
  /** The name reported as `resolved_database`: `local`, `persistent` or an alias. */
  readonly name: string;
  /** The alias of the database in SQL (`scratch` for local). */
  readonly alias: string;
}

/** The outcome of {@link resolveDatabase}. */
export type ResolvedDatabase =
  | ({ readonly ok: true } & DatabaseTarget)
  | { readonly ok: false; readonly message: string };

/** What routing needs to know about the session. */
export interface RoutingContext {
  /** Whether the session has a persistent database (false under `--ephemeral-only`). */
  readonly hasPersistent: boolean;
}

/** The local database as a target. */
export const LOCAL_TARGET: DatabaseTarget = { name: LOCAL_DATABASE, alias: LOCAL_ALIAS };

/** Resolves a tool's `database` and `persist` arguments. */
export function resolveDatabase(
  database: string | null | undefined,
  persist?: boolean | null,
  routing: RoutingContext = { hasPersistent: false },
): ResolvedDatabase {
  const name = database?.trim().toLowerCase() ?? "";
  if (name === "" ? persist !== true : name === LOCAL_DATABASE) {
    return { ok: true, ...LOCAL_TARGET };
  }
  if (name === "" || name === PERSISTENT_ALIAS) {
    if (!routing.hasPersistent) {
      return {
        ok: false,
        message:
          "no persistent database in this session: the server was started with --ephemeral-only. Use the local database, or restart the server without --ephemeral-only.",
      };
    }
    return { ok: true, name: PERSISTENT_ALIAS, alias: PERSISTENT_ALIAS };
  }
  return {
    ok: false,
    message: `database '${database}' is not attached. Use "local" (the session's database) or "persistent".`,
  };
}
