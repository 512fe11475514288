/**
 * The success envelope shared by tools: `structuredContent` holds the JSON object and `content`
 * one text block with the same JSON pretty-printed (2-space indent).
 *
 * @module
 */
import type { CallToolResult } from "@modelcontextprotocol/server";

/** Builds a success result from a JSON-safe object. */
export function toolResult(payload: Record<string, unknown>): CallToolResult {
  return {
    structuredContent: payload,
    content: [{ type: "text", text: JSON.stringify(payload, null, 2) }],
  };
}
