/**
 * Translation of thrown errors into the tool error envelope.
 *
 * - `HyperError` (the server refused the statement) → `SQL_ERROR`, the message carrying the
 *   SQLSTATE as `server error (42P01): ERROR: …`; 0A000 adds a one-statement-per-call hint.
 * - a lost or closed connection → `CONNECTION_LOST` (the caller resets the engine).
 * - hyperd missing → `HYPERD_NOT_FOUND`.
 * - anything else → `INTERNAL_ERROR` with the error's message.
 *
 * @module
 */
import {
  ConnectionClosedError,
  ConnectionFailedError,
  ConnectionLostError,
  HyperdNotFoundError,
  HyperError,
} from "@hyperdb-ts/hyperdb-api";
import type { CallToolResult } from "@modelcontextprotocol/server";
import { type ToolErrorCode, toolError } from "./tool-error.ts";

/** The code a thrown error maps to. */
export function errorCodeOf(error: unknown): ToolErrorCode {
  if (error instanceof HyperError) {
    return "SQL_ERROR";
  }
  if (
    error instanceof ConnectionLostError ||
    error instanceof ConnectionClosedError ||
    error instanceof ConnectionFailedError
  ) {
    return "CONNECTION_LOST";
  }
  if (error instanceof HyperdNotFoundError) {
    return "HYPERD_NOT_FOUND";
  }
  return "INTERNAL_ERROR";
}

/** Converts a thrown error into an error result. */
export function errorResult(error: unknown): CallToolResult {
  const code = errorCodeOf(error);
  if (error instanceof HyperError) {
    const text = `server error (${error.sqlstate}): ${error.severity}: ${error.message} (${error.sqlstate})`;
    const detail = error.detail === undefined ? "" : ` Detail: ${error.detail}`;
    const hint = error.hint === undefined ? "" : ` Hint: ${error.hint}`;
    const suggestion =
      error.sqlstate === "0A000" && /multi-part|multiple statements/i.test(error.message)
        ? "Send one statement per call."
        : undefined;
    return toolError(code, `${text}${detail}${hint}`, suggestion);
  }
  const message = error instanceof Error ? error.message : String(error);
  return toolError(code, message);
}
