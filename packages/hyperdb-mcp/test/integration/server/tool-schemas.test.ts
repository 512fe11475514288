/**
 * The tools' JSON Schemas the build ships (`tool-schemas.json` next to the bundle): the server
 * lists them instead of converting its zod schemas, so they must be exactly what the conversion
 * gives, in every configuration, and arguments must still be checked by zod.
 */
import { cpSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listToolSchemas } from "../../../scripts/list-tool-schemas.ts";
import { defaultTestConfig } from "../../../src/config/server-config.ts";
import {
  parseToolSchemasFile,
  TOOL_SCHEMAS_FILE,
  type ToolSchemasFile,
} from "../../../src/tools/tool-schemas-file.ts";
import { type ServerUnderTest, serverEntry, startServer } from "./mcp-client.ts";

function shippedFile(): ToolSchemasFile {
  const parsed = parseToolSchemasFile(readFileSync(join(dirname(serverEntry()), TOOL_SCHEMAS_FILE), "utf8"));
  if (parsed === undefined) throw new Error(`the build's ${TOOL_SCHEMAS_FILE} is not a map of tool schemas`);
  return parsed;
}

/** The spawned server's `tools/list`, as tool name → schemas. */
async function listed(server: ServerUnderTest): Promise<Record<string, unknown>> {
  const { tools } = await server.client.listTools();
  return Object.fromEntries(
    tools.map((tool) => [tool.name, { input: tool.inputSchema, output: tool.outputSchema }]),
  );
}

describe("the shipped tool schemas", () => {
  let writable: ServerUnderTest;
  let readOnly: ServerUnderTest;

  beforeAll(async () => {
    [writable, readOnly] = await Promise.all([startServer(), startServer({ args: ["--read-only"] })]);
  });

  afterAll(async () => {
    await Promise.all([writable, readOnly].map((server) => server?.client.close().catch(() => undefined)));
  });

  it("are what the SDK makes of the zod schemas, for every tool", async () => {
    const shipped = shippedFile();
    expect(Object.keys(shipped).length).toBeGreaterThanOrEqual(30);
    expect(shipped).toStrictEqual(await listToolSchemas());
  });

  it("hold for a read-only server too", async () => {
    const shipped = shippedFile();
    const computed = await listToolSchemas(defaultTestConfig({ readOnly: true }));
    for (const [name, schemas] of Object.entries(computed)) {
      expect(shipped[name], name).toStrictEqual(schemas);
    }
  });

  it("are what the built server lists", async () => {
    // toEqual: the client's parse reorders keys, and tools without an output schema list it
    // as undefined.
    const shipped = shippedFile();
    expect(await listed(writable)).toEqual(shipped);
    expect(await listed(readOnly)).toEqual(shipped);
  });

  it("are read from the file next to the bundle", async () => {
    // A copy of the build whose file marks one schema: the server must list the mark.
    const build = dirname(serverEntry());
    const copy = `${build}-tool-schemas`;
    cpSync(build, copy, {
      recursive: true,
      filter: (source) => source === build || !statSync(source).isDirectory(),
    });
    const shipped = shippedFile();
    const marked = {
      ...shipped,
      status: { ...shipped.status, input: { ...shipped.status?.input, "x-from-file": true } },
    };
    writeFileSync(join(copy, TOOL_SCHEMAS_FILE), JSON.stringify(marked));
    let server: ServerUnderTest | undefined;
    try {
      server = await startServer({ entry: join(copy, "hyperdb-mcp.js") });
      const { tools } = await server.client.listTools();
      expect(tools.find((tool) => tool.name === "status")?.inputSchema).toHaveProperty("x-from-file", true);
      expect(tools.find((tool) => tool.name === "query")?.inputSchema).not.toHaveProperty("x-from-file");
    } finally {
      await server?.client.close();
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("leave the arguments to zod: a wrong type is refused, a right one served", async () => {
    const refused = await writable.client.callTool({ name: "sample", arguments: { table: "t", n: "five" } });
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toMatch(/Invalid arguments for tool sample/);
    const served = await writable.client.callTool({ name: "status", arguments: {} });
    expect(served.isError).toBeUndefined();
    expect(served.structuredContent).toMatchObject({ server: { name: "hyperdb-mcp" } });
  });
});
