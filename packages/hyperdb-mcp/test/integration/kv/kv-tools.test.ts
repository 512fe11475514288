/**
 * The nine KV tools over stdio: every tool's result, the overwrite guard, value_path (read,
 * relative, missing, over 64 MiB without reading it), the 1 MiB warning, kv_set_many
 * atomicity, kv_pop order, routing to the persistent database and to attachments, a KV table
 * dropped behind the session's back, and the --read-only refusals.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, errorCode, ok } from "../../faults/fault-kit.ts";
import { type ServerUnderTest, startServer } from "../server/mcp-client.ts";

let folder: string;
let server: ServerUnderTest;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "hyperdb-mcp-kv-"));
  server = await startServer();
});

afterAll(async () => {
  await server?.client.close().catch(() => undefined);
  rmSync(folder, { recursive: true, force: true });
});

function messageOf(result: CallToolResult): string {
  return (result.structuredContent as { error: { message: string } }).error.message;
}

async function kv(tool: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  return ok(await call(server, tool, args));
}

describe("single keys", () => {
  it("sets, overwrites, guards, reads, deletes", async () => {
    expect(await kv("kv_set", { store: "notes", key: "greeting", value: "hello" })).toEqual({
      stored: true,
      created: true,
      store: "notes",
      key: "greeting",
      value_bytes: 5,
      resolved_database: "local",
    });
    expect(await kv("kv_set", { store: "notes", key: "greeting", value: "héllo" })).toMatchObject({
      stored: true,
      created: false,
      value_bytes: 6,
    });
    expect(await kv("kv_set", { store: "notes", key: "greeting", value: "nope", overwrite: false })).toEqual({
      stored: false,
      created: false,
      store: "notes",
      key: "greeting",
      value_bytes: 4,
      existed: true,
      resolved_database: "local",
    });
    expect(await kv("kv_set", { store: "notes", key: "fresh", value: "", overwrite: false })).toMatchObject({
      stored: true,
      created: true,
      value_bytes: 0,
    });
    expect(await kv("kv_get", { store: "notes", key: "greeting" })).toEqual({
      found: true,
      value: "héllo",
      resolved_database: "local",
    });
    expect(await kv("kv_get", { store: "notes", key: "fresh" })).toMatchObject({ found: true, value: "" });
    expect(await kv("kv_get", { store: "notes", key: "absent" })).toMatchObject({
      found: false,
      value: null,
    });
    // Overwriting after a run of new keys (and the other way round) keeps one row per key.
    expect(await kv("kv_set", { store: "notes", key: "fresh", value: "again" })).toMatchObject({
      created: false,
    });
    expect(await kv("kv_set", { store: "notes", key: "third", value: "3" })).toMatchObject({ created: true });
    const rows = ok(
      await call(server, "query", {
        sql: "SELECT key, count(*) AS n FROM _hyperdb_kv_store WHERE store_name = 'notes' GROUP BY key ORDER BY key",
      }),
    );
    expect(rows.result).toEqual([
      { key: "fresh", n: 1 },
      { key: "greeting", n: 1 },
      { key: "third", n: 1 },
    ]);
    expect(await kv("kv_delete", { store: "notes", key: "third" })).toEqual({
      deleted: true,
      store: "notes",
      key: "third",
      resolved_database: "local",
    });
    expect(await kv("kv_delete", { store: "notes", key: "third" })).toMatchObject({ deleted: false });
  });

  it("rejects invalid names and value arguments before writing", async () => {
    const space = await call(server, "kv_set", { store: "notes", key: "a b", value: "v" });
    expect(errorCode(space)).toBe("INVALID_ARGUMENT");
    expect(messageOf(space)).toBe(
      "invalid name: KV key contains an invalid byte 0x20; allowed: A-Z a-z 0-9 _ . -",
    );
    const long = await call(server, "kv_get", { store: "notes", key: "k".repeat(630) });
    expect(messageOf(long)).toBe("invalid name: KV key exceeds 512-byte limit (630 bytes)");
    const slash = await call(server, "kv_list", { store: "a/b" });
    expect(messageOf(slash)).toBe(
      "invalid name: KV store name contains an invalid byte 0x2f; allowed: A-Z a-z 0-9 _ . -",
    );
    expect(messageOf(await call(server, "kv_size", { store: "" }))).toBe(
      "invalid name: KV store name must not be empty",
    );
    const neither = await call(server, "kv_set", { store: "notes", key: "k" });
    expect(errorCode(neither)).toBe("INVALID_ARGUMENT");
    const both = await call(server, "kv_set", {
      store: "notes",
      key: "k",
      value: "v",
      value_path: "/etc/hostname",
    });
    expect(messageOf(both)).toMatch(/exactly one of `value` or `value_path`/);
    expect(await kv("kv_get", { store: "notes", key: "k" })).toMatchObject({ found: false });
  });
});

describe("value_path and sizes", () => {
  it("stores a file's contents, refuses relative, missing and oversized files", async () => {
    const path = join(folder, "config.json");
    writeFileSync(path, '{"theme": "dark"}\n');
    expect(await kv("kv_set", { store: "files", key: "config", value_path: path })).toMatchObject({
      stored: true,
      created: true,
      value_bytes: 18,
    });
    expect(await kv("kv_get", { store: "files", key: "config" })).toMatchObject({
      value: '{"theme": "dark"}\n',
    });
    const relative = await call(server, "kv_set", { store: "files", key: "r", value_path: "config.json" });
    expect(errorCode(relative)).toBe("INVALID_ARGUMENT");
    expect(messageOf(relative)).toBe("value_path path 'config.json' must be absolute");
    const missing = await call(server, "kv_set", {
      store: "files",
      key: "m",
      value_path: join(folder, "nope"),
    });
    expect(errorCode(missing)).toBe("FILE_NOT_FOUND");
    // Sparse: 64 MiB + 1 byte on paper, nothing on disk; refused by its size, not read.
    const huge = join(folder, "huge.bin");
    execFileSync("truncate", ["-s", "67108865", huge]);
    const started = performance.now();
    const tooLarge = await call(server, "kv_set", { store: "files", key: "h", value_path: huge });
    expect(errorCode(tooLarge)).toBe("INVALID_ARGUMENT");
    expect(messageOf(tooLarge)).toMatch(/^value_path file is 67108865 bytes \(> 67108864 hard limit\)/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("warns above 1 MiB and not at exactly 1 MiB", async () => {
    const exact = await kv("kv_set", { store: "sizes", key: "exact", value: "x".repeat(1_048_576) });
    expect(exact.value_bytes).toBe(1_048_576);
    expect(exact).not.toHaveProperty("warning");
    const over = await kv("kv_set", { store: "sizes", key: "over", value: "x".repeat(1_048_577) });
    expect(over.stored).toBe(true);
    expect(over.warning).toMatch(/^value is 1048577 bytes \(> 1048576 soft limit\)/);
    expect(await kv("kv_size", { store: "sizes" })).toEqual({
      store: "sizes",
      size: 2,
      bytes: 2_097_153,
      resolved_database: "local",
    });
    expect(await kv("kv_size", { store: "never-used" })).toMatchObject({ size: 0, bytes: 0 });
  });
});

describe("batches, lists, pop, clear", () => {
  it("writes kv_set_many atomically, in both modes", async () => {
    const empty = await call(server, "kv_set_many", { store: "batch", entries: [] });
    expect(errorCode(empty)).toBe("INVALID_ARGUMENT");
    expect(messageOf(empty)).toBe("entries must not be empty");
    const bad = await call(server, "kv_set_many", {
      store: "batch",
      entries: [
        { key: "good", value: "1" },
        { key: "bad key", value: "2" },
      ],
    });
    expect(errorCode(bad)).toBe("INVALID_ARGUMENT");
    expect(await kv("kv_list", { store: "batch" })).toMatchObject({ count: 0, keys: [] });
    expect(
      await kv("kv_set_many", {
        store: "batch",
        entries: [
          { key: "b", value: "2" },
          { key: "a", value: "1" },
          { key: "b", value: "22" },
        ],
      }),
    ).toEqual({ stored: 3, created: 2, overwritten: 1, total_bytes: 4, resolved_database: "local" });
    expect(
      await kv("kv_set_many", {
        store: "batch",
        entries: [
          { key: "a", value: "x" },
          { key: "c", value: "3" },
        ],
        overwrite: false,
      }),
    ).toEqual({ stored: 1, created: 1, skipped: 1, total_bytes: 2, resolved_database: "local" });
    expect(await kv("kv_list", { store: "batch", values: true })).toEqual({
      store: "batch",
      entries: [
        { key: "a", value: "1" },
        { key: "b", value: "22" },
        { key: "c", value: "3" },
      ],
      resolved_database: "local",
    });
  });

  it("lists keys and stores sorted, pops the lowest key, clears one store", async () => {
    await kv("kv_set_many", {
      store: "queue",
      entries: ["b", "_x", "a", "B", "1", "-"].map((key) => ({ key, value: `v${key}` })),
    });
    expect(await kv("kv_list", { store: "queue" })).toEqual({
      store: "queue",
      count: 6,
      keys: ["-", "1", "B", "_x", "a", "b"],
      resolved_database: "local",
    });
    expect(await kv("kv_pop", { store: "queue" })).toEqual({
      found: true,
      key: "-",
      value: "v-",
      resolved_database: "local",
    });
    expect(await kv("kv_pop", { store: "queue" })).toMatchObject({ key: "1" });
    const stores = await kv("kv_list_stores", {});
    expect(stores.stores).toEqual([...(stores.stores as string[])].sort());
    expect(stores.stores).toEqual(expect.arrayContaining(["batch", "files", "notes", "queue", "sizes"]));
    expect(stores.count).toBe((stores.stores as string[]).length);
    expect(await kv("kv_clear", { store: "queue" })).toEqual({
      store: "queue",
      removed: 4,
      resolved_database: "local",
    });
    expect(await kv("kv_pop", { store: "queue" })).toEqual({ found: false, resolved_database: "local" });
    expect((await kv("kv_list_stores", {})).stores).not.toContain("queue");
    expect(await kv("kv_get", { store: "batch", key: "a" })).toMatchObject({ value: "1" });
  });

  it("recreates the KV table when it was dropped behind the session's back", async () => {
    await kv("kv_set", { store: "dropped", key: "k", value: "v" });
    expect(await kv("kv_get", { store: "dropped", key: "k" })).toMatchObject({ found: true });
    ok(await call(server, "execute", { sql: ["DROP TABLE _hyperdb_kv_store"] }));
    expect(await kv("kv_get", { store: "dropped", key: "k" })).toMatchObject({ found: false });
    expect(await kv("kv_set", { store: "dropped", key: "k", value: "w" })).toMatchObject({ created: true });
    expect(await kv("kv_get", { store: "dropped", key: "k" })).toMatchObject({ value: "w" });
  });
});

describe("routing", () => {
  it("keeps the persistent database's stores apart from the local ones", async () => {
    expect(await kv("kv_set", { store: "prefs", key: "lang", value: "de", persist: true })).toMatchObject({
      created: true,
      resolved_database: "persistent",
    });
    expect(
      await kv("kv_set", { store: "prefs", key: "lang", value: "fr", database: "PERSISTENT" }),
    ).toMatchObject({
      created: false,
    });
    expect(await kv("kv_get", { store: "prefs", key: "lang", database: "persistent" })).toEqual({
      found: true,
      value: "fr",
      resolved_database: "persistent",
    });
    expect(await kv("kv_get", { store: "prefs", key: "lang" })).toMatchObject({ found: false });
    expect(await kv("kv_list_stores", { persist: true })).toEqual({
      count: 1,
      stores: ["prefs"],
      resolved_database: "persistent",
    });
    expect(
      await kv("kv_get", { store: "prefs", key: "lang", database: "local", persist: true }),
    ).toMatchObject({
      found: false,
      resolved_database: "local",
    });
  });

  it("uses a writable attachment and refuses a read-only one, even for readers", async () => {
    const path = join(folder, "kv-attached.hyper");
    ok(
      await call(server, "attach_database", { alias: "Scraps", path, writable: true, on_missing: "create" }),
    );
    expect(
      await kv("kv_set", { store: "s", key: "k", value: "in-attachment", database: "scraps" }),
    ).toMatchObject({
      created: true,
      resolved_database: "scraps",
    });
    expect(await kv("kv_pop", { store: "s", database: "scraps" })).toMatchObject({
      key: "k",
      value: "in-attachment",
    });
    ok(await call(server, "detach_database", { alias: "scraps" }));
    ok(await call(server, "attach_database", { alias: "frozen", path }));
    for (const [tool, args] of [
      ["kv_get", { store: "s", key: "k" }],
      ["kv_list_stores", {}],
      ["kv_set", { store: "s", key: "k", value: "v" }],
    ] as const) {
      const refused = await call(server, tool, { ...args, database: "frozen" });
      expect(errorCode(refused), tool).toBe("INVALID_ARGUMENT");
      expect(messageOf(refused)).toMatch(/read-only/);
    }
    const unknown = await call(server, "kv_size", { store: "s", database: "nowhere" });
    expect(errorCode(unknown)).toBe("INVALID_ARGUMENT");
    expect(messageOf(unknown)).toMatch(/not attached/);
  });
});

describe("--read-only and --ephemeral-only", () => {
  let readOnly: ServerUnderTest;

  beforeAll(async () => {
    readOnly = await startServer({ args: ["--read-only", "--ephemeral-only"] });
  });

  afterAll(async () => {
    await readOnly?.client.close().catch(() => undefined);
  });

  it("refuses the five mutating tools and serves the four readers", async () => {
    for (const [tool, args] of [
      ["kv_set", { store: "s", key: "k", value: "v" }],
      ["kv_set_many", { store: "s", entries: [{ key: "k", value: "v" }] }],
      ["kv_delete", { store: "s", key: "k" }],
      ["kv_pop", { store: "s" }],
      ["kv_clear", { store: "s" }],
    ] as const) {
      const refused = await call(readOnly, tool, args);
      expect(errorCode(refused), tool).toBe("READ_ONLY_VIOLATION");
      expect(messageOf(refused)).toBe(`Operation '${tool}' is not permitted in read-only mode`);
    }
    expect(ok(await call(readOnly, "kv_get", { store: "s", key: "k" }))).toMatchObject({ found: false });
    expect(ok(await call(readOnly, "kv_list", { store: "s" }))).toMatchObject({ count: 0 });
    expect(ok(await call(readOnly, "kv_list_stores", {}))).toMatchObject({ count: 0, stores: [] });
    expect(ok(await call(readOnly, "kv_size", { store: "s" }))).toMatchObject({ size: 0, bytes: 0 });
    const persistent = await call(readOnly, "kv_get", { store: "s", key: "k", persist: true });
    expect(errorCode(persistent)).toBe("INVALID_ARGUMENT");
    expect(messageOf(persistent)).toMatch(/--ephemeral-only/);
  });
});
