/**
 * The body of a resource that could not be read: `{"error": {code, message, suggestion?}}`,
 * the same object a failing tool puts in `structuredContent`.
 *
 * @module
 */
import { mapError } from "../tools/map-error.ts";
import { type ToolErrorBody, type ToolErrorCode, toolError } from "../tools/tool-error.ts";

/** An error body. */
export type ErrorBody = ToolErrorBody;

/** The error body of `code` and `message` (with the code's default suggestion). */
export function errorBody(code: ToolErrorCode, message: string, suggestion?: string): ErrorBody {
  return toolError(code, message, suggestion).structuredContent as unknown as ErrorBody;
}

/** The error body of a thrown error. */
export function thrownErrorBody(error: unknown): ErrorBody {
  const mapped = mapError(error);
  return errorBody(mapped.code, mapped.message, mapped.suggestion);
}

/** Whether `body` is an error body. */
export function isErrorBody(body: object): body is ErrorBody {
  return "error" in body;
}
