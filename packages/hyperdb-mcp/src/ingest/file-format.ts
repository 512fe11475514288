/**
 * Which reader a file goes to. By extension first: `.parquet`/`.pq` Parquet,
 * `.arrow`/`.ipc`/`.feather` Arrow IPC, `.json`/`.jsonl`/`.ndjson` JSON. Otherwise the first
 * non-whitespace character of the first 4 KiB (a UTF-8 byte order mark skipped) decides: `[` or
 * `{` is JSON, anything else CSV; a file that cannot be read is CSV (its load reports the error).
 *
 * @module
 */
import { open } from "node:fs/promises";
import { extname } from "node:path";

/** The reader of a file. */
export type FileFormat = "csv" | "json" | "parquet" | "arrow_ipc";

/** Bytes looked at when the extension does not decide. */
export const SNIFF_BYTES = 4096;

const BY_EXTENSION: ReadonlyMap<string, FileFormat> = new Map([
  [".parquet", "parquet"],
  [".pq", "parquet"],
  [".arrow", "arrow_ipc"],
  [".ipc", "arrow_ipc"],
  [".feather", "arrow_ipc"],
  [".json", "json"],
  [".jsonl", "json"],
  [".ndjson", "json"],
]);

/** The format of `path` by its extension alone, or undefined. */
export function formatByExtension(path: string): FileFormat | undefined {
  return BY_EXTENSION.get(extname(path).toLowerCase());
}

/** The format of leading bytes: `[` / `{` after whitespace and a BOM is JSON, else CSV. */
export function sniffFormat(head: Uint8Array): FileFormat {
  let index = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (index < head.length) {
    const byte = head[index] as number;
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) {
      index += 1;
      continue;
    }
    return byte === 0x5b || byte === 0x7b ? "json" : "csv";
  }
  return "csv";
}

/** The first `length` bytes of a file (fewer for a short file). */
export async function readHead(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Detects the format of a file (see the module rules). */
export async function detectFileFormat(path: string): Promise<FileFormat> {
  const byExtension = formatByExtension(path);
  if (byExtension !== undefined) {
    return byExtension;
  }
  try {
    return sniffFormat(await readHead(path, SNIFF_BYTES));
  } catch {
    return "csv";
  }
}
