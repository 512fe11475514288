/**
 * The `--read-only` guard of mutating tools: such a tool returns `READ_ONLY_VIOLATION` before it
 * does anything.
 *
 * @module
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";

/** An error result when the server is read-only, else `undefined`; `operation` names the tool. */
export function readOnlyViolation(context: ToolContext, operation: string): CallToolResult | undefined {
  if (!context.config.readOnly) {
    return undefined;
  }
  return toolError(
    "READ_ONLY_VIOLATION",
    `Operation '${operation}' is not permitted in read-only mode`,
    "The server runs with --read-only. Use query, query_data or query_file to read, or restart the server without --read-only to change data.",
  );
}
