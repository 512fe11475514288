/**
 * Translation of thrown errors into the tool error envelope, so every tool reports the same
 * failure the same way and an LLM gets a code it can branch on plus a hint it can act on.
 *
 * - `HyperError` (hyperd refused the statement): the message keeps the SQLSTATE as
 *   `server error (42P01): ERROR: … (42P01)`. SQLSTATE first, then message sniffing:
 *   22003 or "overflow"/"out of range" text ⇒ `SCHEMA_MISMATCH` (widen the column type);
 *   22P02 or "invalid input syntax" ⇒ `SCHEMA_MISMATCH` (load the column as TEXT);
 *   0A000 ⇒ `SQL_ERROR` with a `::json` hint for JSON features, a one-statement-per-call hint for
 *   multi-part queries; 42601 ⇒ `SQL_ERROR`, the `::json` hint only for structured-data/JSON
 *   messages; 53100 ⇒ `DISK_FULL`; session-ending states (08xxx, 57P0x) ⇒ `CONNECTION_LOST`;
 *   everything else (also 55006 "object in use") ⇒ `SQL_ERROR`. A missing table stays
 *   `SQL_ERROR` here: only describe/sample translate it to `TABLE_NOT_FOUND`.
 * - {@link DatabaseBusyError} (the persistent file stayed locked by another process through the
 *   attach retries) ⇒ `RESOURCE_BUSY`, keeping the path and hyperd's diagnostic; this is the only
 *   way to `RESOURCE_BUSY` from a 55006.
 * - `PoolTimeoutError` (every pooled connection stayed busy) ⇒ `RESOURCE_BUSY`.
 * - Lost, closed, refused or desynchronised connections ⇒ `CONNECTION_LOST` (the engine
 *   reconnects on the next call).
 * - hyperdb-api `NotFoundError` ⇒ `FILE_NOT_FOUND`, `InvalidArgumentError` ⇒ `INVALID_ARGUMENT`,
 *   hyperd missing ⇒ `HYPERD_NOT_FOUND`.
 * - Node file-system errors: ENOENT ⇒ `FILE_NOT_FOUND`, EACCES/EPERM ⇒ `PERMISSION_DENIED`,
 *   ENOSPC/EDQUOT ⇒ `DISK_FULL`.
 * - anything else ⇒ `INTERNAL_ERROR` with the error's message.
 *
 * @module
 */
import {
  HyperdNotFoundError,
  HyperdStartError,
  HyperError,
  InvalidArgumentError,
  NotFoundError,
  PoolTimeoutError,
  ProtocolError,
} from "@hyperdb-ts/hyperdb-api";
import type { CallToolResult } from "@modelcontextprotocol/server";
import { DatabaseBusyError } from "../engine/database-busy-error.ts";
import { isConnectionBroken } from "../engine/session-engine.ts";
import { errorMessage } from "../error-message.ts";
import { type ToolErrorCode, toolError } from "./tool-error.ts";

/** A thrown error as the tools report it. */
export interface MappedError {
  readonly code: ToolErrorCode;
  readonly message: string;
  /** A specific hint; when undefined the code's default suggestion applies. */
  readonly suggestion?: string | undefined;
}

/** Hint for values that do not fit the inferred column type. */
export const WIDEN_SUGGESTION =
  'A value does not fit its column type (numeric overflow). Widen the column with a partial schema override (e.g. schema: {"col": "BIGINT"}, "NUMERIC(38,0)" or "DOUBLE PRECISION"), or call inspect_file to see the inferred types and value ranges first.';

/** Hint for text that cannot be parsed as the column type. */
export const TEXT_SUGGESTION =
  'A value could not be parsed as its column type. Force the column to TEXT with a partial schema override (e.g. schema: {"col": "TEXT"}) and cast in SQL later, or call inspect_file to see the inferred types.';

/** Hint for JSON access that Hyper does not support directly. */
export const JSON_SUGGESTION =
  "Hyper stores JSON as TEXT: cast before using JSON operators, e.g. value::json ->> 'field' (text) or (value::json -> 'a') ->> 'b' for nested fields; JSON_VALUE and JSON path functions are not available.";

/** Hint for several statements sent in one call. */
export const ONE_STATEMENT_SUGGESTION =
  "Hyper runs one statement per call (multi-part queries are disabled). Split the text at the semicolons: one statement per query call, or one statement per element of execute's sql array.";

/** Hint when the persistent database file is locked by another process. */
export const DATABASE_BUSY_SUGGESTION =
  "Another process (a Tableau product, another hyperd or a hyperdb-mcp started with --no-daemon) holds the database file. Run `hyperdb-mcp doctor` to find out which, close it or point --persistent-db at another file, then retry.";

/** Hint when every pooled connection stayed busy. */
export const POOL_BUSY_SUGGESTION =
  "Too many tool calls are running at once; wait for the running calls to finish (or cancel them), then retry.";

const CONNECTION_LOST_STATES = new Set(["57P01", "57P02", "57P03"]);
const JSON_TEXT = /\bjson|structured data/i;
const MULTI_PART_TEXT = /multi-part|multiple statements/i;
const OVERFLOW_TEXT = /overflow|out of range/i;
const INVALID_INPUT_TEXT = /invalid input syntax/i;

/** Maps a thrown error to its code, message and suggestion. */
export function mapError(error: unknown): MappedError {
  if (error instanceof DatabaseBusyError) {
    return { code: "RESOURCE_BUSY", message: error.message, suggestion: DATABASE_BUSY_SUGGESTION };
  }
  if (error instanceof HyperError) {
    return mapHyperError(error);
  }
  const message = errorMessage(error);
  if (error instanceof PoolTimeoutError) {
    return {
      code: "RESOURCE_BUSY",
      message: `too many concurrent calls: no database connection became free in time (${message})`,
      suggestion: POOL_BUSY_SUGGESTION,
    };
  }
  if (error instanceof HyperdStartError) {
    // Retrying does not help a hyperd that cannot start; say where to look instead.
    return {
      code: "INTERNAL_ERROR",
      message: `hyperd could not start: ${message}`,
      suggestion:
        "Run `hyperdb-mcp doctor` to check which hyperd is used (HYPERD_PATH), and look at the hyperd log named in the message.",
    };
  }
  if (isConnectionBroken(error) || error instanceof ProtocolError) {
    return { code: "CONNECTION_LOST", message };
  }
  if (error instanceof HyperdNotFoundError) {
    return { code: "HYPERD_NOT_FOUND", message };
  }
  if (error instanceof NotFoundError) {
    return {
      code: "FILE_NOT_FOUND",
      message,
      suggestion: "Check that the file exists and the path is absolute.",
    };
  }
  if (error instanceof InvalidArgumentError) {
    return { code: "INVALID_ARGUMENT", message };
  }
  const fsError = mapFileSystemError(error, message);
  if (fsError !== undefined) {
    return fsError;
  }
  return { code: "INTERNAL_ERROR", message };
}

/** The code a thrown error maps to. */
export function errorCodeOf(error: unknown): ToolErrorCode {
  return mapError(error).code;
}

/** Converts a thrown error into an error result. */
export function errorResult(error: unknown): CallToolResult {
  const mapped = mapError(error);
  return toolError(mapped.code, mapped.message, mapped.suggestion);
}

/** `server error (42P01): ERROR: table "x" does not exist (42P01)` plus detail and hint. */
export function hyperErrorMessage(error: HyperError): string {
  const text = `server error (${error.sqlstate}): ${error.severity}: ${error.message} (${error.sqlstate})`;
  const detail = error.detail === undefined ? "" : ` Detail: ${error.detail}`;
  const hint = error.hint === undefined ? "" : ` Hint: ${error.hint}`;
  return `${text}${detail}${hint}`;
}

function mapHyperError(error: HyperError): MappedError {
  const message = hyperErrorMessage(error);
  const text = `${error.message} ${error.detail ?? ""}`;
  switch (error.sqlstate) {
    case "22003":
      return { code: "SCHEMA_MISMATCH", message, suggestion: WIDEN_SUGGESTION };
    case "22P02":
      return { code: "SCHEMA_MISMATCH", message, suggestion: TEXT_SUGGESTION };
    case "0A000":
      if (JSON_TEXT.test(text)) {
        return { code: "SQL_ERROR", message, suggestion: JSON_SUGGESTION };
      }
      if (MULTI_PART_TEXT.test(text)) {
        return { code: "SQL_ERROR", message, suggestion: ONE_STATEMENT_SUGGESTION };
      }
      return {
        code: "SQL_ERROR",
        message,
        suggestion:
          "Hyper does not support this feature; rewrite the statement (one statement per call, PostgreSQL dialect).",
      };
    case "42601":
      return JSON_TEXT.test(text)
        ? { code: "SQL_ERROR", message, suggestion: JSON_SUGGESTION }
        : { code: "SQL_ERROR", message };
    case "53100":
      return {
        code: "DISK_FULL",
        message,
        suggestion: "The disk holding the database is full; free space or drop tables you no longer need.",
      };
    default:
      break;
  }
  if (error.sqlstate.startsWith("08") || CONNECTION_LOST_STATES.has(error.sqlstate)) {
    return { code: "CONNECTION_LOST", message };
  }
  if (OVERFLOW_TEXT.test(text)) {
    return { code: "SCHEMA_MISMATCH", message, suggestion: WIDEN_SUGGESTION };
  }
  if (INVALID_INPUT_TEXT.test(text)) {
    return { code: "SCHEMA_MISMATCH", message, suggestion: TEXT_SUGGESTION };
  }
  return { code: "SQL_ERROR", message };
}

const FS_CODES: Readonly<Record<string, { code: ToolErrorCode; suggestion: string }>> = {
  ENOENT: { code: "FILE_NOT_FOUND", suggestion: "Check that the file exists and the path is absolute." },
  EACCES: {
    code: "PERMISSION_DENIED",
    suggestion: "The server process may not access this path; check its permissions or choose another path.",
  },
  EPERM: {
    code: "PERMISSION_DENIED",
    suggestion: "The server process may not access this path; check its permissions or choose another path.",
  },
  ENOSPC: { code: "DISK_FULL", suggestion: "The disk is full; free space and retry." },
  EDQUOT: { code: "DISK_FULL", suggestion: "The disk quota is exhausted; free space and retry." },
};

function mapFileSystemError(error: unknown, message: string): MappedError | undefined {
  if (!(error instanceof Error)) {
    return undefined;
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code !== "string" || !Object.hasOwn(FS_CODES, code)) {
    return undefined;
  }
  const mapped = FS_CODES[code];
  return mapped === undefined ? undefined : { code: mapped.code, message, suggestion: mapped.suggestion };
}
