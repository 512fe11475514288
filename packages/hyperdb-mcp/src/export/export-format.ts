/**
 * The formats of the `export` tool and the `WITH (…)` options of its `COPY … TO` statement.
 *
 * - Row formats are written by hyperd with one `COPY (<select>) TO '<path>' WITH (…)`: `csv`
 *   (`format => 'csv', header => true`), `parquet`, `arrow_ipc` (hyperd's `arrowstream`: an Arrow
 *   IPC stream, which `load_file` reads back) and `iceberg` (a table directory). `hyper` copies
 *   whole tables into a new database file instead (see `export-hyper.ts`).
 * - `format_options` adds or overrides options: keys must look like SQL identifiers
 *   (`[A-Za-z_][A-Za-z0-9_]*`, matched case-insensitively against the base options), values are
 *   strings, booleans or finite numbers; anything else is `SCHEMA_MISMATCH`. A caller key
 *   replaces the base option of the same name (hyperd refuses an option given twice), and keys
 *   are quoted so option names that are SQL keywords (`null`) work.
 *
 * @module
 */
import { escapeIdentifier, escapeStringLiteral } from "@hyperdb-ts/hyperdb-api";

/** The formats `export` writes. */
export type ExportFormat = "csv" | "parquet" | "arrow_ipc" | "iceberg" | "hyper";

/** Every format, in the order the tool lists them. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "parquet", "arrow_ipc", "iceberg", "hyper"];

/** One `format_options` value. */
export type OptionValue = string | boolean | number;

/** A refused argument: the code and message of the tool error. */
export interface FormatProblem {
  readonly code: "UNSUPPORTED_FORMAT" | "SCHEMA_MISMATCH";
  readonly message: string;
  readonly suggestion?: string;
}

const OPTION_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The base options of each row format, as SQL literals. */
const BASE_OPTIONS: Readonly<Record<Exclude<ExportFormat, "hyper">, Readonly<Record<string, string>>>> = {
  csv: { format: "'csv'", header: "true" },
  parquet: { format: "'parquet'" },
  arrow_ipc: { format: "'arrowstream'" },
  iceberg: { format: "'iceberg'" },
};

/** The format named by `format` (any case), or the problem. */
export function parseExportFormat(format: string): ExportFormat | FormatProblem {
  const name = format.trim().toLowerCase();
  const found = EXPORT_FORMATS.find((candidate) => candidate === name);
  if (found !== undefined) return found;
  return {
    code: "UNSUPPORTED_FORMAT",
    message: `Unsupported export format '${format.slice(0, 100)}'`,
    suggestion: `Use one of: ${EXPORT_FORMATS.join(", ")}.`,
  };
}

/** Checks `format_options`: a map of identifier-like keys to scalar values. */
export function parseFormatOptions(options: unknown): Map<string, OptionValue> | FormatProblem {
  const parsed = new Map<string, OptionValue>();
  if (options === undefined || options === null) return parsed;
  if (typeof options !== "object" || Array.isArray(options)) {
    return mismatch("format_options must be an object mapping option names to values");
  }
  for (const [key, value] of Object.entries(options)) {
    if (!OPTION_KEY.test(key)) {
      return mismatch(
        `invalid format option name '${key.slice(0, 100)}': use letters, digits and underscores, not starting with a digit`,
      );
    }
    if (typeof value === "number" && !Number.isFinite(value)) {
      return mismatch(`format option '${key}' must be a finite number`);
    }
    if (typeof value !== "string" && typeof value !== "boolean" && typeof value !== "number") {
      return mismatch(`format option '${key}' must be a string, a boolean or a number`);
    }
    parsed.set(key.toLowerCase(), value);
  }
  return parsed;
}

/** `WITH (…)` of the `COPY … TO` of a row format: the base options, overridden by the caller's. */
export function copyOptionsSql(
  format: Exclude<ExportFormat, "hyper">,
  options: ReadonlyMap<string, OptionValue>,
): string {
  const merged = new Map<string, string>(Object.entries(BASE_OPTIONS[format]));
  for (const [key, value] of options) {
    merged.set(key, optionLiteral(value));
  }
  const items = [...merged].map(([key, literal]) => `${escapeIdentifier(key)} => ${literal}`);
  return `WITH (${items.join(", ")})`;
}

/** The statement that writes the rows of `select` to `path`. */
export function copyToSql(
  select: string,
  path: string,
  format: Exclude<ExportFormat, "hyper">,
  options: ReadonlyMap<string, OptionValue>,
): string {
  // Newlines around the query: a trailing `--` comment in it must not swallow the `)`.
  return `COPY (\n${select}\n) TO ${escapeStringLiteral(path)} ${copyOptionsSql(format, options)}`;
}

/** `SELECT 1;` → `SELECT 1`: a query embedded in another statement must not end in `;`. */
export function withoutTrailingSemicolons(sql: string): string {
  return sql.replace(/[\s;]+$/u, "");
}

function optionLiteral(value: OptionValue): string {
  if (typeof value === "string") return escapeStringLiteral(value);
  return String(value);
}

function mismatch(message: string): FormatProblem {
  return {
    code: "SCHEMA_MISMATCH",
    message,
    suggestion:
      'format_options is an object of scalar options, e.g. {"delimiter": ";"} for csv or {"codec": "zstd"} for parquet.',
  };
}
