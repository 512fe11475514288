/**
 * copy_query over stdio: create, append and replace in the local, persistent and attached
 * databases, a query resolving in another database, temp_attach for one call, the argument
 * errors, and the refusal under --read-only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, count, errorCode, ok } from "../../faults/fault-kit.ts";
import { type ServerUnderTest, startServer } from "../server/mcp-client.ts";

let folder: string;
let server: ServerUnderTest;
let readOnly: ServerUnderTest;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "hyperdb-mcp-copy-query-"));
  [server, readOnly] = await Promise.all([startServer(), startServer({ args: ["--read-only"] })]);
  ok(await call(server, "load_data", { table: "src", data: "id,amount\n1,10\n2,20\n3,30\n" }));
});

afterAll(async () => {
  await server?.client.close().catch(() => undefined);
  await readOnly?.client.close().catch(() => undefined);
  rmSync(folder, { recursive: true, force: true });
});

describe("copy_query", () => {
  it("creates, appends to and replaces a local table", async () => {
    const created = ok(
      await call(server, "copy_query", {
        sql: "SELECT id, amount * 2 AS doubled FROM src",
        target_table: "doubled",
      }),
    );
    expect(created).toMatchObject({
      target_table: "doubled",
      target_database: "local",
      mode: "create",
      row_count: 3,
      stats: { operation: "copy_query" },
      resolved_database: "local",
    });
    const again = await call(server, "copy_query", {
      sql: "SELECT 1",
      target_table: "doubled",
      mode: "create",
    });
    expect(errorCode(again)).toBe("INVALID_ARGUMENT");
    const appended = ok(
      await call(server, "copy_query", { sql: "VALUES (4, 80)", target_table: "doubled", mode: "append" }),
    );
    expect(appended.row_count).toBe(1);
    expect(await count(server, "doubled")).toBe(4);
    const replaced = ok(
      await call(server, "copy_query", {
        sql: "WITH big AS (SELECT * FROM src WHERE amount > 15) SELECT * FROM big",
        target_table: "doubled",
        mode: "REPLACE",
      }),
    );
    expect(replaced).toMatchObject({ mode: "replace", row_count: 2 });
    const failed = await call(server, "copy_query", {
      sql: "SELECT id / 0 AS boom FROM src",
      target_table: "doubled",
      mode: "replace",
    });
    expect(errorCode(failed)).toBe("SQL_ERROR");
    expect(await count(server, "doubled")).toBe(2);
    const described = ok(await call(server, "describe", {}));
    expect((described.tables as { name: string }[]).map((table) => table.name)).toEqual(["doubled", "src"]);
  });

  it("copies between databases: into persistent, and from a file attached for one call", async () => {
    const toPersistent = ok(
      await call(server, "copy_query", {
        sql: "SELECT * FROM src",
        target_table: "kept",
        target_database: "Persistent",
      }),
    );
    expect(toPersistent).toMatchObject({
      target_database: "persistent",
      row_count: 3,
      resolved_database: "local",
    });
    expect(await count(server, "kept", "persistent")).toBe(3);

    const file = join(folder, "archive.hyper");
    ok(await call(server, "export", { path: file, format: "hyper" }));
    const fromFile = ok(
      await call(server, "copy_query", {
        sql: "SELECT id FROM src WHERE id < 3",
        target_table: "from_archive",
        database: "arch",
        temp_attach: { alias: "Arch", path: file },
      }),
    );
    expect(fromFile).toMatchObject({ target_database: "local", row_count: 2, resolved_database: "arch" });
    const listed = ok(await call(server, "list_attached_databases", {}));
    expect(listed.attachments).toEqual([]);
    const intoFile = ok(
      await call(server, "copy_query", {
        sql: 'SELECT * FROM "scratch"."public"."src"',
        target_table: "copied",
        target_database: "w",
        temp_attach: { alias: "w", path: file, writable: true },
      }),
    );
    expect(intoFile).toMatchObject({ target_database: "w", row_count: 3 });
    ok(await call(server, "attach_database", { alias: "check", path: file }));
    expect(await count(server, "copied", "check")).toBe(3);
    ok(await call(server, "detach_database", { alias: "check" }));
  });

  it("refuses writing into a read-only attachment or an unattached database", async () => {
    const file = join(folder, "ro.hyper");
    ok(
      await call(server, "attach_database", {
        alias: "ro",
        path: file,
        writable: true,
        on_missing: "create",
      }),
    );
    ok(await call(server, "detach_database", { alias: "ro" }));
    ok(await call(server, "attach_database", { alias: "ro", path: file }));
    const readOnlyTarget = await call(server, "copy_query", {
      sql: "SELECT 1 AS a",
      target_table: "x",
      target_database: "ro",
    });
    expect(errorCode(readOnlyTarget)).toBe("INVALID_ARGUMENT");
    const unattached = await call(server, "copy_query", {
      sql: "SELECT 1 AS a",
      target_table: "x",
      target_database: "nope",
    });
    expect(errorCode(unattached)).toBe("INVALID_ARGUMENT");
    ok(await call(server, "detach_database", { alias: "ro" }));
  });

  it.each([
    [
      "append to a missing table",
      { sql: "SELECT 1 AS a", target_table: "missing", mode: "append" },
      "INVALID_ARGUMENT",
    ],
    ["an unknown mode", { sql: "SELECT 1 AS a", target_table: "t", mode: "upsert" }, "INVALID_ARGUMENT"],
    ["a writing statement", { sql: "DELETE FROM src", target_table: "t" }, "SQL_ERROR"],
    ["SHOW", { sql: "SHOW schema_search_path", target_table: "t" }, "SQL_ERROR"],
    ["two statements", { sql: "SELECT 1; SELECT 2", target_table: "t" }, "SQL_ERROR"],
    ["a reserved table name", { sql: "SELECT 1 AS a", target_table: "_hyperdb_x" }, "INVALID_ARGUMENT"],
    [
      "a temp_attach of a missing file",
      { sql: "SELECT 1 AS a", target_table: "t", temp_attach: { alias: "m", path: "/nowhere/m.hyper" } },
      "FILE_NOT_FOUND",
    ],
  ])("refuses %s", async (_, args, code) => {
    expect(errorCode(await call(server, "copy_query", args))).toBe(code);
  });

  it("is refused under --read-only, also with a writable temp_attach", async () => {
    const plain = await call(readOnly, "copy_query", { sql: "SELECT 1 AS a", target_table: "t" });
    expect(errorCode(plain)).toBe("READ_ONLY_VIOLATION");
    const writable = await call(readOnly, "copy_query", {
      sql: "SELECT 1 AS a",
      target_table: "t",
      temp_attach: { alias: "w", path: join(folder, "archive.hyper"), writable: true },
    });
    expect(errorCode(writable)).toBe("READ_ONLY_VIOLATION");
  });
});
