/**
 * Routing of the `database` / `persist` arguments of SQL tools.
 *
 * - `database` wins over `persist`; omitted, empty or `"local"` (any case) is the session's
 *   local database; `"persistent"` (any case) or `persist: true` alone is the persistent one.
 * - `persistent` under `--ephemeral-only` is `INVALID_ARGUMENT`.
 * - Any other name must be an alias of the session's attachments (`attach_database`), else
 *   `INVALID_ARGUMENT`; tools that write refuse an attachment made read-only.
 *
 * The result carries both the client-facing name (`resolved_database`) and the SQL alias the
 * database is attached under. {@link databasesFor} says which databases a call must have
 * attached: the target and whatever its SQL names.
 *
 * @module
 */
import type { Attachment, AttachmentRegistry } from "../engine/attachments.ts";
import {
  type Engine,
  LOCAL_ALIAS,
  LOCAL_DATABASE,
  mentionsPersistent,
  PERSISTENT_ALIAS,
} from "../engine/engine.ts";

/** A resolved database. */
export interface DatabaseTarget {
  /** The name reported as `resolved_database`: `local`, `persistent` or an alias. */
  readonly name: string;
  /** The alias of the database in SQL (`scratch` for local). */
  readonly alias: string;
  /** The attachment, when the target is one. */
  readonly attachment?: Attachment | undefined;
}

/** The outcome of {@link resolveDatabase}. */
export type ResolvedDatabase =
  | ({ readonly ok: true } & DatabaseTarget)
  | { readonly ok: false; readonly message: string };

/** What routing needs to know about the session and the tool. */
export interface RoutingContext {
  /** Whether the session has a persistent database (false under `--ephemeral-only`). */
  readonly hasPersistent: boolean;
  /** The session's attachments; none when omitted. */
  readonly attachments?: AttachmentRegistry | undefined;
  /** `write` refuses attachments made read-only. @default "read" */
  readonly access?: "read" | "write";
}

/** The local database as a target. */
export const LOCAL_TARGET: DatabaseTarget = { name: LOCAL_DATABASE, alias: LOCAL_ALIAS };

/** The routing context of a tool that reads (`read`) or writes (`write`) its target. */
export function routingOf(engine: Engine, access: "read" | "write"): RoutingContext {
  return { hasPersistent: engine.persistentPath !== null, attachments: engine.attachments, access };
}

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
  const attachment = routing.attachments?.get(name);
  if (attachment === undefined) {
    return {
      ok: false,
      message: `database '${database}' is not attached. Call attach_database first, or use "local" (the session's database) or "persistent".`,
    };
  }
  if (routing.access === "write" && !attachment.writable) {
    return {
      ok: false,
      message: `database '${attachment.alias}' was attached read-only. Re-attach it with writable:true (detach_database, then attach_database) to write to it.`,
    };
  }
  return { ok: true, name: attachment.alias, alias: attachment.alias, attachment };
}

/**
 * The databases a call on `target` must have attached (see `Engine.use`): the target itself,
 * plus the persistent database and attachments that the call's SQL names.
 */
export function databasesFor(
  engine: Engine,
  target: DatabaseTarget,
  sql: readonly string[] = [],
): { persistent: boolean; attach: string[] } {
  const attach = new Set<string>();
  if (target.attachment !== undefined) attach.add(target.attachment.alias);
  for (const text of sql) {
    for (const alias of engine.attachments.mentionedIn(text)) attach.add(alias);
  }
  return {
    persistent: target.alias === PERSISTENT_ALIAS || sql.some((text) => mentionsPersistent(text)),
    attach: [...attach],
  };
}
