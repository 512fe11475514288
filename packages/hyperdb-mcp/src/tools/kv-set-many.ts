/**
 * The `kv_set_many` tool: writes many keys of one store at once, all or nothing.
 *
 * - Empty `entries` is `INVALID_ARGUMENT`; every key is checked before anything is written, so
 *   one invalid key rejects the whole batch.
 * - The batch runs in one transaction (see `KvStore.setMany`). `overwrite` (default true)
 *   upserts and reports `{stored, created, overwritten, total_bytes, warnings?}`;
 *   `overwrite: false` writes only new keys and reports `{stored, created, skipped, total_bytes}`.
 *
 * @module
 */
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { keyArg, routingArgs, storeArg } from "../kv/kv-args.ts";
import { checkKvRequest, runKvWrite } from "../kv/kv-call.ts";
import { setManyIfAbsentResult, setManyResult } from "../kv/kv-results.ts";
import type { KvStores } from "../kv/kv-stores.ts";
import type { KvValueCache } from "../kv/kv-value-cache.ts";
import { lazy } from "./lazy-schema.ts";
import { registerTool } from "./register-tool.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";

/** The `kv_set_many` arguments. */
export const kvSetManyInputSchema = lazy(() =>
  z.object({
    store: storeArg(),
    entries: z
      .array(z.object({ key: keyArg(), value: z.string().describe("The value (any string).") }))
      .describe("The key/value pairs, written in one transaction; one invalid key rejects them all."),
    overwrite: z
      .boolean()
      .nullish()
      .describe("false: keep existing keys as they are (counted as skipped). Default true (upsert)."),
    ...routingArgs(),
  }),
);

/** The `kv_set_many` result (upsert or guarded shape). */
export const kvSetManyOutputSchema = lazy(() =>
  z.object({
    stored: z.number().int(),
    created: z.number().int(),
    overwritten: z.number().int().optional(),
    skipped: z.number().int().optional(),
    total_bytes: z.number().int(),
    warnings: z.array(z.object({ key: z.string(), warning: z.string() })).optional(),
    resolved_database: z.string(),
  }),
);

/** Registers `kv_set_many` on `server`. */
export function registerKvSetManyTool(
  server: McpServer,
  context: ToolContext,
  stores: KvStores,
  values: KvValueCache,
): void {
  registerTool(
    server,
    "kv_set_many",
    {
      title: "Set many KV values",
      description:
        "Writes several keys of one KV store atomically: all keys are checked first, so one invalid key writes nothing. Returns {stored, created, overwritten, total_bytes} (overwrite:true, the default) or {stored, created, skipped, total_bytes} (overwrite:false keeps existing keys). Empty entries is an error. Routing as in kv_set.",
      inputSchema: kvSetManyInputSchema,
      outputSchema: kvSetManyOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args, ctx) => runKvSetMany(context, stores, values, args, ctx.mcpReq.signal),
  );
}

/** Runs `kv_set_many`; exported for tests. */
export async function runKvSetMany(
  context: ToolContext,
  stores: KvStores,
  values: KvValueCache,
  args: z.infer<ReturnType<typeof kvSetManyInputSchema>>,
  signal?: AbortSignal,
): Promise<CallToolResult> {
  const check = checkKvRequest(context, {
    tool: "kv_set_many",
    mutating: true,
    ...args,
    keys: args.entries.map((entry) => entry.key),
  });
  if (!check.ok) return check.result;
  if (args.entries.length === 0) {
    return toolError("INVALID_ARGUMENT", "entries must not be empty");
  }
  const pairs = args.entries.map((entry): [string, string] => [entry.key, entry.value]);
  const keys = pairs.map(([key]) => key);
  // Which of a repeated key's values wins is the store's business; the cache then learns none.
  const learnable = args.overwrite !== false && new Set(keys).size === keys.length;
  const write = { store: args.store, keys };
  return runKvWrite(context, stores, values, check.target, signal, write, async (kv, record) => {
    if (args.overwrite === false) return setManyIfAbsentResult(args.entries, await kv.setManyIfAbsent(pairs));
    const result = setManyResult(args.entries, await kv.setMany(pairs));
    if (learnable) for (const [key, value] of pairs) record(key, value);
    return result;
  });
}
