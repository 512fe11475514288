/**
 * Checking a path argument before anything reads it: it must be absolute
 * (`INVALID_ARGUMENT "<kind> path '…' must be absolute"`), and it is canonicalized (symlinks
 * resolved) so hyperd reads exactly the file that was checked; a path that does not resolve is
 * `FILE_NOT_FOUND`, one that may not be read `PERMISSION_DENIED`.
 *
 * @module
 */
import { realpath, stat } from "node:fs/promises";
import { isAbsolute } from "node:path";
import { IngestError, invalidArgument } from "./ingest-error.ts";

/** A checked input file. */
export interface InputFile {
  /** The canonical absolute path. */
  readonly path: string;
  /** Its size in bytes. */
  readonly size: number;
}

/** Whether `path` has a `..` segment (paths that climb out of where they point are refused). */
export function hasParentSegment(path: string): boolean {
  return path.split(/[\\/]/).includes("..");
}

/**
 * What is wrong with the shape of a path argument before anything touches it: not absolute, or
 * climbing with a `..` segment. `kind` names the path in the message (`Output`, `Database`).
 */
export function pathShapeProblem(path: string, kind: string): string | undefined {
  if (!isAbsolute(path)) return `${kind} path '${path}' must be absolute`;
  if (hasParentSegment(path)) return `${kind} path '${path}' must not contain '..' segments`;
  return undefined;
}

/** Throws unless `path` is absolute; `kind` names the path in the message (`Input`, `Output`). */
export function requireAbsolute(path: string, kind = "Input"): void {
  if (!isAbsolute(path)) {
    throw invalidArgument(
      `${kind} path '${path}' must be absolute`,
      "Pass an absolute path, e.g. /home/me/data.csv.",
    );
  }
}

/**
 * Checks and canonicalizes an input file path.
 * @throws IngestError INVALID_ARGUMENT (relative), FILE_NOT_FOUND (missing or a directory),
 *   PERMISSION_DENIED.
 */
export async function resolveInputFile(path: string, kind = "Input"): Promise<InputFile> {
  requireAbsolute(path, kind);
  let canonical: string;
  try {
    canonical = await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM") {
      throw new IngestError("PERMISSION_DENIED", `Cannot read '${path}': permission denied`);
    }
    throw new IngestError(
      "FILE_NOT_FOUND",
      `Cannot resolve '${path}': no such file`,
      "Check the path; it must be an absolute path to an existing file.",
    );
  }
  const info = await stat(canonical);
  if (info.isDirectory()) {
    throw new IngestError("FILE_NOT_FOUND", `'${path}' is a directory, not a file`);
  }
  return { path: canonical, size: info.size };
}
