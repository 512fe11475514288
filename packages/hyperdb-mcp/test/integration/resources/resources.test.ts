/**
 * The hyper:// resources and the prompts over stdio: listing and templates, the bodies of the
 * fixed and per-table resources, error bodies and the unknown-URI error, subscriptions with
 * `updated` / `list_changed` after loads and DDL, and the four prompts.
 */
import type { TextResourceContents } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ok, waitUntil } from "../../faults/fault-kit.ts";
import { type ServerUnderTest, startServer } from "../server/mcp-client.ts";
import { type ResourceNotifications, recordResourceNotifications } from "./notifications.ts";

let server: ServerUnderTest;
let notifications: ResourceNotifications;

beforeAll(async () => {
  server = await startServer();
  notifications = recordResourceNotifications(server);
});

afterAll(async () => {
  await server?.client.close().catch(() => undefined);
});

async function read(uri: string): Promise<TextResourceContents> {
  const { contents } = await server.client.readResource({ uri });
  expect(contents).toHaveLength(1);
  const [content] = contents as TextResourceContents[];
  expect(content?.uri).toBe(uri);
  return content as TextResourceContents;
}

async function readJson(uri: string): Promise<Record<string, unknown>> {
  const content = await read(uri);
  expect(content.mimeType).toBe("application/json");
  return JSON.parse(content.text) as Record<string, unknown>;
}

const PEOPLE = JSON.stringify([
  { id: 1, name: "ada", city: "London, UK" },
  { id: 2, name: 'bob "b"', city: null },
]);

describe("resources of an empty session", () => {
  it("lists the four fixed resources and the five templates", async () => {
    const { resources } = await server.client.listResources();
    expect(resources.map((resource) => [resource.uri, resource.mimeType])).toEqual([
      ["hyper://workspace", "application/json"],
      ["hyper://tables", "application/json"],
      ["hyper://readme", "text/markdown"],
      ["hyper://schema/kv", "text/plain"],
    ]);
    const { resourceTemplates } = await server.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual([
      "hyper://tables/{name}/schema",
      "hyper://tables/{name}/sample",
      "hyper://tables/{name}/csv-sample",
      "hyper://queries/{name}/definition",
      "hyper://queries/{name}/result",
    ]);
  });

  it("reads the fixed resources", async () => {
    expect(await readJson("hyper://tables")).toEqual({ tables: [] });
    const workspace = await readJson("hyper://workspace");
    expect(workspace).toMatchObject({
      table_count: 0,
      total_rows: 0,
      has_persistent: true,
      read_only: false,
    });
    const readme = await read("hyper://readme");
    expect(readme.mimeType).toBe("text/markdown");
    expect(readme.text).toContain("# HyperDB databases");
    expect(readme.text).toContain("_No tables loaded yet._");
    const kv = await read("hyper://schema/kv");
    expect(kv.mimeType).toBe("text/plain");
    expect(kv.text).toContain("_hyperdb_kv_store(store_name TEXT NOT NULL, key TEXT NOT NULL, value TEXT)");
    expect(kv.text).toContain("kv.store_name =");
  });

  it("answers a missing table with an error body and an unknown URI with -32602", async () => {
    const missing = await readJson("hyper://tables/nope/sample");
    expect(missing).toMatchObject({ error: { code: "TABLE_NOT_FOUND" } });
    const query = await readJson("hyper://queries/nope/result");
    expect(query).toMatchObject({
      error: { code: "TABLE_NOT_FOUND", message: "No saved query named 'nope'" },
    });
    await expect(server.client.readResource({ uri: "hyper://nowhere" })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining("Unknown resource URI: hyper://nowhere"),
    });
  });
});

describe("subscriptions", () => {
  it("announce a replace that creates a table: updated for the subscribed URIs, list_changed once", async () => {
    await server.client.subscribeResource({ uri: "hyper://tables/people/schema" });
    await server.client.subscribeResource({ uri: "hyper://tables" });
    await server.client.subscribeResource({ uri: "hyper://tables/other/schema" });
    notifications.clear();
    ok(await call(server, "load_data", { table: "people", data: PEOPLE }));
    expect(
      await waitUntil(() => notifications.updated.length >= 2 && notifications.listChanged >= 1, 5_000),
    ).toBe(true);
    expect([...notifications.updated].sort()).toEqual(["hyper://tables", "hyper://tables/people/schema"]);
    expect(notifications.listChanged).toBe(1);
  });

  it("announce an append with updated only, and stop after unsubscribe", async () => {
    notifications.clear();
    ok(
      await call(server, "load_data", { table: "people", mode: "append", data: '[{"id": 3, "name": "cy"}]' }),
    );
    expect(await waitUntil(() => notifications.updated.length >= 2, 5_000)).toBe(true);
    expect(notifications.listChanged).toBe(0);
    await server.client.unsubscribeResource({ uri: "hyper://tables" });
    notifications.clear();
    ok(await call(server, "execute", { sql: ["DELETE FROM people WHERE id = 3"] }));
    // The response follows the notifications on the same pipe; give a stray one a moment anyway.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(notifications.updated).toEqual([]);
    expect(notifications.listChanged).toBe(0);
  });

  it("announce DDL run by execute with list_changed", async () => {
    notifications.clear();
    ok(await call(server, "execute", { sql: ["CREATE TABLE scratch_t (x INTEGER)"] }));
    expect(await waitUntil(() => notifications.listChanged === 1, 5_000)).toBe(true);
    ok(await call(server, "execute", { sql: ["DROP TABLE scratch_t"] }));
  });
});

describe("resources of a loaded table", () => {
  it("lists the per-table resources after the fixed ones", async () => {
    const { resources } = await server.client.listResources();
    expect(resources.map((resource) => resource.uri).slice(4)).toEqual([
      "hyper://tables/people/schema",
      "hyper://tables/people/sample",
      "hyper://tables/people/csv-sample",
    ]);
  });

  it("reads schema, sample, csv-sample, tables, workspace and readme", async () => {
    const schema = await readJson("hyper://tables/people/schema");
    expect(schema).toMatchObject({ name: "people", row_count: 2 });
    expect((schema.columns as { name: string }[]).map((column) => column.name)).toEqual([
      "city",
      "id",
      "name",
    ]);
    const sample = await readJson("hyper://tables/people/sample");
    expect(sample).toMatchObject({ table: "people", row_count: 2, sample_size: 2 });
    const csv = await read("hyper://tables/people/csv-sample");
    expect(csv.mimeType).toBe("text/csv");
    // JSON loads order the columns by name; rows come in no guaranteed order.
    expect(csv.text.startsWith("city,id,name\r\n")).toBe(true);
    const lines = csv.text.trimEnd().split("\r\n").sort();
    expect(lines).toEqual(['"London, UK",1,ada', ',2,"bob ""b"""', "city,id,name"]);
    const tables = await readJson("hyper://tables");
    expect((tables.tables as { name: string }[]).map((table) => table.name)).toEqual(["people"]);
    expect(await readJson("hyper://workspace")).toMatchObject({ table_count: 1, total_rows: 2 });
    const readme = await read("hyper://readme");
    expect(readme.text).not.toContain("_No tables loaded yet._");
    expect(readme.text).toContain("hyper://tables/people/csv-sample");
  });
});

describe("prompts", () => {
  it("lists the four prompts with their arguments", async () => {
    const { prompts } = await server.client.listPrompts();
    const byName = new Map(prompts.map((prompt) => [prompt.name, prompt]));
    expect([...byName.keys()].sort()).toEqual([
      "analyze-table",
      "compare-tables",
      "data-quality",
      "suggest-queries",
    ]);
    expect(byName.get("compare-tables")?.arguments?.map((argument) => argument.name)).toEqual([
      "table_a",
      "table_b",
    ]);
    expect(
      byName
        .get("suggest-queries")
        ?.arguments?.map((argument) => [argument.name, argument.required ?? false]),
    ).toEqual([
      ["table", true],
      ["goal", false],
    ]);
  });

  function texts(messages: { role: string; content: { type: string; text?: string } }[]): string[] {
    return messages.map((message) => (message.content.type === "text" ? (message.content.text ?? "") : ""));
  }

  it("analyze-table embeds the table's sample and ends with an assistant message", async () => {
    const { messages } = await server.client.getPrompt({
      name: "analyze-table",
      arguments: { table: "people" },
    });
    expect(messages.map((message) => message.role)).toEqual(["user", "assistant"]);
    const [text] = texts(messages);
    expect(text).toContain('"table": "people"');
    expect(text).toContain('"name": "ada"');
  });

  it("compare-tables embeds both tables and says why one could not be loaded", async () => {
    const { messages } = await server.client.getPrompt({
      name: "compare-tables",
      arguments: { table_a: "people", table_b: "ghosts" },
    });
    const [text] = texts(messages);
    expect(text).toContain('"name": "ada"');
    expect(text).toContain('(Could not load table context: [TABLE_NOT_FOUND] table "ghosts" does not exist)');
  });

  it("data-quality and suggest-queries embed the sample; suggest-queries takes a goal", async () => {
    const quality = texts(
      (await server.client.getPrompt({ name: "data-quality", arguments: { table: "people" } })).messages,
    );
    expect(quality[0]).toContain("3 standard deviations");
    expect(quality[0]).toContain('"city": "London, UK"');
    const withGoal = texts(
      (
        await server.client.getPrompt({
          name: "suggest-queries",
          arguments: { table: "people", goal: "find cities" },
        })
      ).messages,
    );
    expect(withGoal[0]).toContain("Specific goal: find cities");
    const withoutGoal = texts(
      (await server.client.getPrompt({ name: "suggest-queries", arguments: { table: "people" } })).messages,
    );
    expect(withoutGoal[0]).not.toContain("Specific goal");
    expect(withoutGoal[0]).toContain('"row_count": 2');
  });
});

describe("the 2026-07-28 revision", () => {
  it("serves the resources and delivers changes to a subscriptions/listen stream", async () => {
    const modern = await startServer({ pinProtocolVersion: "2026-07-28" });
    try {
      expect(modern.client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
      const received = recordResourceNotifications(modern);
      const subscription = await modern.client.listen({
        resourceSubscriptions: ["hyper://tables/t/schema"],
        resourcesListChanged: true,
      });
      ok(await call(modern, "load_data", { table: "t", data: '[{"x": 1}]' }));
      expect(await waitUntil(() => received.updated.length >= 1 && received.listChanged >= 1, 5_000)).toBe(
        true,
      );
      // The SDK entry passes on only what the stream asked for.
      expect(received.updated).toEqual(["hyper://tables/t/schema"]);
      await subscription.close();
      const { contents } = await modern.client.readResource({ uri: "hyper://tables/t/schema" });
      expect(JSON.parse((contents[0] as TextResourceContents).text)).toMatchObject({
        name: "t",
        row_count: 1,
      });
    } finally {
      await modern.client.close().catch(() => undefined);
    }
  });
});
