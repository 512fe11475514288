/**
 * attach_database, detach_database and list_attached_databases over stdio, and routing of the
 * other tools to an attachment: writable and read-only attachments, SQL across databases, rows on
 * disk after the call, an attachment surviving a killed hyperd, and the argument errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, errorCode, ok, waitUntil } from "../../faults/fault-kit.ts";
import { isAlive, type ServerUnderTest, startServer } from "../server/mcp-client.ts";

let folder: string;
let server: ServerUnderTest;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "hyperdb-mcp-attach-"));
  server = await startServer();
});

afterAll(async () => {
  await server?.client.close().catch(() => undefined);
  rmSync(folder, { recursive: true, force: true });
});

function rowsOf(result: Record<string, unknown>): Record<string, unknown>[] {
  return result.result as Record<string, unknown>[];
}

describe("attach_database", () => {
  it("creates a writable database, routes loads and SQL to it, and keeps its rows on disk", async () => {
    const path = join(folder, "sales.hyper");
    const attached = ok(
      await call(server, "attach_database", { alias: "Sales", path, writable: true, on_missing: "create" }),
    );
    expect(attached).toEqual({
      alias: "sales",
      kind: "local_file",
      source: { kind: "local_file", path },
      writable: true,
      tables_visible: 0,
    });
    const loaded = ok(
      await call(server, "load_data", {
        table: "orders",
        data: JSON.stringify([
          { id: 1, amount: 10 },
          { id: 2, amount: 32 },
        ]),
        database: "SALES",
      }),
    );
    expect(loaded.resolved_database).toBe("sales");
    ok(await call(server, "load_data", { table: "names", data: "id,name\n1,ada\n2,bob\n" }));
    const joined = ok(
      await call(server, "query", {
        sql: 'SELECT n.name, o.amount FROM names n JOIN "sales"."public"."orders" o ON o.id = n.id ORDER BY n.name',
      }),
    );
    expect(rowsOf(joined)).toEqual([
      { name: "ada", amount: 10 },
      { name: "bob", amount: 32 },
    ]);
    const inSales = ok(
      await call(server, "query", { sql: "SELECT sum(amount) AS s FROM orders", database: "sales" }),
    );
    expect(rowsOf(inSales)).toEqual([{ s: 42 }]);
    expect(inSales.resolved_database).toBe("sales");
    const described = ok(await call(server, "describe", { database: "sales" }));
    // The first load gave the attachment its own table catalog; listings leave it out.
    expect((described.tables as { name: string }[]).map((table) => table.name)).toEqual(["orders"]);
    const catalog = ok(await call(server, "describe", { database: "sales", table: "_table_catalog" }));
    expect((catalog.tables as { row_count: number }[])[0]?.row_count).toBe(1);
    const executed = ok(
      await call(server, "execute", { sql: ["INSERT INTO orders VALUES (3, 58)"], database: "sales" }),
    );
    expect(executed.affected_rows).toBe(1);

    const listed = ok(await call(server, "list_attached_databases", {}));
    expect(listed.attachments).toEqual([
      expect.objectContaining({
        alias: "sales",
        writable: true,
        tables_visible: 1,
        source: { kind: "local_file", path },
      }),
    ]);

    // Held only during calls: a second, independent server reads what the first committed.
    const reader = await startServer();
    try {
      ok(await call(reader, "attach_database", { alias: "s2", path }));
      const counted = ok(await call(reader, "query", { sql: "SELECT count(*) AS n FROM s2.public.orders" }));
      expect(rowsOf(counted)).toEqual([{ n: 3 }]);
    } finally {
      await reader.client.close();
    }

    expect(ok(await call(server, "detach_database", { alias: "SALES" }))).toEqual({
      alias: "SALES",
      detached: true,
    });
    expect(ok(await call(server, "detach_database", { alias: "sales" }))).toEqual({
      alias: "sales",
      detached: false,
    });
    expect(errorCode(await call(server, "query", { sql: "SELECT 1", database: "sales" }))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(ok(await call(server, "list_attached_databases", {}))).toEqual({ attachments: [] });
  });

  it("attaches read-only by default: tools refuse to write, and so does hyperd", async () => {
    const path = join(folder, "ref.hyper");
    ok(await call(server, "attach_database", { alias: "refw", path, writable: true, on_missing: "create" }));
    ok(await call(server, "execute", { sql: ["CREATE TABLE codes (code TEXT)"], database: "refw" }));
    ok(await call(server, "execute", { sql: ["INSERT INTO codes VALUES ('a'), ('b')"], database: "refw" }));
    ok(await call(server, "detach_database", { alias: "refw" }));

    const attached = ok(await call(server, "attach_database", { alias: "ref", path }));
    expect(attached).toMatchObject({ alias: "ref", writable: false, tables_visible: 1 });
    const read = ok(await call(server, "query", { sql: "SELECT count(*) AS n FROM codes", database: "ref" }));
    expect(rowsOf(read)).toEqual([{ n: 2 }]);

    const routed = await call(server, "execute", {
      sql: ["INSERT INTO codes VALUES ('c')"],
      database: "ref",
    });
    expect(errorCode(routed)).toBe("INVALID_ARGUMENT");
    expect(JSON.stringify(routed.structuredContent)).toContain("read-only");
    const load = await call(server, "load_data", { table: "x", data: "a\n1\n", database: "ref" });
    expect(errorCode(load)).toBe("INVALID_ARGUMENT");
    // SQL that names the read-only database from elsewhere is refused by hyperd itself.
    const sneaky = await call(server, "execute", {
      sql: ['INSERT INTO "ref"."public"."codes" VALUES (\'c\')'],
    });
    expect(sneaky.isError).toBe(true);
    expect(JSON.stringify(sneaky.structuredContent)).toMatch(/read-only/);
    const after = ok(await call(server, "query", { sql: "SELECT count(*) AS n FROM ref.public.codes" }));
    expect(rowsOf(after)).toEqual([{ n: 2 }]);
    ok(await call(server, "detach_database", { alias: "ref" }));
  });

  it("keeps attachments when hyperd is killed and restarted", async () => {
    const path = join(folder, "survivor.hyper");
    ok(
      await call(server, "attach_database", {
        alias: "survivor",
        path,
        writable: true,
        on_missing: "create",
      }),
    );
    ok(await call(server, "load_data", { table: "t", data: "v\n1\n2\n", database: "survivor" }));
    const status = ok(await call(server, "status", {}));
    const pid = (status.engine as { hyperd_pid: number }).hyperd_pid;
    expect(status.attachments).toEqual([expect.objectContaining({ alias: "survivor", writable: true })]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, "SIGKILL");
    expect(await waitUntil(() => !isAlive(pid), 5_000)).toBe(true);
    let result = await call(server, "query", { sql: "SELECT count(*) AS n FROM t", database: "survivor" });
    if (result.isError === true) {
      // The first call may meet the dead connection; the next one runs on the restarted hyperd.
      expect(errorCode(result)).toBe("CONNECTION_LOST");
      result = await call(server, "query", { sql: "SELECT count(*) AS n FROM t", database: "survivor" });
    }
    expect(rowsOf(ok(result))).toEqual([{ n: 2 }]);
    ok(await call(server, "detach_database", { alias: "survivor" }));
  });

  it("refuses bad arguments with clear errors and attaches nothing", async () => {
    const existing = join(folder, "exists.hyper");
    ok(
      await call(server, "attach_database", {
        alias: "ex",
        path: existing,
        writable: true,
        on_missing: "create",
      }),
    );
    const cases: [Record<string, unknown>, string][] = [
      [{ alias: "1bad", path: existing }, "INVALID_ARGUMENT"],
      [{ alias: "local", path: existing }, "INVALID_ARGUMENT"],
      [{ alias: "Persistent", path: existing }, "INVALID_ARGUMENT"],
      [{ alias: "x".repeat(64), path: existing }, "INVALID_ARGUMENT"],
      [
        { alias: "EX", path: join(folder, "other.hyper"), on_missing: "create", writable: true },
        "INVALID_ARGUMENT",
      ],
      [{ alias: "twin", path: existing }, "INVALID_ARGUMENT"],
      [{ alias: "rel", path: "relative/x.hyper" }, "INVALID_ARGUMENT"],
      [
        { alias: "up", path: `${folder}/../x.hyper`, writable: true, on_missing: "create" },
        "INVALID_ARGUMENT",
      ],
      [{ alias: "missing", path: join(folder, "missing.hyper") }, "FILE_NOT_FOUND"],
      [{ alias: "nowrite", path: join(folder, "new.hyper"), on_missing: "create" }, "INVALID_ARGUMENT"],
      [{ alias: "odd", path: existing, on_missing: "maybe" }, "INVALID_ARGUMENT"],
      [{ alias: "remote", path: existing, kind: "tcp" }, "INVALID_ARGUMENT"],
      [{ alias: "dir", path: folder }, "INVALID_ARGUMENT"],
    ];
    for (const [args, code] of cases) {
      expect(errorCode(await call(server, "attach_database", args)), JSON.stringify(args)).toBe(code);
    }
    const notHyper = join(folder, "notes.hyper");
    writeFileSync(notHyper, "this is not a database\n");
    const bad = await call(server, "attach_database", { alias: "notes", path: notHyper });
    expect(bad.isError).toBe(true);
    expect(errorCode(bad)).not.toBe("INTERNAL_ERROR");
    const listed = ok(await call(server, "list_attached_databases", {}));
    expect((listed.attachments as { alias: string }[]).map((a) => a.alias)).toEqual(["ex"]);
    ok(await call(server, "detach_database", { alias: "ex" }));
    // The server still serves.
    expect(rowsOf(ok(await call(server, "query", { sql: "SELECT 1 AS one" })))).toEqual([{ one: 1 }]);
  });
});

describe("attach_database under --read-only", () => {
  it("allows read-only attachments only", async () => {
    const path = join(folder, "ro-server.hyper");
    ok(await call(server, "attach_database", { alias: "seed", path, writable: true, on_missing: "create" }));
    ok(await call(server, "detach_database", { alias: "seed" }));
    const readOnly = await startServer({ args: ["--read-only"] });
    try {
      const writable = await call(readOnly, "attach_database", { alias: "w", path, writable: true });
      expect(errorCode(writable)).toBe("READ_ONLY_VIOLATION");
      const create = await call(readOnly, "attach_database", {
        alias: "c",
        path: join(folder, "never.hyper"),
        on_missing: "create",
        writable: true,
      });
      expect(errorCode(create)).toBe("READ_ONLY_VIOLATION");
      expect(ok(await call(readOnly, "attach_database", { alias: "r", path })).writable).toBe(false);
      expect(ok(await call(readOnly, "detach_database", { alias: "r" })).detached).toBe(true);
    } finally {
      await readOnly.client.close();
    }
  });
});
