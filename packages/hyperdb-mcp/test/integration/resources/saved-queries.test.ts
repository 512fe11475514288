/**
 * save_query / delete_query over stdio and the hyper://queries resources: storage in the
 * persistent database across a restart, in memory under --ephemeral-only, the refusals
 * (duplicate, non-read-only SQL, empty name, --read-only), and the notifications of a save and
 * a delete.
 */
import type { TextResourceContents } from "@modelcontextprotocol/client";
import { afterAll, describe, expect, it } from "vitest";
import { call, errorCode, ok, waitUntil } from "../../faults/fault-kit.ts";
import { isolatedHome, type ServerUnderTest, startServer, waitForExit } from "../server/mcp-client.ts";
import { recordResourceNotifications } from "./notifications.ts";

const home = isolatedHome();
const running: ServerUnderTest[] = [];

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<ServerUnderTest> {
  const server = await startServer(options);
  running.push(server);
  return server;
}

async function stop(server: ServerUnderTest): Promise<void> {
  await server.client.close();
  expect(await waitForExit(server.pid, 10_000)).toBe(true);
}

afterAll(async () => {
  await Promise.all(running.map((server) => server.client.close().catch(() => undefined)));
});

async function readJson(server: ServerUnderTest, uri: string): Promise<Record<string, unknown>> {
  const { contents } = await server.client.readResource({ uri });
  const [content] = contents as TextResourceContents[];
  expect(content?.mimeType).toBe("application/json");
  return JSON.parse(content?.text ?? "null") as Record<string, unknown>;
}

async function queryUris(server: ServerUnderTest): Promise<string[]> {
  const { resources } = await server.client.listResources();
  return resources.map((resource) => resource.uri).filter((uri) => uri.startsWith("hyper://queries/"));
}

describe("saved queries in the persistent database", () => {
  it("saves, refuses duplicates and bad input, reads back, notifies, and deletes", async () => {
    const server = await start({ home });
    const notifications = recordResourceNotifications(server);
    ok(
      await call(server, "load_data", {
        table: "sales",
        data: '[{"region": "north", "amount": 5}, {"region": "south", "amount": 7}]',
      }),
    );

    const saved = ok(
      await call(server, "save_query", {
        name: "by_region",
        sql: "SELECT region, sum(amount) AS total FROM sales GROUP BY region ORDER BY region",
        description: "Totals per region",
      }),
    );
    expect(saved).toMatchObject({
      saved: true,
      name: "by_region",
      resources: ["hyper://queries/by_region/definition", "hyper://queries/by_region/result"],
    });
    expect(saved.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const duplicate = await call(server, "save_query", { name: "by_region", sql: "SELECT 1" });
    expect(errorCode(duplicate)).toBe("INVALID_ARGUMENT");
    expect(JSON.stringify(duplicate.structuredContent)).toContain("Delete it first with delete_query");
    expect(errorCode(await call(server, "save_query", { name: "w", sql: "DELETE FROM sales" }))).toBe(
      "SQL_ERROR",
    );
    expect(errorCode(await call(server, "save_query", { name: "", sql: "SELECT 1" }))).toBe(
      "SCHEMA_MISMATCH",
    );
    expect(errorCode(await call(server, "save_query", { name: "q".repeat(513), sql: "SELECT 1" }))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(errorCode(await call(server, "save_query", { name: "line\nbreak", sql: "SELECT 1" }))).toBe(
      "INVALID_ARGUMENT",
    );

    expect(await readJson(server, "hyper://queries/by_region/definition")).toEqual({
      name: "by_region",
      sql: "SELECT region, sum(amount) AS total FROM sales GROUP BY region ORDER BY region",
      description: "Totals per region",
      created_at: saved.created_at,
    });
    const result = await readJson(server, "hyper://queries/by_region/result");
    expect(result).toMatchObject({
      name: "by_region",
      result: [
        { region: "north", total: 5 },
        { region: "south", total: 7 },
      ],
      stats: { operation: "saved_query", rows_returned: 2 },
    });
    // Re-run on every read: new rows show up.
    ok(
      await call(server, "load_data", {
        table: "sales",
        mode: "append",
        data: '[{"region": "north", "amount": 1}]',
      }),
    );
    expect((await readJson(server, "hyper://queries/by_region/result")).result).toEqual([
      { region: "north", total: 6 },
      { region: "south", total: 7 },
    ]);

    // A subscriber hears of a save (list_changed) and of a delete (updated + list_changed).
    await server.client.subscribeResource({ uri: "hyper://queries/tmp/definition" });
    notifications.clear();
    ok(await call(server, "save_query", { name: "tmp", sql: "SELECT 1 AS one" }));
    expect(await waitUntil(() => notifications.listChanged === 1, 5_000)).toBe(true);
    expect(await queryUris(server)).toEqual([
      "hyper://queries/by_region/definition",
      "hyper://queries/by_region/result",
      "hyper://queries/tmp/definition",
      "hyper://queries/tmp/result",
    ]);
    notifications.clear();
    expect(ok(await call(server, "delete_query", { name: "tmp" }))).toEqual({ deleted: true, name: "tmp" });
    expect(
      await waitUntil(() => notifications.listChanged === 1 && notifications.updated.length === 1, 5_000),
    ).toBe(true);
    expect(notifications.updated).toEqual(["hyper://queries/tmp/definition"]);
    expect(ok(await call(server, "delete_query", { name: "tmp" }))).toEqual({ deleted: false, name: "tmp" });
    expect(await readJson(server, "hyper://queries/tmp/definition")).toMatchObject({
      error: { code: "TABLE_NOT_FOUND", message: "No saved query named 'tmp'" },
    });
    // The bookkeeping table stays hidden.
    const described = ok(await call(server, "describe", { database: "persistent" }));
    expect(JSON.stringify(described)).not.toContain("_hyperdb_saved_queries");
    await stop(server);
  });

  it("keeps the queries across a restart on the same persistent file", async () => {
    const server = await start({ home });
    expect(await queryUris(server)).toEqual([
      "hyper://queries/by_region/definition",
      "hyper://queries/by_region/result",
    ]);
    expect(await readJson(server, "hyper://queries/by_region/definition")).toMatchObject({
      description: "Totals per region",
    });
    // The local table of the first session is gone, so the SQL fails: an error body, not a throw.
    expect(await readJson(server, "hyper://queries/by_region/result")).toMatchObject({
      error: { code: "SQL_ERROR" },
    });
    await stop(server);
  });

  it("refuses save_query and delete_query under --read-only but still lists and reads", async () => {
    const server = await start({ home, args: ["--read-only"] });
    const refusedSave = await call(server, "save_query", { name: "x", sql: "SELECT 1" });
    expect(errorCode(refusedSave)).toBe("READ_ONLY_VIOLATION");
    expect(errorCode(await call(server, "delete_query", { name: "by_region" }))).toBe("READ_ONLY_VIOLATION");
    expect(await queryUris(server)).toHaveLength(2);
    await stop(server);
  });
});

describe("saved queries under --ephemeral-only", () => {
  it("live in memory for the session only", async () => {
    const first = await start({ args: ["--ephemeral-only"] });
    ok(await call(first, "save_query", { name: "b", sql: "SELECT 2 AS two" }));
    ok(await call(first, "save_query", { name: "a", sql: "SELECT 1 AS one", description: "first" }));
    expect(errorCode(await call(first, "save_query", { name: "a", sql: "SELECT 3" }))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(await queryUris(first)).toEqual([
      "hyper://queries/a/definition",
      "hyper://queries/a/result",
      "hyper://queries/b/definition",
      "hyper://queries/b/result",
    ]);
    expect((await readJson(first, "hyper://queries/a/result")).result).toEqual([{ one: 1 }]);
    await stop(first);
    const second = await start({ args: ["--ephemeral-only"] });
    expect(await queryUris(second)).toEqual([]);
    await stop(second);
  });
});
