/**
 * The KV value cache of the local database, seen from a client: kv_get never answers a value
 * that SQL, a reload or a restart of hyperd has changed; concurrent writers and readers of one
 * key end with kv_get agreeing with the table; the persistent database is never cached (a
 * second server's write is seen at once).
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ok } from "../../faults/fault-kit.ts";
import { isolatedHome, type ServerUnderTest, startServer } from "../server/mcp-client.ts";

let server: ServerUnderTest;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.client.close().catch(() => undefined);
});

async function kv(
  on: ServerUnderTest,
  tool: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  return ok(await call(on, tool, args));
}

/** The value in the KV table itself; null when the key, or the whole table, is not there. */
async function valueInTable(store: string, key: string): Promise<string | null> {
  const answer = await call(server, "query", {
    sql: `SELECT value FROM _hyperdb_kv_store WHERE store_name = '${store}' AND key = '${key}'`,
  });
  if (answer.isError === true && JSON.stringify(answer.structuredContent).includes("42P01")) return null;
  const rows = ok(answer).result as { value: string }[];
  return rows[0]?.value ?? null;
}

describe("KV value cache", () => {
  it("kv_get sees values changed by SQL, not what it read or wrote before", async () => {
    await kv(server, "kv_set", { store: "c", key: "a", value: "1" });
    expect(await kv(server, "kv_get", { store: "c", key: "a" })).toMatchObject({ value: "1" });
    expect(await kv(server, "kv_get", { store: "c", key: "missing" })).toMatchObject({ found: false });
    ok(
      await call(server, "execute", {
        sql: ["UPDATE _hyperdb_kv_store SET value = 'by sql' WHERE store_name = 'c' AND key = 'a'"],
      }),
    );
    ok(
      await call(server, "execute", {
        sql: ["INSERT INTO _hyperdb_kv_store VALUES ('c', 'missing', 'now here')"],
      }),
    );
    expect(await kv(server, "kv_get", { store: "c", key: "a" })).toMatchObject({ value: "by sql" });
    expect(await kv(server, "kv_get", { store: "c", key: "missing" })).toMatchObject({
      found: true,
      value: "now here",
    });
  });

  it("kv_delete, kv_pop and kv_clear are seen by the next kv_get", async () => {
    await kv(server, "kv_set_many", {
      store: "d",
      entries: [
        { key: "a", value: "1" },
        { key: "b", value: "2" },
        { key: "c", value: "3" },
      ],
    });
    for (const key of ["a", "b", "c"]) await kv(server, "kv_get", { store: "d", key });
    await kv(server, "kv_delete", { store: "d", key: "b" });
    expect(await kv(server, "kv_get", { store: "d", key: "b" })).toMatchObject({ found: false });
    expect(await kv(server, "kv_pop", { store: "d" })).toMatchObject({ key: "a" });
    expect(await kv(server, "kv_get", { store: "d", key: "a" })).toMatchObject({ found: false });
    await kv(server, "kv_clear", { store: "d" });
    expect(await kv(server, "kv_get", { store: "d", key: "c" })).toMatchObject({ found: false });
    // kv_set with overwrite:false that finds the key leaves the old value visible.
    await kv(server, "kv_set", { store: "d", key: "k", value: "first" });
    await kv(server, "kv_set", { store: "d", key: "k", value: "second", overwrite: false });
    expect(await kv(server, "kv_get", { store: "d", key: "k" })).toMatchObject({ value: "first" });
  });

  it("concurrent writers and readers of one key end with kv_get agreeing with the table", async () => {
    for (let round = 0; round < 5; round++) {
      const key = `hot${round}`;
      const calls: Promise<CallToolResult>[] = [];
      for (let i = 0; i < 12; i++) {
        calls.push(call(server, "kv_set", { store: "race", key, value: `v${i}` }));
        calls.push(call(server, "kv_get", { store: "race", key }));
        if (i % 4 === 0) calls.push(call(server, "kv_delete", { store: "race", key }));
      }
      for (const result of await Promise.all(calls)) ok(result);
      const seen = await kv(server, "kv_get", { store: "race", key });
      expect(seen.value ?? null).toBe(await valueInTable("race", key));
    }
  });

  it("a restarted hyperd does not bring back values from before", async () => {
    await kv(server, "kv_set", { store: "r", key: "k", value: "kept?" });
    expect(await kv(server, "kv_get", { store: "r", key: "k" })).toMatchObject({ value: "kept?" });
    const status = ok(await call(server, "status", {})) as { engine: { hyperd_pid: number } };
    process.kill(status.engine.hyperd_pid, "SIGKILL");
    // Calls on connections to the dead hyperd fail until the pool has replaced them; only KV
    // calls here, which do not invalidate the cache by themselves.
    const probe = () => call(server, "kv_list", { store: "r" });
    let answered = await probe();
    for (let attempt = 0; answered.isError === true && attempt < 8; attempt++) answered = await probe();
    const listed = ok(answered).keys as string[];
    // Whatever the restarted hyperd found in the local file, kv_get, kv_list and the table agree.
    const seen = (await kv(server, "kv_get", { store: "r", key: "k" })).value ?? null;
    expect(seen).toBe(listed.includes("k") ? "kept?" : null);
    expect(seen).toBe(await valueInTable("r", "k"));
  });

  it("never caches the persistent database: a second server's write is seen at once", async () => {
    const home = isolatedHome();
    const first = await startServer({ home });
    const second = await startServer({ home });
    try {
      await kv(first, "kv_set", { store: "p", key: "k", value: "one", persist: true });
      expect(await kv(first, "kv_get", { store: "p", key: "k", persist: true })).toMatchObject({
        value: "one",
      });
      await kv(second, "kv_set", { store: "p", key: "k", value: "two", persist: true });
      expect(await kv(first, "kv_get", { store: "p", key: "k", persist: true })).toMatchObject({
        value: "two",
      });
    } finally {
      await first.client.close().catch(() => undefined);
      await second.client.close().catch(() => undefined);
    }
  });
});
