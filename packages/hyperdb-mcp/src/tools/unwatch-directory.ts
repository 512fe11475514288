/**
 * The `unwatch_directory` tool: stops the watcher of a directory (see `watch_directory`) and
 * reports what it did. Files that are loading when it is called finish first (bounded wait);
 * sentinels that arrive later stay in the directory.
 *
 * @module
 */
import { realpath } from "node:fs/promises";
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import type { WatcherRegistry } from "../watch/watcher-registry.ts";
import { lazy } from "./lazy-schema.ts";
import { registerTool } from "./register-tool.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** How long unwatch waits for loads already running. */
const SETTLE_TIMEOUT_MS = 10_000;

/** The `unwatch_directory` arguments. */
export const unwatchDirectoryInputSchema = lazy(() =>
  z.object({
    path: z.string().describe("The directory given to watch_directory."),
  }),
);

/** The `unwatch_directory` result. */
export const unwatchDirectoryOutputSchema = lazy(() =>
  z.object({
    directory: z.string(),
    table: z.string(),
    status: z.literal("stopped"),
    files_ingested: z.number().int(),
    files_failed: z.number().int(),
    last_error: z.string().nullable(),
  }),
);

/** Registers `unwatch_directory` on `server`. */
export function registerUnwatchDirectoryTool(
  server: McpServer,
  context: ToolContext,
  watchers: WatcherRegistry,
): void {
  registerTool(
    server,
    "unwatch_directory",
    {
      title: "Stop watching a directory",
      description:
        "Stops a watcher started by watch_directory and returns how many files it loaded and how many failed (and the last error). Files that arrive afterwards stay where they are.",
      inputSchema: unwatchDirectoryInputSchema,
      outputSchema: unwatchDirectoryOutputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    (args) => runUnwatchDirectory(context, watchers, args.path),
  );
}

/** Runs `unwatch_directory`; exported for tests. */
export async function runUnwatchDirectory(
  context: ToolContext,
  watchers: WatcherRegistry,
  path: string,
): Promise<CallToolResult> {
  const canonical = await realpath(path).catch(() => path);
  const watcher = watchers.get(canonical) ?? watchers.get(path);
  if (watcher === undefined) {
    return toolError(
      "FILE_NOT_FOUND",
      `No active watcher for ${path}`,
      "status lists the active watchers (watchers[].directory).",
    );
  }
  watchers.remove(watcher.directory);
  watcher.stop();
  const counts = await watcher.settled(SETTLE_TIMEOUT_MS);
  context.log(`stopped watching ${watcher.directory}`);
  return toolResult({
    directory: watcher.directory,
    table: watcher.table,
    status: "stopped",
    ...counts,
  } satisfies z.infer<ReturnType<typeof unwatchDirectoryOutputSchema>>);
}
