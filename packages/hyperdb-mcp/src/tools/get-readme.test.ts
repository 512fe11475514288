import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { describe, expect, it } from "vitest";
import { defaultTestConfig } from "../config/server-config.ts";
import { createEngine } from "../engine/create-engine.ts";
import { createServer } from "../server/create-server.ts";
import { serverInstructions } from "../server/instructions.ts";
import { runGetReadme } from "./get-readme.ts";
import { README_TEXT, TOOL_SUMMARIES } from "./readme-text.ts";

/** The tool names of a created server, as a client lists them (the engine never starts). */
async function registeredToolNames(readOnly: boolean): Promise<{ names: string[]; instructions: string }> {
  const config = defaultTestConfig({ readOnly });
  const engine = createEngine(config, () => undefined);
  const server = createServer({ engine, config, log: () => undefined });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "readme-test", version: "0.0.0" });
  await server.connect(serverSide);
  await client.connect(clientSide);
  try {
    const { tools } = await client.listTools();
    return { names: tools.map((tool) => tool.name), instructions: client.getInstructions() ?? "" };
  } finally {
    await client.close();
    await server.close();
    await engine.close();
  }
}

describe("get_readme", () => {
  it("returns one plain markdown text block without structured content", () => {
    const result = runGetReadme();
    expect(result.structuredContent).toBeUndefined();
    expect(result.isError).toBeUndefined();
    expect(result.content).toEqual([{ type: "text", text: README_TEXT }]);
  });

  it("stays between 500 B and 20,000 B", () => {
    const size = Buffer.byteLength(README_TEXT, "utf8");
    expect(size).toBeGreaterThan(500);
    expect(size).toBeLessThan(20_000);
  });

  it("mentions PostgreSQL, read-only, Hyper and the database model", () => {
    expect(README_TEXT).toContain("PostgreSQL");
    expect(README_TEXT).toMatch(/read-only/i);
    expect(README_TEXT).toContain("Hyper");
    expect(README_TEXT).toContain("persistent");
    expect(README_TEXT).toContain("local");
    expect(README_TEXT).toContain("external(");
    expect(README_TEXT).toContain("::json");
    expect(README_TEXT).toMatch(/case-sensitive/);
    expect(README_TEXT).toMatch(/multi-part queries are disabled/i);
  });

  it("covers every tool the server registers", async () => {
    const { names } = await registeredToolNames(false);
    expect(names).toContain("get_readme");
    expect(names).toContain("execute");
    for (const name of names) {
      expect(README_TEXT, `the manual does not mention ${name}`).toContain(`\`${name}\``);
    }
    // The manual's tool table lists exactly the registered tools.
    expect(TOOL_SUMMARIES.map((tool) => tool.name).sort()).toEqual([...names].sort());
  });
});

describe("server instructions", () => {
  it("differ in read-only mode and carry the SQL cheat sheet", async () => {
    const writable = serverInstructions(false);
    const readOnly = serverInstructions(true);
    expect(writable).not.toBe(readOnly);
    expect(readOnly).toMatch(/READ-ONLY/);
    expect(writable).not.toMatch(/READ-ONLY/);
    for (const text of [writable, readOnly]) {
      expect(text).toContain("get_readme");
      expect(text).toContain("::json");
      expect(text).toMatch(/One statement per call/);
    }
    const served = await registeredToolNames(true);
    expect(served.instructions).toBe(readOnly);
  });
});
