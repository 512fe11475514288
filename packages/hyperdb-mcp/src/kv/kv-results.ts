/**
 * The results of the KV write tools, built from what the store reported.
 *
 * @module
 */
import type { KvSetManyIfAbsentResult, KvSetManyResult } from "@hyperdb-ts/hyperdb-api";
import { sizeWarning, valueBytes } from "./kv-values.ts";

/** A `kv_set` result: `existed` only when the guard skipped the write, `warning` only above the soft limit. */
export function setResult(
  store: string,
  key: string,
  value: string,
  outcome: { readonly stored: boolean; readonly created: boolean },
): Record<string, unknown> {
  const bytes = valueBytes(value);
  const warning = outcome.stored ? sizeWarning(bytes) : undefined;
  return {
    stored: outcome.stored,
    created: outcome.created,
    store,
    key,
    value_bytes: bytes,
    ...(outcome.stored ? {} : { existed: true }),
    ...(warning === undefined ? {} : { warning }),
  };
}

/** A `kv_set_many` entry. */
export interface KvBatchEntry {
  readonly key: string;
  readonly value: string;
}

/** Sizes of a batch: the total and the warnings of values above the soft limit. */
function batchSizes(entries: readonly KvBatchEntry[]): {
  total: number;
  warnings: { key: string; warning: string }[];
} {
  let total = 0;
  const warnings: { key: string; warning: string }[] = [];
  for (const entry of entries) {
    const bytes = valueBytes(entry.value);
    total += bytes;
    const warning = sizeWarning(bytes);
    if (warning !== undefined) warnings.push({ key: entry.key, warning });
  }
  return { total, warnings };
}

/** The `kv_set_many` result of an upsert batch (every entry counts as stored). */
export function setManyResult(
  entries: readonly KvBatchEntry[],
  outcome: KvSetManyResult,
): Record<string, unknown> {
  const { total, warnings } = batchSizes(entries);
  return {
    stored: entries.length,
    created: outcome.created,
    overwritten: outcome.overwritten,
    total_bytes: total,
    ...(warnings.length === 0 ? {} : { warnings }),
  };
}

/** The `kv_set_many` result of a guarded batch (`overwrite: false`): only new keys are stored. */
export function setManyIfAbsentResult(
  entries: readonly KvBatchEntry[],
  outcome: KvSetManyIfAbsentResult,
): Record<string, unknown> {
  return {
    stored: outcome.written,
    created: outcome.written,
    skipped: outcome.skipped,
    total_bytes: batchSizes(entries).total,
  };
}
