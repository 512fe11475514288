/**
 * The KV scratchpad tools: `kv_set` and `kv_set_many` (their own modules) and the readers and
 * removers here — `kv_get`, `kv_delete`, `kv_list`, `kv_list_stores`, `kv_size`, `kv_pop`,
 * `kv_clear`. Stores live in the table `_hyperdb_kv_store` of the routed database (hidden from
 * describe, but queryable). Every tool takes `database`/`persist`; every one needs a writable
 * target, since opening a store may create its table; the removers are refused under
 * `--read-only`, the readers are not.
 *
 * @module
 */
import type { KvStore } from "@hyperdb-ts/hyperdb-api";
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { keyArg, routingArgs, storeArg } from "../kv/kv-args.ts";
import {
  cacheFor,
  checkKvRequest,
  type KvRequest,
  kvResult,
  runKvWrite,
  runOnStore,
  runOnTarget,
} from "../kv/kv-call.ts";
import { KvStores } from "../kv/kv-stores.ts";
import { KvValueCache } from "../kv/kv-value-cache.ts";
import { registerKvSetTool } from "./kv-set.ts";
import { registerKvSetManyTool } from "./kv-set-many.ts";
import { lazy } from "./lazy-schema.ts";
import { registerTool } from "./register-tool.ts";
import type { ToolContext } from "./tool-context.ts";

const storeInput = lazy(() => z.object({ store: storeArg(), ...routingArgs() }));
const keyInput = lazy(() => z.object({ store: storeArg(), key: keyArg(), ...routingArgs() }));
const annotations = { openWorldHint: false } as const;
const reader = { ...annotations, readOnlyHint: true, idempotentHint: true } as const;
const remover = { ...annotations, readOnlyHint: false, destructiveHint: true } as const;

/**
 * Registers the nine KV tools on `server`; they share one session-wide set of open stores and
 * the value cache of the local database.
 */
export function registerKvTools(server: McpServer, context: ToolContext): void {
  const stores = new KvStores();
  const values = new KvValueCache(() => context.engine.localEpoch);
  registerKvSetTool(server, context, stores, values);
  registerKvSetManyTool(server, context, stores, values);
  const onStore = <T extends z.infer<ReturnType<typeof storeInput>>>(
    request: Omit<KvRequest, "store" | "database" | "persist">,
    args: T,
    signal: AbortSignal | undefined,
    work: (kv: KvStore) => Promise<Record<string, unknown>>,
  ): Promise<CallToolResult> => runStoreCall(context, stores, { ...request, ...args }, signal, work);
  /** A remover of `keys` of the store (all keys when undefined); `work` reports what it removed. */
  const removeFrom = <T extends z.infer<ReturnType<typeof storeInput>>>(
    tool: string,
    args: T,
    keys: readonly string[] | undefined,
    signal: AbortSignal | undefined,
    work: (kv: KvStore, removed: (key: string) => void) => Promise<Record<string, unknown>>,
  ): Promise<CallToolResult> => {
    const check = checkKvRequest(context, { tool, mutating: true, ...args, keys });
    if (!check.ok) return Promise.resolve(check.result);
    return runKvWrite(
      context,
      stores,
      values,
      check.target,
      signal,
      { store: args.store, keys },
      (kv, record) => work(kv, (key) => record(key, null)),
    );
  };

  registerTool(
    server,
    "kv_get",
    {
      title: "Get a KV value",
      description:
        'Reads the value of store + key from the KV scratchpad. Returns {found, value}; value is null when the key is absent (not an error), and "" is a stored value. Without database it reads the local database; pass "persistent" (or persist:true) or a writable attachment\'s alias to read elsewhere.',
      inputSchema: keyInput,
      outputSchema: () =>
        z.object({
          found: z.boolean(),
          value: z.string().nullable(),
          resolved_database: z.string(),
        }),
      annotations: reader,
    },
    async (args, ctx) => {
      const check = checkKvRequest(context, { tool: "kv_get", mutating: false, ...args, keys: [args.key] });
      if (!check.ok) return check.result;
      const cache = cacheFor(values, check.target);
      const known = cache?.lookup(args.store, args.key);
      if (known !== undefined) return kvResult(check.target, { found: known !== null, value: known });
      const ticket = cache?.beginRead();
      return runOnStore(context, stores, check.target, args.store, ctx.mcpReq.signal, async (kv) => {
        const value = (await kv.get(args.key)) ?? null;
        if (ticket !== undefined) cache?.learn(ticket, args.store, args.key, value);
        return { found: value !== null, value };
      });
    },
  );

  registerTool(
    server,
    "kv_delete",
    {
      title: "Delete a KV key",
      description:
        "Removes one key from a KV store. Returns {deleted, store, key}; deleted:false when the key was not there (not an error). Routing as in kv_get.",
      inputSchema: keyInput,
      outputSchema: () =>
        z.object({
          deleted: z.boolean(),
          store: z.string(),
          key: z.string(),
          resolved_database: z.string(),
        }),
      annotations: remover,
    },
    (args, ctx) =>
      removeFrom("kv_delete", args, [args.key], ctx.mcpReq.signal, async (kv, removed) => {
        const deleted = await kv.delete(args.key);
        removed(args.key);
        return { deleted, store: args.store, key: args.key };
      }),
  );

  registerTool(
    server,
    "kv_list",
    {
      title: "List a KV store",
      description:
        "Lists the keys of a KV store sorted ascending (byte order): {store, count, keys}. With values:true returns {store, entries:[{key, value}]} instead, to read a whole store in one call. Routing as in kv_get.",
      inputSchema: () =>
        storeInput().extend({
          values: z
            .boolean()
            .nullish()
            .describe("true: return entries (key and value) instead of keys. Default false."),
        }),
      outputSchema: () =>
        z.object({
          store: z.string(),
          count: z.number().int().optional(),
          keys: z.array(z.string()).optional(),
          entries: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
          resolved_database: z.string(),
        }),
      annotations: reader,
    },
    (args, ctx) =>
      onStore({ tool: "kv_list", mutating: false }, args, ctx.mcpReq.signal, async (kv) => {
        if (args.values === true) {
          const entries = await kv.entries();
          return { store: args.store, entries: entries.map(([key, value]) => ({ key, value })) };
        }
        const keys = await kv.keys();
        return { store: args.store, count: keys.length, keys };
      }),
  );

  registerTool(
    server,
    "kv_list_stores",
    {
      title: "List KV stores",
      description:
        "Lists the KV stores of a database that hold at least one key, sorted: {count, stores}. A store disappears with its last key; there is no registry. Routing as in kv_get.",
      inputSchema: () => z.object({ ...routingArgs() }),
      outputSchema: () =>
        z.object({
          count: z.number().int(),
          stores: z.array(z.string()),
          resolved_database: z.string(),
        }),
      annotations: reader,
    },
    async (args, ctx) => {
      const check = checkKvRequest(context, { tool: "kv_list_stores", mutating: false, ...args });
      if (!check.ok) return check.result;
      return runOnTarget(context, stores, check.target, ctx.mcpReq.signal, async (connection) => {
        const names = await stores.listStores(connection, check.target);
        return { count: names.length, stores: names };
      });
    },
  );

  registerTool(
    server,
    "kv_size",
    {
      title: "Size of a KV store",
      description:
        "Counts the keys of a KV store and the UTF-8 bytes of its values: {store, size, bytes} (0 and 0 for an empty store). Routing as in kv_get.",
      inputSchema: storeInput,
      outputSchema: () =>
        z.object({
          store: z.string(),
          size: z.number().int(),
          bytes: z.number().int(),
          resolved_database: z.string(),
        }),
      annotations: reader,
    },
    (args, ctx) =>
      onStore({ tool: "kv_size", mutating: false }, args, ctx.mcpReq.signal, async (kv) => ({
        store: args.store,
        size: await kv.size(),
        bytes: await kv.byteSize(),
      })),
  );

  registerTool(
    server,
    "kv_pop",
    {
      title: "Pop from a KV store",
      description:
        "Removes and returns the entry with the lowest key (byte order, not insertion order) in one atomic statement: {found:true, key, value}, or {found:false} for an empty store. A work queue for one session: two server processes popping one persistent store could both get an entry. Routing as in kv_get.",
      inputSchema: storeInput,
      outputSchema: () =>
        z.object({
          found: z.boolean(),
          key: z.string().optional(),
          value: z.string().optional(),
          resolved_database: z.string(),
        }),
      annotations: remover,
    },
    (args, ctx) =>
      removeFrom("kv_pop", args, undefined, ctx.mcpReq.signal, async (kv, removed) => {
        const entry = await kv.pop();
        if (entry === undefined) return { found: false };
        removed(entry.key);
        return { found: true, key: entry.key, value: entry.value };
      }),
  );

  registerTool(
    server,
    "kv_clear",
    {
      title: "Clear a KV store",
      description:
        "Removes every key of one KV store (other stores stay): {store, removed}. Routing as in kv_get.",
      inputSchema: storeInput,
      outputSchema: () =>
        z.object({ store: z.string(), removed: z.number().int(), resolved_database: z.string() }),
      annotations: remover,
    },
    (args, ctx) =>
      removeFrom("kv_clear", args, undefined, ctx.mcpReq.signal, async (kv) => ({
        store: args.store,
        removed: await kv.clear(),
      })),
  );
}

/** Checks a call on one store and runs `work` on that store. */
async function runStoreCall(
  context: ToolContext,
  stores: KvStores,
  request: KvRequest & { readonly store: string },
  signal: AbortSignal | undefined,
  work: (kv: KvStore) => Promise<Record<string, unknown>>,
): Promise<CallToolResult> {
  const check = checkKvRequest(context, request);
  if (!check.ok) return check.result;
  return runOnStore(context, stores, check.target, request.store, signal, work);
}
