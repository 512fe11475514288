/**
 * The `kv_set` tool: stores one value under a key, from `value` or from a file (`value_path`).
 *
 * - Exactly one of `value` and `value_path` (else `INVALID_ARGUMENT`); see `readValueFile` for
 *   the file's checks (absolute, canonicalized, at most 64 MiB checked before reading, UTF-8).
 * - `overwrite` (default true) upserts; `overwrite: false` writes only a new key and reports a
 *   skipped one as `stored: false, existed: true`.
 * - Values above 1 MiB are stored with a `warning`.
 *
 * @module
 */
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { keyArg, routingArgs, storeArg } from "../kv/kv-args.ts";
import { checkKvRequest, runKvWrite } from "../kv/kv-call.ts";
import { setResult } from "../kv/kv-results.ts";
import type { KvStores } from "../kv/kv-stores.ts";
import type { KvValueCache } from "../kv/kv-value-cache.ts";
import { readValueFile } from "../kv/value-file.ts";
import { lazy } from "./lazy-schema.ts";
import { registerTool } from "./register-tool.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";

/** The `kv_set` arguments. */
export const kvSetInputSchema = lazy(() =>
  z.object({
    store: storeArg(),
    key: keyArg(),
    value: z
      .string()
      .nullish()
      .describe('The value: any string, e.g. a JSON document ("" is a value too). Give value or value_path.'),
    value_path: z
      .string()
      .nullish()
      .describe(
        "Absolute path of a UTF-8 text file whose contents become the value, read by the server (at most 64 MiB; no sandbox). Give value or value_path.",
      ),
    overwrite: z
      .boolean()
      .nullish()
      .describe(
        "false: keep an existing value and report stored:false, existed:true. Default true (upsert).",
      ),
    ...routingArgs(),
  }),
);

/** The `kv_set` result. */
export const kvSetOutputSchema = lazy(() =>
  z.object({
    stored: z.boolean(),
    created: z.boolean(),
    store: z.string(),
    key: z.string(),
    value_bytes: z.number().int(),
    existed: z.boolean().optional(),
    warning: z.string().optional(),
    resolved_database: z.string(),
  }),
);

/** Registers `kv_set` on `server`. */
export function registerKvSetTool(
  server: McpServer,
  context: ToolContext,
  stores: KvStores,
  values: KvValueCache,
): void {
  registerTool(
    server,
    "kv_set",
    {
      title: "Set a KV value",
      description:
        'Key-value scratchpad: remembers a string (a note, a setting, a JSON document, a cursor) under store + key without creating a table. Without database the value lives in the session\'s local database and is LOST when the server stops; pass database:"persistent" (or persist:true) to keep it. Returns {stored, created, value_bytes}: created:false means an existing value was replaced. overwrite:false keeps an existing value (stored:false, existed:true). value_path stores the contents of a file instead of value. Values above 1 MiB are stored with a warning.',
      inputSchema: kvSetInputSchema,
      outputSchema: kvSetOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args, ctx) => runKvSet(context, stores, values, args, ctx.mcpReq.signal),
  );
}

/** Runs `kv_set`; exported for tests. */
export async function runKvSet(
  context: ToolContext,
  stores: KvStores,
  values: KvValueCache,
  args: z.infer<ReturnType<typeof kvSetInputSchema>>,
  signal?: AbortSignal,
): Promise<CallToolResult> {
  const check = checkKvRequest(context, { tool: "kv_set", mutating: true, ...args, keys: [args.key] });
  if (!check.ok) return check.result;
  const hasValue = args.value !== undefined && args.value !== null;
  const hasPath = args.value_path !== undefined && args.value_path !== null;
  if (hasValue === hasPath) {
    return toolError(
      "INVALID_ARGUMENT",
      hasValue
        ? "provide exactly one of `value` or `value_path`, not both"
        : "provide either `value` or `value_path`",
    );
  }
  let value = args.value ?? "";
  if (hasPath) {
    const file = await readValueFile(args.value_path ?? "");
    if (!file.ok) return toolError(file.code, file.message);
    value = file.value;
  }
  const overwrite = args.overwrite !== false;
  const write = { store: args.store, keys: [args.key] };
  return runKvWrite(context, stores, values, check.target, signal, write, async (kv, record) => {
    if (overwrite) {
      const created = await stores.upsert(kv, check.target, args.key, value);
      record(args.key, value);
      return setResult(args.store, args.key, value, { stored: true, created });
    }
    const stored = await kv.setIfAbsent(args.key, value);
    if (stored) record(args.key, value);
    return setResult(args.store, args.key, value, { stored, created: stored });
  });
}
