/**
 * export over stdio: round trips of every row format through load_file / load_iceberg, the
 * hyper format with its real row total, format options, overwrite and path rules, the argument
 * errors, and export under --read-only.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, errorCode, ok } from "../../faults/fault-kit.ts";
import { type ServerUnderTest, startServer } from "../server/mcp-client.ts";

let folder: string;
let server: ServerUnderTest;
let readOnly: ServerUnderTest;

const ROWS = [
  { id: 1, name: "ada", score: 1.5 },
  { id: 2, name: "bob", score: 2.25 },
  { id: 3, name: "cy", score: null },
];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "hyperdb-mcp-export-"));
  [server, readOnly] = await Promise.all([startServer(), startServer({ args: ["--read-only"] })]);
  ok(await call(server, "load_data", { table: "people", data: JSON.stringify(ROWS) }));
});

afterAll(async () => {
  await server?.client.close().catch(() => undefined);
  await readOnly?.client.close().catch(() => undefined);
  rmSync(folder, { recursive: true, force: true });
});

async function rows(target: ServerUnderTest, sql: string, database?: string): Promise<unknown[]> {
  const result = ok(await call(target, "query", { sql, ...(database === undefined ? {} : { database }) }));
  return result.result as unknown[];
}

function directorySize(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

describe("export", () => {
  it.each([
    ["csv", "people.csv"],
    ["parquet", "people.parquet"],
    ["arrow_ipc", "people.arrow"],
  ])("writes %s that load_file reads back row for row", async (format, file) => {
    const path = join(folder, "nested", format, file);
    const exported = ok(await call(server, "export", { table: "people", path, format }));
    const size = statSync(path).size;
    expect(exported).toMatchObject({
      output_path: path,
      rows: 3,
      file_size_bytes: size,
      stats: { operation: "export", rows: 3, file_size_bytes: size, format, output_path: path },
      resolved_database: "local",
    });
    expect((exported.stats as { rows_per_sec: number }).rows_per_sec).toBeGreaterThan(0);
    const table = `back_${format}`;
    ok(await call(server, "load_file", { table, path }));
    expect(await rows(server, `SELECT id, name, score FROM ${table} ORDER BY id`)).toEqual(ROWS);
  });

  it("exports the rows of a query with format options that replace the defaults", async () => {
    const path = join(folder, "query.csv");
    const exported = ok(
      await call(server, "export", {
        sql: "SELECT id, name FROM people WHERE id > 1 ORDER BY id;",
        path,
        format: "CSV",
        format_options: { delimiter: ";", header: false },
      }),
    );
    expect(exported.rows).toBe(2);
    expect(readFileSync(path, "utf8")).toBe("2;bob\n3;cy\n");
  });

  it("writes an Iceberg directory that load_iceberg reads back, replacing an earlier export", async () => {
    const path = join(folder, "people_iceberg");
    ok(await call(server, "export", { sql: "SELECT * FROM people WHERE id = 1", path, format: "iceberg" }));
    const exported = ok(await call(server, "export", { table: "people", path, format: "iceberg" }));
    expect(exported.rows).toBe(3);
    expect(exported.file_size_bytes).toBe(directorySize(path));
    const loaded = ok(await call(server, "load_iceberg", { table: "back_iceberg", path }));
    expect(loaded.rows).toBe(3);
    expect(await rows(server, "SELECT id, name, score FROM back_iceberg ORDER BY id")).toEqual(ROWS);
  });

  it("copies every user table into a new .hyper file and reports the real row total", async () => {
    ok(await call(server, "load_data", { table: "other", data: "k\n1\n2\n" }));
    const path = join(folder, "copy", "all.hyper");
    const exported = ok(await call(server, "export", { path, format: "hyper" }));
    const described = ok(await call(server, "describe", {}));
    const tables = described.tables as { name: string; row_count: number }[];
    const total = tables.reduce((sum, table) => sum + table.row_count, 0);
    expect(exported.rows).toBe(total);
    expect(exported.file_size_bytes).toBe(statSync(path).size);
    ok(await call(server, "attach_database", { alias: "exported", path }));
    const copied = ok(await call(server, "describe", { database: "exported" }));
    expect((copied.tables as { name: string }[]).map((table) => table.name).sort()).toEqual(
      tables.map((table) => table.name).sort(),
    );
    expect(await rows(server, "SELECT count(*) AS n FROM people", "exported")).toEqual([{ n: 3 }]);
    ok(await call(server, "detach_database", { alias: "exported" }));
  });

  it("keeps an existing file with overwrite false and replaces it by default", async () => {
    const path = join(folder, "keep.csv");
    writeFileSync(path, "old");
    const refused = await call(server, "export", { table: "people", path, format: "csv", overwrite: false });
    expect(errorCode(refused)).toBe("PERMISSION_DENIED");
    expect(readFileSync(path, "utf8")).toBe("old");
    ok(await call(server, "export", { table: "people", path, format: "csv" }));
    expect(readFileSync(path, "utf8")).toContain("ada");
  });

  it("never deletes a directory that is not an Iceberg table", async () => {
    const path = join(folder, "precious");
    mkdirSync(path);
    writeFileSync(join(path, "notes.txt"), "keep me");
    const refused = await call(server, "export", { table: "people", path, format: "iceberg" });
    expect(errorCode(refused)).toBe("INVALID_ARGUMENT");
    expect(existsSync(join(path, "notes.txt"))).toBe(true);
  });

  it.each([
    ["a relative path", { table: "people", path: "out.csv", format: "csv" }, "INVALID_ARGUMENT"],
    ["a '..' segment", { table: "people", path: "/tmp/a/../b.csv", format: "csv" }, "INVALID_ARGUMENT"],
    ["an unknown format", { table: "people", path: "/tmp/x.xlsx", format: "xlsx" }, "UNSUPPORTED_FORMAT"],
    [
      "a bad option key",
      { table: "people", path: "/tmp/x.csv", format: "csv", format_options: { "a-b": 1 } },
      "SCHEMA_MISMATCH",
    ],
    [
      "a non-scalar option",
      { table: "people", path: "/tmp/x.csv", format: "csv", format_options: { delimiter: [";"] } },
      "SCHEMA_MISMATCH",
    ],
    ["neither sql nor table", { path: "/tmp/x.csv", format: "csv" }, "SQL_ERROR"],
    ["a writing statement", { sql: "DELETE FROM people", path: "/tmp/x.csv", format: "csv" }, "SQL_ERROR"],
    [
      "an unattached database",
      { table: "people", path: "/tmp/x.csv", format: "csv", database: "nope" },
      "INVALID_ARGUMENT",
    ],
  ])("refuses %s", async (_, args, code) => {
    expect(errorCode(await call(server, "export", args))).toBe(code);
  });

  it("works on a --read-only server", async () => {
    const path = join(folder, "read-only.parquet");
    const exported = ok(
      await call(readOnly, "export", { sql: "SELECT 1 AS one UNION ALL SELECT 2", path, format: "parquet" }),
    );
    expect(exported.rows).toBe(2);
    expect(statSync(path).size).toBe(exported.file_size_bytes);
  });
});
