/**
 * One MCP session with a server under test, driven as a real client does: the SDK client over
 * stdio, the server spawned as a child process. Also reads tool results of both servers (ours
 * returns `structuredContent`; the upstream returns its JSON as text, after a SQL echo).
 *
 * @module
 */
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import type { ServerSpec } from "./servers.ts";

/** A connected session; `close` ends the server (stdin closes). */
export interface Session {
  readonly client: Client;
  /** What the server wrote on stderr so far (for error messages). */
  readonly stderr: () => string;
  close(): Promise<void>;
}

/** Spawns `spec` with `args` in `env` and completes the `initialize` handshake. */
export async function openSession(
  spec: ServerSpec,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<Session> {
  const transport = new StdioClientTransport({
    command: spec.command,
    args: [...spec.args, ...args],
    env: { ...env },
    stderr: "pipe",
  });
  let stderrText = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    if (stderrText.length < 64 * 1024) stderrText += chunk.toString("utf8");
  });
  const client = new Client({ name: "hyperdb-mcp-bench", version: "0.0.0" });
  try {
    await client.connect(transport);
  } catch (error) {
    await transport.close().catch(() => undefined);
    throw new Error(`${spec.name}: connecting failed: ${String(error)}\n${stderrText}`);
  }
  return {
    client,
    stderr: () => stderrText,
    close: () => client.close().catch(() => undefined),
  };
}

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Calls `tool` and returns its JSON result: `structuredContent` when present, else the first
 * text item that parses as a JSON object.
 * @throws Error when the call fails or the result holds no JSON object.
 */
export async function callJson(session: Session, tool: string, args: JsonObject): Promise<JsonObject> {
  const result = await session.client.callTool({ name: tool, arguments: args }, { timeout: 600_000 });
  const texts = Array.isArray(result.content)
    ? result.content.flatMap((item: unknown) =>
        isObject(item) && item.type === "text" && typeof item.text === "string" ? [item.text] : [],
      )
    : [];
  if (result.isError === true) {
    throw new Error(`${tool} failed: ${texts.join("\n").slice(0, 2000)}`);
  }
  if (isObject(result.structuredContent)) return result.structuredContent;
  for (const text of texts) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isObject(parsed)) return parsed;
    } catch {
      // not JSON (e.g. the upstream's SQL echo)
    }
  }
  throw new Error(`${tool} returned no JSON object: ${texts.join("\n").slice(0, 500)}`);
}

/** The rows of a `query` result. */
export function resultRows(json: JsonObject): JsonObject[] {
  const rows = json.result;
  if (!Array.isArray(rows))
    throw new Error(`a query result without rows: ${JSON.stringify(json).slice(0, 300)}`);
  return rows.filter(isObject);
}

/** Runs `sql` with `query` and returns its rows. */
export async function queryRows(session: Session, sql: string): Promise<JsonObject[]> {
  return resultRows(await callJson(session, "query", { sql }));
}
