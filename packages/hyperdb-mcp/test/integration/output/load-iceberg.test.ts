/**
 * load_iceberg over stdio: an Iceberg directory written by export loaded with replace and
 * append, metadata_filename and version_as_of, a failed replace keeping the old table, the path
 * errors, and the refusal under --read-only.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, count, errorCode, ok } from "../../faults/fault-kit.ts";
import { type ServerUnderTest, startServer } from "../server/mcp-client.ts";

let folder: string;
let iceberg: string;
let server: ServerUnderTest;
let readOnly: ServerUnderTest;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "hyperdb-mcp-iceberg-"));
  iceberg = join(folder, "events");
  [server, readOnly] = await Promise.all([startServer(), startServer({ args: ["--read-only"] })]);
  ok(
    await call(server, "export", {
      sql: "SELECT i AS id, 'e' || i AS label FROM generate_series(1, 50) AS g(i)",
      path: iceberg,
      format: "iceberg",
    }),
  );
});

afterAll(async () => {
  await server?.client.close().catch(() => undefined);
  await readOnly?.client.close().catch(() => undefined);
  rmSync(folder, { recursive: true, force: true });
});

describe("load_iceberg", () => {
  it("loads an Iceberg table with replace, then appends to it", async () => {
    const loaded = ok(await call(server, "load_iceberg", { table: "events", path: iceberg }));
    expect(loaded.rows).toBe(50);
    expect(loaded.schema).toEqual([
      { name: "id", type: expect.stringMatching(/INT/), nullable: expect.any(Boolean) },
      { name: "label", type: "TEXT", nullable: expect.any(Boolean) },
    ]);
    expect(loaded.stats).toMatchObject({
      operation: "load_iceberg",
      file_format: "iceberg",
      rows: 50,
      table: "events",
    });
    expect((loaded.stats as { bytes_read: number }).bytes_read).toBeGreaterThan(0);
    expect(loaded).not.toHaveProperty("resolved_database");
    const appended = ok(
      await call(server, "load_iceberg", {
        table: "events",
        path: iceberg,
        mode: "append",
        version_as_of: 0,
      }),
    );
    expect(appended.rows).toBe(50);
    expect(await count(server, "events")).toBe(100);
    const replaced = ok(
      await call(server, "load_iceberg", { table: "events", path: iceberg, mode: "replace" }),
    );
    expect(replaced.rows).toBe(50);
    expect(await count(server, "events")).toBe(50);
  });

  it("reads a named metadata file, and keeps the old table when a replace fails", async () => {
    const metadata = readdirSync(join(iceberg, "metadata")).find((name) => name.endsWith(".metadata.json"));
    expect(metadata).toBeDefined();
    const loaded = ok(
      await call(server, "load_iceberg", { table: "by_file", path: iceberg, metadata_filename: metadata }),
    );
    expect(loaded.rows).toBe(50);
    const missingVersion = await call(server, "load_iceberg", {
      table: "by_file",
      path: iceberg,
      version_as_of: 7,
    });
    expect(errorCode(missingVersion)).toBe("SQL_ERROR");
    expect(await count(server, "by_file")).toBe(50);
  });

  it("refuses bad paths and arguments", async () => {
    const file = join(folder, "plain.parquet");
    writeFileSync(file, "not iceberg");
    const bare = join(folder, "bare");
    mkdirSync(bare);
    const cases: [Record<string, unknown>, string][] = [
      [{ table: "t", path: join(folder, "missing") }, "FILE_NOT_FOUND"],
      [{ table: "t", path: file }, "UNSUPPORTED_FORMAT"],
      [{ table: "t", path: bare }, "UNSUPPORTED_FORMAT"],
      [{ table: "t", path: "events" }, "INVALID_ARGUMENT"],
      [{ table: "t", path: iceberg, metadata_filename: "../x.json" }, "INVALID_ARGUMENT"],
      [{ table: "t", path: iceberg, mode: "merge" }, "INVALID_ARGUMENT"],
      [{ table: "_hyperdb_t", path: iceberg }, "INVALID_ARGUMENT"],
    ];
    for (const [args, code] of cases) {
      expect(errorCode(await call(server, "load_iceberg", args)), JSON.stringify(args)).toBe(code);
    }
  });

  it("is refused under --read-only", async () => {
    const refused = await call(readOnly, "load_iceberg", { table: "t", path: iceberg });
    expect(errorCode(refused)).toBe("READ_ONLY_VIOLATION");
  });
});
