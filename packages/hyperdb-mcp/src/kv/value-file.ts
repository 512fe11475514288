/**
 * Reading the value of `kv_set` from a file (`value_path`): the path must be absolute, it is
 * canonicalized (symlinks resolved), its size is checked against the hard cap before anything
 * is read, and the contents must be UTF-8 text. There is no sandbox: any file the server
 * process may read can be stored.
 *
 * @module
 */

import type { Stats } from "node:fs";
import { open, realpath, stat } from "node:fs/promises";
import { isAbsolute } from "node:path";
import type { ToolErrorCode } from "../tools/tool-error.ts";

/** Files larger than this many bytes are refused without being read. */
export const KV_VALUE_FILE_MAX_BYTES = 67_108_864;

/** The outcome of {@link readValueFile}. */
export type ValueFile =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly code: ToolErrorCode; readonly message: string };

function refused(code: ToolErrorCode, message: string): ValueFile {
  return { ok: false, code, message };
}

function tooLarge(bytes: number): ValueFile {
  return refused(
    "INVALID_ARGUMENT",
    `value_path file is ${bytes} bytes (> ${KV_VALUE_FILE_MAX_BYTES} hard limit); the KV store is for small scraps — load large files into a table with load_file instead`,
  );
}

/** Reads the file `path` names as a KV value. */
export async function readValueFile(path: string): Promise<ValueFile> {
  if (!isAbsolute(path)) {
    return refused("INVALID_ARGUMENT", `value_path path '${path}' must be absolute`);
  }
  let canonical: string;
  try {
    canonical = await realpath(path);
    // Checked before opening: opening a FIFO blocks, and a device has no size to check.
    const problem = notAFile(path, await stat(canonical));
    if (problem !== undefined) return problem;
  } catch (error) {
    return fileError(path, error);
  }
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(canonical, "r");
  } catch (error) {
    return fileError(path, error);
  }
  try {
    // The size of the opened file itself, so the checked file is the one read.
    const info = await handle.stat();
    const problem = notAFile(path, info);
    if (problem !== undefined) return problem;
    if (info.size > KV_VALUE_FILE_MAX_BYTES) {
      return tooLarge(info.size);
    }
    const bytes = await handle.readFile();
    if (bytes.length > KV_VALUE_FILE_MAX_BYTES) {
      return tooLarge(bytes.length); // it grew after the check
    }
    try {
      return { ok: true, value: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
    } catch {
      return refused("INVALID_ARGUMENT", `value_path file '${path}' is not valid UTF-8 text`);
    }
  } catch (error) {
    return fileError(path, error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function notAFile(path: string, info: Stats): ValueFile | undefined {
  if (info.isFile()) return undefined;
  return refused(
    "INVALID_ARGUMENT",
    info.isDirectory()
      ? `value_path '${path}' is a directory, not a file`
      : `value_path '${path}' is not a regular file`,
  );
}

function fileError(path: string, error: unknown): ValueFile {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") {
    return refused("FILE_NOT_FOUND", `Cannot resolve value_path path '${path}': no such file or directory`);
  }
  if (code === "EACCES" || code === "EPERM") {
    return refused("PERMISSION_DENIED", `Cannot read value_path '${path}': permission denied`);
  }
  if (code === "EISDIR") {
    return refused("INVALID_ARGUMENT", `value_path '${path}' is a directory, not a file`);
  }
  return refused("INTERNAL_ERROR", `Cannot read value_path '${path}': ${(error as Error).message}`);
}
