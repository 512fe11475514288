/**
 * The `get_readme` tool: returns the server's manual for LLM clients ({@link README_TEXT}) as one
 * plain markdown text block, without structured content, so clients show it as prose.
 *
 * @module
 */
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import { README_TEXT } from "./readme-text.ts";

/** Registers `get_readme` on `server`. */
export function registerGetReadmeTool(server: McpServer): void {
  server.registerTool(
    "get_readme",
    {
      title: "Read the hyperdb-mcp manual",
      description:
        "Returns the manual of this server as markdown: every tool, the local and persistent databases, read-only rules, execute batches, and tips for Hyper's PostgreSQL SQL dialect. Read it once before the first query.",
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    () => runGetReadme(),
  );
}

/** Runs the `get_readme` tool. */
export function runGetReadme(): CallToolResult {
  return { content: [{ type: "text", text: README_TEXT }] };
}
