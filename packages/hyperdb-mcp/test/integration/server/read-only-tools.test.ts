/**
 * `--read-only` across the whole tool surface: every tool that can write answers
 * READ_ONLY_VIOLATION before doing anything, with valid arguments, and every other tool is
 * served. The list of writing tools is the contract's; a new tool must be put on one side.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, errorCode } from "../../faults/fault-kit.ts";
import { type ServerUnderTest, startServer } from "./mcp-client.ts";

const folder = mkdtempSync(join(tmpdir(), "hyperdb-mcp-read-only-tools-"));
const csv = join(folder, "data.csv");
writeFileSync(csv, "a,b\n1,x\n2,y\n");

/** Writing tools, with arguments that would succeed on a writable server. */
const WRITING: Record<string, Record<string, unknown>> = {
  execute: { sql: ["CREATE TABLE t (a INT)"] },
  load_data: { table: "t", data: "a\n1\n" },
  load_file: { table: "t", path: csv },
  load_files: { files: [{ table: "t", path: csv }] },
  load_iceberg: { table: "t", path: folder },
  watch_directory: { path: folder, table: "t" },
  save_query: { name: "q", sql: "SELECT 1" },
  delete_query: { name: "q" },
  set_table_metadata: { table: "t", notes: "n" },
  copy_query: { sql: "SELECT 1 AS a", target_table: "t", mode: "create" },
  kv_set: { store: "s", key: "k", value: "v" },
  kv_set_many: { store: "s", entries: [{ key: "k", value: "v" }] },
  kv_delete: { store: "s", key: "k" },
  kv_pop: { store: "s" },
  kv_clear: { store: "s" },
};

/** Tools a read-only server serves, with arguments that succeed there. */
const SERVED: Record<string, Record<string, unknown>> = {
  status: {},
  get_readme: {},
  query: { sql: "SELECT 1 AS one" },
  describe: {},
  inspect_file: { path: csv },
  query_data: { data: "a\n1\n", sql: "SELECT count(*) AS n FROM data" },
  query_file: { path: csv, sql: "SELECT count(*) AS n FROM data" },
  list_attached_databases: {},
  detach_database: { alias: "nothing" },
  chart: { sql: "SELECT 'a' AS x, 1 AS y", chart_type: "bar", x: "x", y: "y", format: "svg" },
  export: { sql: "SELECT 1 AS a", path: join(folder, "out.csv"), format: "csv" },
  kv_get: { store: "s", key: "k" },
  kv_list: { store: "s" },
  kv_list_stores: {},
  kv_size: { store: "s" },
};

let server: ServerUnderTest;

beforeAll(async () => {
  server = await startServer({ args: ["--read-only"] });
});

afterAll(async () => {
  await server?.client.close().catch(() => undefined);
  rmSync(folder, { recursive: true, force: true });
});

describe("--read-only over the whole tool surface", () => {
  it("puts every listed tool on one side", async () => {
    const { tools } = await server.client.listTools();
    const classified = new Set([
      ...Object.keys(WRITING),
      ...Object.keys(SERVED),
      "sample",
      "attach_database",
      "unwatch_directory",
    ]);
    expect(tools.map((tool) => tool.name).filter((name) => !classified.has(name))).toEqual([]);
  });

  it.each(Object.entries(WRITING))("%s is refused with READ_ONLY_VIOLATION", async (name, args) => {
    const result = await call(server, name, args);
    expect(errorCode(result), JSON.stringify(result.content)).toBe("READ_ONLY_VIOLATION");
    expect(JSON.stringify(result.structuredContent)).toContain("read-only mode");
  });

  it.each(Object.entries(SERVED))("%s is served", async (name, args) => {
    const result = await call(server, name, args);
    expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
  });

  it("attach_database: read-only attachments only; unwatch and sample are not guarded", async () => {
    const path = join(folder, "none.hyper");
    expect(
      errorCode(
        await call(server, "attach_database", { alias: "w", path, writable: true, on_missing: "create" }),
      ),
    ).toBe("READ_ONLY_VIOLATION");
    expect(errorCode(await call(server, "unwatch_directory", { path: folder }))).toBe("FILE_NOT_FOUND");
    expect(errorCode(await call(server, "sample", { table: "nope" }))).toBe("TABLE_NOT_FOUND");
  });
});
