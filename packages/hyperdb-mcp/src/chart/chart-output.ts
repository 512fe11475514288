/**
 * Where a chart goes and in which format.
 *
 * - Format: the `format` argument (`png` or `svg`, any case; anything else is
 *   `UNSUPPORTED_FORMAT`) or the extension of `output_path` (`.png` / `.svg`; any other is
 *   `INVALID_ARGUMENT`); when both are given they must agree (`INVALID_ARGUMENT`); PNG when
 *   neither says.
 * - `output_path` must be absolute and must not contain a `..` segment (`INVALID_ARGUMENT`).
 * - Delivery: inline only by default; with `output_path` the file is written and the image is
 *   also returned unless `inline: false`; `inline: false` without a path writes to an automatic
 *   path `$TMPDIR/hyperdb-charts/chart-<nanoseconds>-<pid>-<n>.<ext>` (unique within and
 *   across processes).
 * - Writing creates missing parent folders; an existing file with `overwrite: false` is
 *   `PERMISSION_DENIED` (checked before the query runs and again, atomically, when writing).
 *
 * @module
 */

import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import { pathShapeProblem } from "../ingest/input-path.ts";
import type { ToolErrorCode } from "../tools/tool-error.ts";

/** The image formats. */
export type ChartFormat = "png" | "svg";

/** A refusal: the code and message of the tool error. */
export interface OutputFailure {
  readonly ok: false;
  readonly code: ToolErrorCode;
  readonly message: string;
  readonly suggestion?: string;
}

/** Where the chart goes. */
export interface ChartDelivery {
  readonly ok: true;
  readonly format: ChartFormat;
  /** Whether the image is returned in the result. */
  readonly inline: boolean;
  /** The file to write, if any (absolute). */
  readonly path: string | undefined;
  readonly overwrite: boolean;
}

/** The delivery arguments of the `chart` tool. */
export interface DeliveryArguments {
  readonly format?: string | null | undefined;
  readonly output_path?: string | null | undefined;
  readonly inline?: boolean | null | undefined;
  readonly overwrite?: boolean | null | undefined;
}

let autoPathCounter = 0;

/** Resolves format, path and inline delivery, checking the path rules (no file access). */
export function resolveDelivery(args: DeliveryArguments): ChartDelivery | OutputFailure {
  const explicitPath = args.output_path === null || args.output_path === "" ? undefined : args.output_path;
  const format = resolveFormat(args.format, explicitPath);
  if (!format.ok) {
    return format;
  }
  if (explicitPath !== undefined) {
    const pathFailure = checkOutputPath(explicitPath);
    if (pathFailure !== undefined) {
      return pathFailure;
    }
  }
  const inline = args.inline ?? true;
  const path = explicitPath ?? (inline ? undefined : autoChartPath(format.format));
  return { ok: true, format: format.format, inline, path, overwrite: args.overwrite ?? true };
}

/** The format from `format` and the path's extension. */
export function resolveFormat(
  format: string | null | undefined,
  path: string | undefined,
): { readonly ok: true; readonly format: ChartFormat } | OutputFailure {
  let requested: ChartFormat | undefined;
  if (format !== null && format !== undefined && format.trim() !== "") {
    const name = format.trim().toLowerCase();
    if (name !== "png" && name !== "svg") {
      return fail(
        "UNSUPPORTED_FORMAT",
        `Unsupported chart format '${format}'.`,
        'Use format "png" or "svg".',
      );
    }
    requested = name;
  }
  if (path === undefined) {
    return { ok: true, format: requested ?? "png" };
  }
  const extension = extname(path).toLowerCase();
  if (extension !== ".png" && extension !== ".svg") {
    return fail(
      "INVALID_ARGUMENT",
      `output_path '${path}' must end in .png or .svg.`,
      "Name the file with a .png or .svg extension matching the format.",
    );
  }
  const fromPath: ChartFormat = extension === ".png" ? "png" : "svg";
  if (requested !== undefined && requested !== fromPath) {
    return fail(
      "INVALID_ARGUMENT",
      `format '${requested}' does not match the extension of output_path '${path}'.`,
      "Make the format and the file extension agree, or leave format out.",
    );
  }
  return { ok: true, format: fromPath };
}

/** Why an output path is refused, if it is. */
export function checkOutputPath(path: string): OutputFailure | undefined {
  const problem = pathShapeProblem(path, "Output");
  return problem === undefined ? undefined : fail("INVALID_ARGUMENT", problem);
}

/** A fresh file path under `$TMPDIR/hyperdb-charts/`. */
export function autoChartPath(format: ChartFormat): string {
  autoPathCounter += 1;
  const nanos = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  return join(tmpdir(), "hyperdb-charts", `chart-${nanos}-${process.pid}-${autoPathCounter}.${format}`);
}

/** The refusal for an existing file that must not be overwritten. */
export function existingFileFailure(path: string): OutputFailure {
  return fail(
    "PERMISSION_DENIED",
    `output file '${path}' already exists and overwrite is false.`,
    "Choose another output_path, or pass overwrite: true to replace the file.",
  );
}

/** Refuses an existing file up front when it must not be overwritten. */
export function checkOverwrite(delivery: ChartDelivery): OutputFailure | undefined {
  if (delivery.path !== undefined && !delivery.overwrite && existsSync(delivery.path)) {
    return existingFileFailure(delivery.path);
  }
  return undefined;
}

/**
 * Writes the chart file, creating parent folders. Without overwrite the file is created
 * exclusively, so a file that appeared meanwhile is refused, not replaced. Other file-system
 * errors are thrown.
 */
export async function writeChartFile(
  path: string,
  bytes: Uint8Array,
  overwrite: boolean,
): Promise<OutputFailure | undefined> {
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, bytes, { flag: overwrite ? "w" : "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      return existingFileFailure(path);
    }
    throw error;
  }
  return undefined;
}

function fail(code: ToolErrorCode, message: string, suggestion?: string): OutputFailure {
  return suggestion === undefined ? { ok: false, code, message } : { ok: false, code, message, suggestion };
}
