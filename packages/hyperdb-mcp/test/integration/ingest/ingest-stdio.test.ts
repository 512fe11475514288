import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerUnderTest, startServer, waitForExit } from "../server/mcp-client.ts";

let server: ServerUnderTest;
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "hyperdb-mcp-ingest-e2e-"));
  server = await startServer();
});

afterAll(async () => {
  if (server !== undefined) {
    await server.client.close();
    await waitForExit(server.pid, 10_000);
  }
  await rm(directory, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await server.client.callTool({ name, arguments: args })) as CallToolResult;
}

function ok(result: CallToolResult): Record<string, unknown> {
  expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
  const structured = result.structuredContent as Record<string, unknown>;
  // The text block carries the same JSON (query lays it out one row per line, the others
  // pretty-printed).
  expect(result.content).toHaveLength(1);
  const [block] = result.content;
  expect(block?.type).toBe("text");
  const text = block?.type === "text" ? block.text : "";
  expect(JSON.parse(text)).toEqual(structured);
  if (!("result" in structured)) expect(text).toBe(JSON.stringify(structured, null, 2));
  return structured;
}

function failure(result: CallToolResult): { code: string; message: string } {
  expect(result.isError).toBe(true);
  return (result.structuredContent as { error: { code: string; message: string } }).error;
}

describe("ingest tools over stdio", () => {
  it("lists the ingest tools", async () => {
    const names = (await server.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "load_data",
        "load_file",
        "load_files",
        "inspect_file",
        "query_data",
        "query_file",
      ]),
    );
  });

  it("load_data loads JSON and CSV, then query reads it; schema may be a JSON string", async () => {
    const json = ok(
      await call("load_data", {
        table: "events",
        data: '[{"id": 1, "zip": "01234"}, {"id": 2, "zip": "99999"}]',
        schema: '{"id": "BIGINT"}',
      }),
    );
    expect(json).toMatchObject({
      rows: 2,
      schema: [
        { name: "id", type: "BIGINT", nullable: false },
        { name: "zip", type: "TEXT", nullable: false },
      ],
      resolved_database: "local",
    });
    ok(await call("load_data", { table: "events", data: '[{"id": 3, "zip": "5"}]', mode: "append" }));
    const csv = ok(await call("load_data", { table: "c", data: "a,b\n1,\n2,x\n" }));
    expect(csv).toMatchObject({ rows: 2, stats: { file_format: "csv", operation: "load_data" } });
    const query = ok(await call("query", { sql: "SELECT count(*) AS n, max(id) AS m FROM events" }));
    expect(query.result).toEqual([{ n: 3, m: 3 }]);
    expect(failure(await call("load_data", { table: "x", data: "" })).code).toBe("EMPTY_DATA");
    // The default persistent database (in the isolated home) takes persist: true.
    expect(ok(await call("load_data", { table: "x", data: '[{"k": 1}]', persist: true }))).toMatchObject({
      rows: 1,
      resolved_database: "persistent",
    });
    const persisted = ok(await call("query", { sql: 'SELECT k FROM "persistent"."public"."x"' }));
    expect(persisted.result).toEqual([{ k: 1 }]);
  });

  it("load_file, load_files, inspect_file and query_file work on files", async () => {
    const csv = join(directory, "sales.csv");
    await writeFile(csv, "region,amount\neu,10\nus,5\n");
    const jsonl = join(directory, "events.jsonl");
    await writeFile(jsonl, '{"k": "a"}\n{"k": "b"}\n');
    expect(ok(await call("load_file", { table: "sales", path: csv })).rows).toBe(2);
    expect(failure(await call("load_file", { table: "sales", path: "sales.csv" }))).toEqual({
      code: "INVALID_ARGUMENT",
      message: "Input path 'sales.csv' must be absolute",
      suggestion: expect.any(String),
    });
    expect(failure(await call("load_file", { table: "sales", path: join(directory, "nope.csv") })).code).toBe(
      "FILE_NOT_FOUND",
    );
    const many = ok(
      await call("load_files", {
        files: [
          { table: "s2", path: csv },
          { table: "e2", path: jsonl },
        ],
      }),
    );
    expect(many.summary).toEqual({ total: 2, succeeded: 2, failed: 0, concurrency: 2 });
    const inspected = ok(await call("inspect_file", { path: csv }));
    expect(inspected).toMatchObject({
      row_count: 2,
      file_format: "csv",
      columns: [{ type: "TEXT" }, { type: "INTEGER" }],
    });
    const queried = ok(
      await call("query_file", { path: csv, sql: "SELECT sum(amount)::int AS total FROM sales" }),
    );
    expect(queried.result).toEqual([{ total: 15 }]);
    const inline = ok(await call("query_data", { data: "v\n1\n2\n", sql: "SELECT count(*) AS n FROM data" }));
    expect(inline.result).toEqual([{ n: 2 }]);
  });
});
