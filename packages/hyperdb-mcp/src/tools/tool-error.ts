/**
 * The error envelope shared by every tool: a tool failure is a normal `CallToolResult` with
 * `isError: true`, `structuredContent = { error: { code, message, suggestion? } }` and one text
 * block holding the same JSON pretty-printed. Tool errors are never JSON-RPC errors.
 *
 * @module
 */
import type { CallToolResult } from "@modelcontextprotocol/server";

/** The error codes of the contract (SCREAMING_SNAKE_CASE). */
export type ToolErrorCode =
  | "HYPERD_NOT_FOUND"
  | "FILE_NOT_FOUND"
  | "UNSUPPORTED_FORMAT"
  | "SCHEMA_MISMATCH"
  | "SQL_ERROR"
  | "TABLE_NOT_FOUND"
  | "EMPTY_DATA"
  | "DISK_FULL"
  | "PERMISSION_DENIED"
  | "READ_ONLY_VIOLATION"
  | "CONNECTION_LOST"
  | "INVALID_ARGUMENT"
  | "RESOURCE_BUSY"
  | "INTERNAL_ERROR";

/** The body of an error result. */
export interface ToolErrorBody {
  readonly error: {
    readonly code: ToolErrorCode;
    readonly message: string;
    readonly suggestion?: string;
  };
}

/** Default LLM-oriented suggestion per code; codes without one omit `suggestion`. */
const DEFAULT_SUGGESTIONS: Partial<Record<ToolErrorCode, string>> = {
  HYPERD_NOT_FOUND:
    "The hyperd executable was not found. Set HYPERD_PATH to the hyperd binary or its folder, then restart the server.",
  SQL_ERROR: "Check the SQL syntax and the table and column names; use describe to list tables and columns.",
  TABLE_NOT_FOUND: "Use describe to list the available tables.",
  READ_ONLY_VIOLATION: "The query tool only reads; use execute for statements that change data.",
  CONNECTION_LOST: "The connection to the engine was lost; retry the call, the server reconnects.",
  INVALID_ARGUMENT: "Check the tool arguments against the tool's input schema.",
  SCHEMA_MISMATCH: "Check the column types; cast values explicitly where needed.",
};

/**
 * Longest error message, in characters. Messages quote arguments (a path, a table or database
 * name) and hyperd's text, which can be megabytes; a result that large would exceed the client's
 * stdio message limit (10 MiB in the MCP SDK), and the client would drop the connection.
 */
export const MAX_ERROR_MESSAGE_CHARS = 4096;

/** `message`, cut to {@link MAX_ERROR_MESSAGE_CHARS} with a note of its full length. */
export function boundedMessage(message: string): string {
  if (message.length <= MAX_ERROR_MESSAGE_CHARS) {
    return message;
  }
  return `${message.slice(0, MAX_ERROR_MESSAGE_CHARS)}… (message cut, ${message.length} characters in all)`;
}

/** Builds an error result; `suggestion` defaults to the code's default, if any. */
export function toolError(code: ToolErrorCode, text: string, suggestion?: string): CallToolResult {
  const finalSuggestion = suggestion ?? DEFAULT_SUGGESTIONS[code];
  const message = boundedMessage(text);
  const body: ToolErrorBody = {
    error: finalSuggestion === undefined ? { code, message } : { code, message, suggestion: finalSuggestion },
  };
  return {
    isError: true,
    structuredContent: { ...body },
    content: [{ type: "text", text: JSON.stringify(body, null, 2) }],
  };
}
