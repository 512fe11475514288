/**
 * Every tool's input and output JSON Schema exactly as the SDK lists them for the zod schemas in
 * the source: what write-tool-schemas.ts ships in `dist/tool-schemas.json`.
 *
 * @module
 */
import { InMemoryTransport, type JSONRPCMessage } from "@modelcontextprotocol/server";
import { defaultTestConfig, type ServerConfig } from "../src/config/server-config.ts";
import { createEngine } from "../src/engine/create-engine.ts";
import { isRecord } from "../src/json-record.ts";
import { createServer } from "../src/server/create-server.ts";
import { parseToolSchemasFile, type ToolSchemasFile } from "../src/tools/tool-schemas-file.ts";

/**
 * The tools' JSON Schemas exactly as a server created with `config` sends them in its
 * `tools/list` answer (read off the wire, before any client parses them; the engine never
 * starts).
 */
export async function listToolSchemas(config: ServerConfig = defaultTestConfig()): Promise<ToolSchemasFile> {
  const engine = createEngine(config, () => undefined);
  const server = createServer({ engine, config, log: () => undefined });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const answers = new Map<number, (message: JSONRPCMessage) => void>();
  clientSide.onmessage = (message) => {
    if ("id" in message && typeof message.id === "number") answers.get(message.id)?.(message);
  };
  const request = (id: number, method: string, params: Record<string, unknown>) =>
    new Promise<JSONRPCMessage>((resolve) => {
      answers.set(id, resolve);
      void clientSide.send({ jsonrpc: "2.0", id, method, params });
    });
  try {
    await server.connect(serverSide);
    await clientSide.start();
    await request(1, "initialize", {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "tool-schemas", version: "0.0.0" },
    });
    await clientSide.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    const answer = await request(2, "tools/list", {});
    const tools = "result" in answer && isRecord(answer.result) ? answer.result.tools : undefined;
    if (!Array.isArray(tools)) throw new Error(`tools/list failed: ${JSON.stringify(answer)}`);
    const entries = tools.map((tool: unknown) => {
      if (!isRecord(tool) || typeof tool.name !== "string") throw new Error("a tool without a name");
      return [tool.name, { input: tool.inputSchema, output: tool.outputSchema }] as const;
    });
    const schemas = parseToolSchemasFile(JSON.stringify(Object.fromEntries(entries)));
    if (schemas === undefined) throw new Error("tools/list holds a tool without an object inputSchema");
    return schemas;
  } finally {
    await clientSide.close();
    await server.close();
    await engine.close();
  }
}
