/**
 * The steps every KV tool shares: the `--read-only` guard of the mutating ones, routing of
 * `database`/`persist` (always as a write: opening a store may create its table, so read-only
 * attachments are refused even for readers), checking the store name and keys before the
 * engine is touched, and running the operation on a pooled connection with the target attached.
 * Successful results carry `resolved_database`.
 *
 * @module
 */
import { type Connection, InvalidArgumentError, type KvStore, validateKvName } from "@hyperdb-ts/hyperdb-api";
import type { CallToolResult } from "@modelcontextprotocol/server";
import { LOCAL_ALIAS } from "../engine/engine.ts";
import { errorResult } from "../tools/map-error.ts";
import { readOnlyViolation } from "../tools/read-only-guard.ts";
import { type DatabaseTarget, databasesFor, resolveDatabase, routingOf } from "../tools/resolve-database.ts";
import type { ToolContext } from "../tools/tool-context.ts";
import { toolError } from "../tools/tool-error.ts";
import { toolResult } from "../tools/tool-result.ts";
import type { KvStores } from "./kv-stores.ts";
import type { KvValueCache } from "./kv-value-cache.ts";

/** What a KV call asks for, before anything runs. */
export interface KvRequest {
  /** The tool's name, for the read-only refusal. */
  readonly tool: string;
  /** Whether the tool changes stores (refused under `--read-only`). */
  readonly mutating: boolean;
  readonly database?: string | null | undefined;
  readonly persist?: boolean | null | undefined;
  /** The store name, when the tool takes one. */
  readonly store?: string | undefined;
  /** The keys the tool takes. */
  readonly keys?: readonly string[] | undefined;
}

/** The outcome of {@link checkKvRequest}: the target, or the error result to return. */
export type KvCheck =
  | { readonly ok: true; readonly target: DatabaseTarget }
  | { readonly ok: false; readonly result: CallToolResult };

/** Guard, routing and name checks of a KV call; touches no database. */
export function checkKvRequest(context: ToolContext, request: KvRequest): KvCheck {
  if (request.mutating) {
    const refused = readOnlyViolation(context, request.tool);
    if (refused !== undefined) return { ok: false, result: refused };
  }
  const resolved = resolveDatabase(request.database, request.persist, routingOf(context.engine, "write"));
  if (!resolved.ok) {
    return { ok: false, result: toolError("INVALID_ARGUMENT", resolved.message) };
  }
  try {
    if (request.store !== undefined) validateKvName("store name", request.store);
    for (const key of request.keys ?? []) validateKvName("key", key);
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      return { ok: false, result: toolError("INVALID_ARGUMENT", error.message) };
    }
    throw error;
  }
  return { ok: true, target: resolved };
}

/** The value cache that applies to `target`: the session's for its local database, none elsewhere. */
export function cacheFor(cache: KvValueCache, target: DatabaseTarget): KvValueCache | undefined {
  return target.alias === LOCAL_ALIAS ? cache : undefined;
}

/** The payload of a KV tool with `resolved_database`, as its result. */
export function kvResult(target: DatabaseTarget, payload: Record<string, unknown>): CallToolResult {
  return toolResult({ ...payload, resolved_database: target.name });
}

/**
 * Runs a KV write on the store `write.store` of `target` like {@link runOnTarget}, keeping the
 * value cache right when `target` is the local database: the keys the write may change (every
 * key of the store when `write.keys` is undefined) are forgotten before it runs, and after it
 * succeeded the new values `work` reported through `record` (null: removed) are kept.
 */
export async function runKvWrite(
  context: ToolContext,
  stores: KvStores,
  values: KvValueCache,
  target: DatabaseTarget,
  signal: AbortSignal | undefined,
  write: { readonly store: string; readonly keys: readonly string[] | undefined },
  work: (
    kv: KvStore,
    record: (key: string, value: string | null) => void,
  ) => Promise<Record<string, unknown>>,
): Promise<CallToolResult> {
  const cache = cacheFor(values, target);
  const ticket = cache?.beginWrite(write.store, write.keys);
  const written = new Map<string, string | null>();
  const result = await runOnStore(context, stores, target, write.store, signal, (kv) => {
    written.clear();
    return work(kv, (key, value) => written.set(key, value));
  });
  if (ticket !== undefined) {
    if (result.isError === true) cache?.failWrite(ticket);
    else cache?.endWrite(ticket, written);
  }
  return result;
}

/**
 * Runs `work` on a pooled connection with `target` attached, in its turn (see
 * `KvStores.inTurn`), and returns its payload plus `resolved_database`; a thrown error becomes
 * the mapped error result. KV calls keep the value cache right themselves, so they do not
 * invalidate it (`cacheAware`).
 */
export async function runOnTarget(
  context: ToolContext,
  stores: KvStores,
  target: DatabaseTarget,
  signal: AbortSignal | undefined,
  work: (connection: Connection) => Promise<Record<string, unknown>>,
): Promise<CallToolResult> {
  try {
    const payload = await stores.inTurn(target, () =>
      context.engine.use(work, { signal, cacheAware: true, ...databasesFor(context.engine, target) }),
    );
    return kvResult(target, payload);
  } catch (error) {
    return errorResult(error);
  }
}

/** Runs `work` on the store `store` of `target`, as {@link runOnTarget} runs work on a connection. */
export function runOnStore(
  context: ToolContext,
  stores: KvStores,
  target: DatabaseTarget,
  store: string,
  signal: AbortSignal | undefined,
  work: (kv: KvStore) => Promise<Record<string, unknown>>,
): Promise<CallToolResult> {
  return runOnTarget(context, stores, target, signal, (connection) =>
    stores.withStore(connection, target, store, work),
  );
}
