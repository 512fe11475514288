/**
 * The steps every KV tool shares: the `--read-only` guard of the mutating ones, routing of
 * `database`/`persist` (always as a write: opening a store may create its table, so read-only
 * attachments are refused even for readers), checking the store name and keys before the
 * engine is touched, and running the operation on a pooled connection with the target attached.
 * Successful results carry `resolved_database`.
 *
 * @module
 */
import { type Connection, InvalidArgumentError, validateKvName } from "@hyperdb-ts/hyperdb-api";
import type { CallToolResult } from "@modelcontextprotocol/server";
import { errorResult } from "../tools/map-error.ts";
import { readOnlyViolation } from "../tools/read-only-guard.ts";
import { type DatabaseTarget, databasesFor, resolveDatabase, routingOf } from "../tools/resolve-database.ts";
import type { ToolContext } from "../tools/tool-context.ts";
import { toolError } from "../tools/tool-error.ts";
import { toolResult } from "../tools/tool-result.ts";

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

/**
 * Runs `work` on a pooled connection with `target` attached and returns its payload plus
 * `resolved_database`; a thrown error becomes the mapped error result.
 */
export async function runOnTarget(
  context: ToolContext,
  target: DatabaseTarget,
  signal: AbortSignal | undefined,
  work: (connection: Connection) => Promise<Record<string, unknown>>,
): Promise<CallToolResult> {
  try {
    const payload = await context.engine.use(work, { signal, ...databasesFor(context.engine, target) });
    return toolResult({ ...payload, resolved_database: target.name });
  } catch (error) {
    return errorResult(error);
  }
}
