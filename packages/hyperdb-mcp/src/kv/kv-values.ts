/**
 * Sizes of KV values: the byte counts results report and the soft limit above which a write
 * succeeds with a warning (the KV store is meant for small scraps, not payloads).
 *
 * @module
 */

/** Values above this many UTF-8 bytes are stored with a warning. */
export const KV_SOFT_LIMIT_BYTES = 1_048_576;

/** The size of a value as stored, in UTF-8 bytes. */
export function valueBytes(value: string): number {
  return Buffer.byteLength(value, "utf8");
}

/** The warning for a value of `bytes` bytes, or undefined when it is within the soft limit. */
export function sizeWarning(bytes: number): string | undefined {
  if (bytes <= KV_SOFT_LIMIT_BYTES) {
    return undefined;
  }
  return `value is ${bytes} bytes (> ${KV_SOFT_LIMIT_BYTES} soft limit); the KV store is for small scraps — consider load_data or a real table for large payloads`;
}
