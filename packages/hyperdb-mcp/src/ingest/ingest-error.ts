/**
 * The typed failure of the ingest layer. Inference, parsing and loading throw an
 * {@link IngestError} carrying the contract's error code, so a tool can turn it into the error
 * envelope without guessing from a message; everything else (server errors, lost connections)
 * goes through the shared error mapping.
 *
 * @module
 */
import type { ToolErrorCode } from "../tools/tool-error.ts";

/** An ingest failure with the error code the tool reports. */
export class IngestError extends Error {
  /** The contract's error code. */
  readonly code: ToolErrorCode;
  /** An LLM-oriented hint; the code's default applies when undefined. */
  readonly suggestion: string | undefined;

  constructor(code: ToolErrorCode, message: string, suggestion?: string) {
    super(message);
    this.name = "IngestError";
    this.code = code;
    this.suggestion = suggestion;
  }
}

/** `SCHEMA_MISMATCH` with `message`. */
export function schemaMismatch(message: string, suggestion?: string): IngestError {
  return new IngestError("SCHEMA_MISMATCH", message, suggestion);
}

/** `INVALID_ARGUMENT` with `message`. */
export function invalidArgument(message: string, suggestion?: string): IngestError {
  return new IngestError("INVALID_ARGUMENT", message, suggestion);
}

/** `EMPTY_DATA` with `message`. */
export function emptyData(message: string): IngestError {
  return new IngestError("EMPTY_DATA", message);
}
