import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Connection, HyperError, SqlState } from "../../../src/index.ts";
import { KvStore } from "../../../src/kv/kv-store.ts";

let directory: string;
let connection: Connection;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "hyperdb-api-kv-create-"));
  const hyperd = inject("hyperd");
  connection = await Connection.connect({
    endpoint: `${hyperd.host}:${hyperd.port}`,
    database: join(directory, "kv.hyper"),
    createMode: "CreateIfNotExists",
  });
});

afterAll(async () => {
  await connection?.close();
  await rm(directory, { recursive: true, force: true });
});

async function tableExists(): Promise<boolean> {
  return connection.fetchAll("SELECT 1 FROM _hyperdb_kv_store LIMIT 0").then(
    () => true,
    (error: unknown) => {
      if (error instanceof HyperError && error.sqlstate === SqlState.undefinedTable) return false;
      throw error;
    },
  );
}

describe("KvStore createTable: false", () => {
  it("opens without creating the table; operations then fail with 42P01 until it exists", async () => {
    await using kv = await KvStore.open(connection, "lazy", { createTable: false });
    expect(await tableExists()).toBe(false);
    const failure = await kv.get("k").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HyperError);
    expect((failure as HyperError).sqlstate).toBe(SqlState.undefinedTable);
    const listed = await KvStore.listStores(connection, { createTable: false }).catch(
      (error: unknown) => error,
    );
    expect((listed as HyperError).sqlstate).toBe(SqlState.undefinedTable);

    expect(await KvStore.listStores(connection)).toEqual([]);
    expect(await tableExists()).toBe(true);
    // The statement that failed to prepare is prepared again once the table is there.
    expect(await kv.get("k")).toBeUndefined();
    expect(await kv.set("k", "v")).toEqual({ created: true });
    expect(await KvStore.listStores(connection, { createTable: false })).toEqual(["lazy"]);
  });
});
