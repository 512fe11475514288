/**
 * The table catalog (`_table_catalog`) and set_table_metadata over stdio: stubs after loads into
 * the local and persistent databases (each with its own catalog), prose kept
 * across reloads, "" clearing a field, reconcile after CREATE / RENAME / DROP through execute
 * (a rename keeps the prose), a writable attachment's own catalog (made by its first load or
 * set_table_metadata, not by SQL), and the errors (no fields, unknown table, --ephemeral-only,
 * --read-only).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, errorCode, ok } from "../../faults/fault-kit.ts";
import { type ServerUnderTest, startServer } from "../server/mcp-client.ts";

let folder: string;
let server: ServerUnderTest;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "hyperdb-mcp-catalog-"));
  server = await startServer();
});

afterAll(async () => {
  await server?.client.close().catch(() => undefined);
  rmSync(folder, { recursive: true, force: true });
});

type Row = Record<string, unknown>;

/** The catalog row of `table` (in the catalog of `database`), or undefined. */
async function catalogRow(table: string, database = "local"): Promise<Row | undefined> {
  const result = ok(
    await call(server, "query", {
      sql: `SELECT table_name, load_tool, load_params, row_count, purpose, source_url, license, created_by, last_modified_by, loaded_at::text AS loaded_at, last_refreshed_at::text AS last_refreshed_at FROM _table_catalog WHERE table_name = '${table}'`,
      database,
    }),
  );
  return (result.result as Row[])[0];
}

async function catalogNames(database = "local"): Promise<string[]> {
  const result = ok(
    await call(server, "query", {
      sql: "SELECT table_name FROM _table_catalog ORDER BY table_name",
      database,
    }),
  );
  return (result.result as { table_name: string }[]).map((row) => row.table_name);
}

describe("_table_catalog stubs", () => {
  it("records loads into local and persistent, each in its own database's catalog", async () => {
    ok(await call(server, "load_data", { table: "sales", data: "id,amount\n1,10\n2,20\n" }));
    const local = await catalogRow("sales");
    expect(local).toMatchObject({
      table_name: "sales",
      load_tool: "load_data",
      row_count: 2,
      purpose: null,
      created_by: "hyperdb-mcp-test 0.0.0",
      last_modified_by: "hyperdb-mcp-test 0.0.0",
    });
    expect(JSON.parse(String(local?.load_params))).toMatchObject({ mode: "replace", database: null });

    const path = join(folder, "people.json");
    writeFileSync(path, JSON.stringify([{ name: "ada" }, { name: "bob" }, { name: "cy" }]));
    ok(await call(server, "load_file", { table: "people", path, persist: true }));
    const persistent = await catalogRow("people", "persistent");
    expect(persistent).toMatchObject({ load_tool: "load_file", row_count: 3 });
    // A load writes only to its own database's catalog.
    expect(await catalogRow("sales", "persistent")).toBeUndefined();
    expect(await catalogRow("people")).toBeUndefined();
    expect(JSON.parse(String(persistent?.load_params))).toMatchObject({ source_path: path, mode: "replace" });
  });

  it("keeps prose across reloads, clears a field with an empty string and refreshes mechanics", async () => {
    const set = ok(
      await call(server, "set_table_metadata", {
        table: "sales",
        source_url: "https://example.com/sales",
        purpose: "demo figures",
        license: "CC0",
      }),
    );
    expect(set).toMatchObject({
      table_name: "sales",
      source_url: "https://example.com/sales",
      purpose: "demo figures",
      license: "CC0",
      load_tool: "load_data",
      row_count: 2,
      notes: null,
      data_url: null,
      resolved_database: "local",
    });
    expect(String(set.loaded_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    const before = await catalogRow("sales");

    ok(await call(server, "load_data", { table: "sales", data: "id,amount\n3,30\n", mode: "append" }));
    const reloaded = await catalogRow("sales");
    expect(reloaded).toMatchObject({ purpose: "demo figures", license: "CC0", row_count: 3 });
    expect(reloaded?.loaded_at).toBe(before?.loaded_at);
    expect(String(reloaded?.last_refreshed_at) >= String(before?.last_refreshed_at)).toBe(true);

    const cleared = ok(
      await call(server, "set_table_metadata", { table: "sales", purpose: "", notes: "checked" }),
    );
    expect(cleared).toMatchObject({
      purpose: null,
      notes: "checked",
      source_url: "https://example.com/sales",
      license: "CC0",
      row_count: 3,
    });
    const persistent = ok(
      await call(server, "set_table_metadata", {
        table: "people",
        database: "PERSISTENT",
        data_url: "https://x/p.json",
      }),
    );
    expect(persistent).toMatchObject({
      table_name: "people",
      data_url: "https://x/p.json",
      resolved_database: "persistent",
    });
  });

  it("refuses an empty update, an unknown table and an unknown database", async () => {
    expect(errorCode(await call(server, "set_table_metadata", { table: "sales" }))).toBe("EMPTY_DATA");
    const missing = await call(server, "set_table_metadata", { table: "nope", notes: "x" });
    expect(errorCode(missing)).toBe("TABLE_NOT_FOUND");
    expect(
      errorCode(
        await call(server, "set_table_metadata", { table: "sales", notes: "x", database: "nowhere" }),
      ),
    ).toBe("INVALID_ARGUMENT");
  });
});

describe("reconcile after DDL", () => {
  it("tracks tables made by execute and keeps their prose across a rename; a drop removes the row", async () => {
    ok(await call(server, "execute", { sql: ["CREATE TABLE made (a INT)"] }));
    expect(await catalogRow("made")).toMatchObject({ load_tool: "unknown", row_count: 0 });
    ok(await call(server, "set_table_metadata", { table: "made", purpose: "kept across rename" }));

    ok(await call(server, "execute", { sql: ["ALTER TABLE made RENAME TO renamed"] }));
    expect(await catalogRow("made")).toBeUndefined();
    expect(await catalogRow("renamed")).toMatchObject({
      purpose: "kept across rename",
      load_tool: "unknown",
    });

    // The same in the persistent database, for a loaded table.
    ok(
      await call(server, "execute", { sql: ["ALTER TABLE people RENAME TO folks"], database: "persistent" }),
    );
    expect(await catalogRow("folks", "persistent")).toMatchObject({ load_tool: "load_file", row_count: 3 });
    const folks = ok(
      await call(server, "set_table_metadata", { table: "folks", notes: "renamed", database: "persistent" }),
    );
    expect(folks.data_url).toBe("https://x/p.json");

    ok(await call(server, "execute", { sql: ["DROP TABLE renamed"] }));
    expect(await catalogRow("renamed")).toBeUndefined();
    expect(errorCode(await call(server, "set_table_metadata", { table: "renamed", notes: "x" }))).toBe(
      "TABLE_NOT_FOUND",
    );
    // Unrelated tables keep their rows.
    expect(await catalogNames()).toEqual(["sales"]);
    expect(await catalogNames("persistent")).toEqual(["folks"]);
  });
});

describe("a writable attachment", () => {
  it("has its own catalog, and errors name it", async () => {
    const path = join(folder, "side.hyper");
    ok(await call(server, "attach_database", { alias: "side", path, writable: true, on_missing: "create" }));
    ok(await call(server, "load_data", { table: "things", data: "k\n1\n2\n3\n4\n", database: "side" }));
    expect(await catalogNames("side")).toEqual(["things"]);
    expect(await catalogNames()).not.toContain("things");
    const set = ok(
      await call(server, "set_table_metadata", {
        table: "things",
        database: "side",
        source_description: "side data",
      }),
    );
    expect(set).toMatchObject({ table_name: "things", row_count: 4, resolved_database: "side" });

    const missing = await call(server, "set_table_metadata", {
      table: "sales",
      database: "side",
      notes: "x",
    });
    expect(errorCode(missing)).toBe("TABLE_NOT_FOUND");
    expect(JSON.stringify(missing.structuredContent)).toContain("'side'");

    ok(await call(server, "execute", { sql: ["DROP TABLE things"], database: "side" }));
    expect(await catalogNames("side")).toEqual([]);
    ok(await call(server, "detach_database", { alias: "side" }));
  });

  it("gets no catalog from SQL alone, but from set_table_metadata on a table", async () => {
    const path = join(folder, "bare.hyper");
    ok(await call(server, "attach_database", { alias: "bare", path, writable: true, on_missing: "create" }));
    ok(await call(server, "execute", { sql: ["CREATE TABLE only_sql (a INT)"], database: "bare" }));
    const described = ok(await call(server, "describe", { database: "bare" }));
    expect((described.tables as { name: string }[]).map((table) => table.name)).toEqual(["only_sql"]);
    expect(
      errorCode(await call(server, "set_table_metadata", { table: "nope", database: "bare", notes: "x" })),
    ).toBe("TABLE_NOT_FOUND");
    expect(await call(server, "describe", { database: "bare", table: "_table_catalog" })).toMatchObject({
      isError: true,
    });
    // Describing one of its tables gives it a catalog.
    const set = ok(
      await call(server, "set_table_metadata", { table: "only_sql", database: "bare", notes: "x" }),
    );
    expect(set).toMatchObject({ table_name: "only_sql", notes: "x", load_tool: "unknown", row_count: 0 });
    ok(await call(server, "detach_database", { alias: "bare" }));
  });
});

describe("sessions without a persistent database or read-only", () => {
  it("keeps a local catalog under --ephemeral-only and refuses set_table_metadata under --read-only", async () => {
    const ephemeral = await startServer({ args: ["--ephemeral-only"] });
    try {
      ok(await call(ephemeral, "load_data", { table: "t", data: "a\n1\n" }));
      expect(ok(await call(ephemeral, "set_table_metadata", { table: "t", notes: "x" }))).toMatchObject({
        table_name: "t",
        notes: "x",
        load_tool: "load_data",
      });
    } finally {
      await ephemeral.client.close();
    }
    const readOnly = await startServer({ args: ["--read-only"] });
    try {
      expect(errorCode(await call(readOnly, "set_table_metadata", { table: "t", notes: "x" }))).toBe(
        "READ_ONLY_VIOLATION",
      );
    } finally {
      await readOnly.client.close();
    }
  });
});
