/**
 * Test helpers for the ingest tools: a session engine on the run's shared hyperd (with a
 * persistent database in a temp folder), a ToolContext around it, and result accessors.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/server";
import { inject } from "vitest";
import { defaultTestConfig } from "../../../src/config/server-config.ts";
import type { HyperdSource } from "../../../src/engine/hyperd-source.ts";
import { SessionEngine } from "../../../src/engine/session-engine.ts";
import { TableEvents } from "../../../src/server/table-events.ts";
import type { ToolContext } from "../../../src/tools/tool-context.ts";

/** The shared test hyperd as a session's hyperd source (it is not ours to stop). */
export function sharedHyperd(): HyperdSource {
  const hyperd = inject("hyperd");
  const target = { endpoint: `${hyperd.host}:${hyperd.port}`, pid: null, logDir: null };
  return {
    mode: "local",
    target: async () => target,
    reportUnhealthy: () => undefined,
    touch: () => undefined,
    current: () => target,
    isRunning: () => true,
    healthPort: () => null,
    close: async () => undefined,
  };
}

/** A context whose engine runs on the shared hyperd, optionally read-only. */
export function testContext(
  persistentPath: string | null,
  options: { readOnly?: boolean } = {},
): ToolContext {
  const engine = new SessionEngine({ source: sharedHyperd(), persistentPath });
  return {
    engine,
    config: defaultTestConfig({
      readOnly: options.readOnly ?? false,
      ephemeralOnly: persistentPath === null,
      persistentPath,
    }),
    version: "0.0.0-test",
    log: () => undefined,
    events: new TableEvents(() => undefined),
  };
}

/** Writes a fixture file and returns its path. */
export async function writeFixture(
  directory: string,
  name: string,
  content: string | Uint8Array,
): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, content);
  return path;
}

/** The structured payload of a successful result (fails the test on an error result). */
export function payload(result: CallToolResult): Record<string, unknown> {
  if (result.isError === true) {
    throw new Error(`tool failed: ${JSON.stringify(result.structuredContent)}`);
  }
  return result.structuredContent as Record<string, unknown>;
}

/** The `error` body of an error result (fails the test on success). */
export function errorOf(result: CallToolResult): { code: string; message: string; suggestion?: string } {
  if (result.isError !== true) {
    throw new Error(`expected an error, got ${JSON.stringify(result.structuredContent)}`);
  }
  return (result.structuredContent as { error: { code: string; message: string } }).error;
}
