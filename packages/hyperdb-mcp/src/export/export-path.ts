/**
 * Where an export goes: checking the output path, making room for it, and measuring what was
 * written.
 *
 * - The path must be absolute and must not contain a `..` segment (`INVALID_ARGUMENT`).
 * - An existing path with `overwrite: false` is `PERMISSION_DENIED`, for every format.
 * - With overwrite, an existing file is replaced. An Iceberg export writes a directory and
 *   hyperd adds to an existing one (which leaves two "latest" versions), so an existing target
 *   is removed first — but only a file, an empty directory or an Iceberg table directory (one
 *   with a `metadata/` folder): pointing an export at a folder of other files never deletes it.
 * - Missing parent folders are created.
 *
 * @module
 */

import { lstat, mkdir, readdir, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { IngestError, invalidArgument } from "../ingest/ingest-error.ts";
import { pathShapeProblem } from "../ingest/input-path.ts";
import type { ExportFormat } from "./export-format.ts";

/** Throws INVALID_ARGUMENT unless `path` is absolute and free of `..` segments. */
export function checkOutputPath(path: string): void {
  const problem = pathShapeProblem(path, "Output");
  if (problem !== undefined) {
    throw invalidArgument(problem, "Pass an absolute path without '..' segments, e.g. /tmp/out.csv.");
  }
}

/**
 * Makes room for the export of `format` at `path` (see the module documentation).
 * @throws IngestError PERMISSION_DENIED or INVALID_ARGUMENT.
 */
export async function prepareOutputPath(
  path: string,
  format: ExportFormat,
  overwrite: boolean,
): Promise<void> {
  const existing = await lstat(path).catch(() => undefined);
  if (existing !== undefined) {
    if (!overwrite) {
      throw new IngestError(
        "PERMISSION_DENIED",
        `'${path}' exists and overwrite is false`,
        "Pass overwrite: true to replace it, or choose another path.",
      );
    }
    if (existing.isDirectory()) {
      if (format !== "iceberg") {
        throw invalidArgument(`'${path}' is a directory; a ${format} export writes a file`);
      }
      if (!(await isReplaceableDirectory(path))) {
        throw invalidArgument(
          `'${path}' is a directory that is not an Iceberg table (no metadata/ folder); it is left alone`,
          "Export to a new or empty directory, or to an existing Iceberg table directory.",
        );
      }
      await rm(path, { recursive: true, force: true });
    } else if (format === "iceberg" || format === "hyper") {
      await rm(path, { force: true });
    }
  }
  await mkdir(dirname(path), { recursive: true });
}

/** The size of what was written: a file's size, or the sum of the files under a directory. */
export async function outputSize(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return 0;
  return info.isDirectory() ? directorySize(path) : info.size;
}

/** The sum of the sizes of the files under `dir` (symbolic links are not followed). */
async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await directorySize(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

async function isReplaceableDirectory(path: string): Promise<boolean> {
  const entries = await readdir(path);
  if (entries.length === 0) return true;
  const metadata = await stat(join(path, "metadata")).catch(() => undefined);
  return metadata?.isDirectory() === true;
}
