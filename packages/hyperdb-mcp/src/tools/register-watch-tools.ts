/**
 * Registers `watch_directory` and `unwatch_directory` over the session's watcher registry, and
 * stops every watcher when the server closes (the client went away or the session ended), so no
 * watcher outlives its session or loads into a closed engine.
 *
 * @module
 */
import type { McpServer } from "@modelcontextprotocol/server";
import type { WatcherRegistry } from "../watch/watcher-registry.ts";
import type { ToolContext } from "./tool-context.ts";
import { registerUnwatchDirectoryTool } from "./unwatch-directory.ts";
import { registerWatchDirectoryTool } from "./watch-directory.ts";

/** Registers both watch tools on `server`. */
export function registerWatchTools(server: McpServer, context: ToolContext, watchers: WatcherRegistry): void {
  registerWatchDirectoryTool(server, context, watchers);
  registerUnwatchDirectoryTool(server, context, watchers);
  const closed = server.server.onclose;
  server.server.onclose = () => {
    watchers.stopAll();
    closed?.();
  };
}
