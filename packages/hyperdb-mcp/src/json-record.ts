/**
 * JSON objects read from untrusted text (files, socket lines), with no dependency: the stdio
 * relay uses this before any of the server is loaded.
 *
 * @module
 */

/** A parsed JSON object. */
export type JsonRecord = Record<string, unknown>;

/** Whether `value` is a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses `text` as a JSON object; `undefined` when it is not JSON or not an object. */
export function parseJsonRecord(text: string): JsonRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isRecord(value) ? value : undefined;
}
