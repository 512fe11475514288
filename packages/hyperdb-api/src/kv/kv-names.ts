import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";

/** Longest store name or key a KV store accepts, in UTF-8 bytes. */
export const KV_NAME_MAX_BYTES = 512;

/** What a validated name is, for error messages. */
export type KvNameKind = "store name" | "key";

const ALLOWED = new Uint8Array(128);
for (const range of ["AZ", "az", "09", "__", "..", "--"]) {
  for (let code = range.charCodeAt(0); code <= range.charCodeAt(1); code++) ALLOWED[code] = 1;
}

/**
 * Checks a KV store name or key: non-empty, at most 512 UTF-8 bytes, and only ASCII
 * `A-Z a-z 0-9 _ . -`.
 * @throws InvalidArgumentError naming the first offending byte or the length in bytes.
 */
export function validateKvName(kind: KvNameKind, name: unknown): asserts name is string {
  if (typeof name !== "string") {
    throw new InvalidArgumentError(`invalid name: KV ${kind} must be a string, got ${describe(name)}`);
  }
  if (name.length === 0) throw new InvalidArgumentError(`invalid name: KV ${kind} must not be empty`);
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes > KV_NAME_MAX_BYTES) {
    throw new InvalidArgumentError(
      `invalid name: KV ${kind} exceeds ${KV_NAME_MAX_BYTES}-byte limit (${bytes} bytes)`,
    );
  }
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 128 && ALLOWED[code] === 1) continue;
    // Report the byte as stored (the first UTF-8 byte of a non-ASCII character).
    const byte = Buffer.from(name.slice(i, i + 2), "utf8")[0] ?? code;
    throw new InvalidArgumentError(
      `invalid name: KV ${kind} contains an invalid byte 0x${byte.toString(16).padStart(2, "0")}; allowed: A-Z a-z 0-9 _ . -`,
    );
  }
}

/**
 * Checks a KV value: any string, including "".
 * @throws InvalidArgumentError for anything else.
 */
export function validateKvValue(key: string, value: unknown): asserts value is string {
  if (typeof value !== "string") {
    throw new InvalidArgumentError(`the value of KV key ${key} must be a string, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  return value === null ? "null" : typeof value;
}
