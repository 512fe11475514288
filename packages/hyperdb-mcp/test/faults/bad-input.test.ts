/**
 * Bad input: hundreds of generated tool calls with wrong types, missing and extra fields, huge
 * strings, control characters, path traversal and SQL-injection names, then malformed CSV, JSON,
 * Parquet and Arrow files, empty files and a CSV whose single value is 100 MB — all against one
 * real server over stdio (its private hyperd).
 *
 * Every call must end, within {@link CALL_DEADLINE_MS}, in one of these well-formed outcomes:
 * - a typed tool error: `isError: true` with `structuredContent.error.code` one of the contract's
 *   codes and a non-empty message;
 * - a schema violation as the MCP SDK reports it: `isError: true`, no `structuredContent`, and one
 *   text block `Input validation error: Invalid arguments for tool <name>: …` (the SDK turns the
 *   zod failure into an error result, not a JSON-RPC error); this is what a missing required
 *   field or a value of the wrong JSON type must produce;
 * - a JSON-RPC `InvalidParams` error (-32602, `Tool <name> not found`), only for unknown tools;
 * - a success, where the input is in fact valid (an unknown extra field is ignored, an odd but
 *   legal table name is taken literally); the figures say how many.
 *
 * After every batch `status` answers and `SELECT 1` works; at the end the server and its hyperd
 * are the same processes, a `sentinel` table created first still has its rows, and the only
 * tables in either database are the fixtures and the tables of calls that succeeded (no staging
 * table, no table of a failed load). An append that fails leaves the target's row count as it was.
 *
 * The calls are generated from the tools' listed input schemas with a seeded generator, so a run
 * is reproducible; the full fault suite (`npm run test:faults`) runs more rounds of it.
 * Prints `FAULT bad-input …` lines.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { copyFile, open, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult, Tool } from "@modelcontextprotocol/client";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive, type ServerUnderTest, startServer } from "../integration/server/mcp-client.ts";
import { FULL_FAULT_SUITE } from "./fault-suite.ts";

/** A call that takes longer than this counts as a hang. */
const CALL_DEADLINE_MS = 60_000;
/** Rounds of the generated table (each round draws new huge strings and extra-field names). */
const ROUNDS = FULL_FAULT_SUITE ? 4 : 1;
/** Size range of the huge strings. */
const HUGE_MIN = 1_000_000;
const HUGE_MAX = 5_000_000;
/** The single CSV value of the big-value file. */
const BIG_VALUE_BYTES = 100 * 1024 * 1024;
/** The single value of the inline CSV: as big as one stdio message may be. */
const INLINE_VALUE_BYTES = 9 * 1024 * 1024;

const KNOWN_CODES = new Set([
  "HYPERD_NOT_FOUND",
  "FILE_NOT_FOUND",
  "UNSUPPORTED_FORMAT",
  "SCHEMA_MISMATCH",
  "SQL_ERROR",
  "TABLE_NOT_FOUND",
  "EMPTY_DATA",
  "DISK_FULL",
  "PERMISSION_DENIED",
  "READ_ONLY_VIOLATION",
  "CONNECTION_LOST",
  "INVALID_ARGUMENT",
  "RESOURCE_BUSY",
  "INTERNAL_ERROR",
]);

/** Codes a bad argument must never produce: they mean "not your fault, retry" or "we crashed". */
const NOT_FOR_BAD_INPUT = new Set(["INTERNAL_ERROR", "CONNECTION_LOST", "RESOURCE_BUSY", "HYPERD_NOT_FOUND"]);

const SCHEMA_ERROR = /^Input validation error: Invalid arguments for tool ([a-z_]+): \S/;

/** mulberry32: a small seeded generator, so that every run makes the same calls. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Outcome =
  | { readonly kind: "typed"; readonly code: string; readonly message: string }
  | { readonly kind: "schema"; readonly message: string }
  | { readonly kind: "protocol"; readonly code: number; readonly message: string }
  | { readonly kind: "success"; readonly body: Record<string, unknown> };

interface Tally {
  calls: number;
  typed: number;
  schema: number;
  protocol: number;
  successes: number;
  maxMs: number;
  readonly codes: Map<string, number>;
  readonly categories: Map<string, { calls: number; errors: number; successes: number }>;
}

function newTally(): Tally {
  return {
    calls: 0,
    typed: 0,
    schema: 0,
    protocol: 0,
    successes: 0,
    maxMs: 0,
    codes: new Map(),
    categories: new Map(),
  };
}

function describeArgs(args: unknown): string {
  const text = JSON.stringify(args) ?? String(args);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}

/** Classifies a result; throws (failing the test) on anything that is not well-formed. */
function classify(tool: string, result: CallToolResult, what: string): Outcome {
  if (result.isError !== true) {
    // get_readme answers with text only, chart with an image and a stats text block; every other
    // tool with structured content.
    if (tool !== "get_readme" && tool !== "chart") {
      expect(result.structuredContent, `${what}: a success without structured content`).toBeTypeOf("object");
    }
    expect(result.content.length, `${what}: a success without content`).toBeGreaterThan(0);
    return { kind: "success", body: (result.structuredContent ?? {}) as Record<string, unknown> };
  }
  if (result.structuredContent === undefined) {
    expect(result.content, `${what}: malformed error result`).toHaveLength(1);
    const block = result.content[0];
    const text = block?.type === "text" ? block.text : "";
    const match = SCHEMA_ERROR.exec(text);
    expect(
      match,
      `${what}: an error without structured content that is not a schema error: ${text}`,
    ).not.toBe(null);
    expect(match?.[1], what).toBe(tool);
    return { kind: "schema", message: text };
  }
  const error = (result.structuredContent as { error?: { code?: unknown; message?: unknown } }).error;
  expect(error, `${what}: error result without an error body`).toBeTypeOf("object");
  expect(KNOWN_CODES.has(String(error?.code)), `${what}: unknown code ${String(error?.code)}`).toBe(true);
  expect(typeof error?.message === "string" && error.message.length > 0, `${what}: empty message`).toBe(true);
  // The text block carries the same JSON.
  const block = result.content[0];
  expect(block?.type === "text" ? JSON.parse(block.text) : undefined, what).toEqual(result.structuredContent);
  return { kind: "typed", code: String(error?.code), message: String(error?.message) };
}

describe("bad input", () => {
  let server: ServerUnderTest;
  let dir: string;
  let hyperdPid: number;
  let goodCsv: string;
  /** An Iceberg table directory (an export of the sentinel table) for load_iceberg. */
  let icebergDir: string;
  /** An empty folder for watch_directory. */
  let watchDir: string;
  const tally = newTally();
  /** Tables that calls which succeeded created, per database ("scratch" = local, "persistent"). */
  const created = { scratch: new Set<string>(), persistent: new Set<string>() };

  async function rawCall(name: string, args: unknown): Promise<CallToolResult> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        server.client.callTool(
          { name, arguments: args as Record<string, unknown> },
          { timeout: CALL_DEADLINE_MS },
        ) as Promise<CallToolResult>,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`${name} did not answer within ${CALL_DEADLINE_MS} ms (hang)`)),
            CALL_DEADLINE_MS + 5000,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One counted call; `category` groups the FAULT figures. */
  async function call(category: string, name: string, args: unknown): Promise<Outcome> {
    const what = `${category}: ${name} ${describeArgs(args)}`;
    const started = performance.now();
    let outcome: Outcome;
    try {
      outcome = classify(name, await rawCall(name, args), what);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== "number") {
        throw new Error(`${what}: ${String(error)}\nserver stderr:\n${server.stderr().slice(-3000)}`);
      }
      outcome = { kind: "protocol", code, message: String((error as Error).message) };
    }
    const ms = Math.round(performance.now() - started);
    tally.calls += 1;
    tally.maxMs = Math.max(tally.maxMs, ms);
    const group = tally.categories.get(category) ?? { calls: 0, errors: 0, successes: 0 };
    group.calls += 1;
    tally.categories.set(category, group);
    if (outcome.kind === "success") {
      tally.successes += 1;
      group.successes += 1;
    } else {
      group.errors += 1;
      if (outcome.kind === "typed") {
        tally.typed += 1;
        tally.codes.set(outcome.code, (tally.codes.get(outcome.code) ?? 0) + 1);
        expect(NOT_FOR_BAD_INPUT.has(outcome.code), `${what}: ${outcome.code}: ${outcome.message}`).toBe(
          false,
        );
      } else if (outcome.kind === "schema") {
        tally.schema += 1;
      } else {
        tally.protocol += 1;
      }
    }
    if (outcome.kind === "success" && LOADERS.has(name)) {
      noteCreated(name, args as Record<string, unknown>, outcome.body);
    }
    return outcome;
  }

  /** Records the tables a successful load created. */
  function noteCreated(name: string, args: Record<string, unknown>, body: Record<string, unknown>): void {
    const target = name === "copy_query" ? body.target_database : body.resolved_database;
    const database = target === "persistent" ? created.persistent : created.scratch;
    if (name.startsWith("kv_")) {
      database.add("_hyperdb_kv_store");
    } else if (name === "save_query") {
      created.persistent.add("_hyperdb_saved_queries");
    } else if (name === "copy_query") {
      database.add(asStored(String(args.target_table)));
    } else if (name === "load_files") {
      for (const entry of body.results as { table: string; error?: unknown }[]) {
        if (entry.error === undefined) database.add(asStored(entry.table));
      }
    } else {
      database.add(asStored(String(args.table)));
    }
  }

  async function ok(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const result = await rawCall(name, args);
    expect(result.isError ?? false, `${name} ${describeArgs(args)}: ${JSON.stringify(result.content)}`).toBe(
      false,
    );
    return result.structuredContent as Record<string, unknown>;
  }

  async function rows<T = Record<string, unknown>>(sql: string, database?: string): Promise<T[]> {
    return (await ok("query", database === undefined ? { sql } : { sql, database })).result as T[];
  }

  async function count(table: string, database?: string): Promise<number> {
    const [row] = await rows<{ n: number }>(
      `SELECT count(*) AS n FROM "${table.replaceAll('"', '""')}"`,
      database,
    );
    return Number(row?.n);
  }

  /** The server is up and serves: status answers, SELECT 1 runs, hyperd is the same process. */
  async function expectServing(after: string): Promise<void> {
    const status = await ok("status", {}).catch((error: unknown) => {
      throw new Error(`after ${after}: ${String(error)}\nserver stderr:\n${server.stderr().slice(-3000)}`);
    });
    expect((status.engine as { hyperd_pid: number }).hyperd_pid, after).toBe(hyperdPid);
    expect(await rows("SELECT 1 AS one"), after).toEqual([{ one: 1 }]);
  }

  /** User tables of a database (pg_tables of the catalog; staging tables included). */
  async function tablesOf(database: "scratch" | "persistent"): Promise<string[]> {
    const listed = await rows<{ tablename: string }>(
      `SELECT tablename FROM "${database}".pg_catalog.pg_tables WHERE schemaname = 'public'`,
    );
    return listed.map((row) => row.tablename).sort();
  }

  async function tableExists(
    table: string,
    database: "scratch" | "persistent" = "scratch",
  ): Promise<boolean> {
    return (await tablesOf(database)).includes(table);
  }

  /** Tools that create tables when they succeed (see noteCreated). */
  const LOADERS = new Set([
    "load_data",
    "load_file",
    "load_files",
    "load_iceberg",
    "copy_query",
    "kv_set",
    "kv_set_many",
    "kv_get",
    "kv_delete",
    "kv_list",
    "kv_list_stores",
    "kv_size",
    "kv_pop",
    "kv_clear",
    "save_query",
  ]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "hyperdb-bad-input-"));
    goodCsv = join(dir, "good.csv");
    writeFileSync(goodCsv, "a,b\n1,x\n2,y\n");
    server = await startServer();
    await ok("execute", { sql: ["CREATE TABLE sentinel (id INTEGER, note TEXT)"] });
    await ok("execute", { sql: ["INSERT INTO sentinel VALUES (1, 'one'), (2, 'two'), (3, 'three')"] });
    await ok("execute", { sql: ["CREATE TABLE sentinel (id INTEGER)"], database: "persistent" });
    await ok("execute", { sql: ["INSERT INTO sentinel VALUES (1), (2)"], database: "persistent" });
    await ok("execute", { sql: ["CREATE TABLE fuzz_sink (v INTEGER)"] });
    watchDir = join(dir, "watched");
    mkdirSync(watchDir);
    icebergDir = join(dir, "iceberg-sentinel");
    await ok("export", { table: "sentinel", path: icebergDir, format: "iceberg" });
    hyperdPid = ((await ok("status", {})).engine as { hyperd_pid: number }).hyperd_pid;
    expect(hyperdPid).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await server?.client.close().catch(() => undefined);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it(
    "answers generated calls with wrong, missing, extra, huge and hostile arguments with typed errors",
    async () => {
      const { tools } = await server.client.listTools();
      expect(tools.length).toBeGreaterThanOrEqual(12);
      const random = seeded(0x5eed_bad1);
      let sequence = 0;
      const uniqueTable = (): string => {
        sequence += 1;
        return `gen_${sequence}`;
      };
      /** A valid call of each tool; mutations start from it. */
      const base = (tool: string): Record<string, unknown> => {
        switch (tool) {
          case "status":
          case "get_readme":
            return {};
          case "query":
            return { sql: "SELECT count(*) AS n FROM sentinel" };
          case "describe":
            return { table: "sentinel" };
          case "sample":
            return { table: "sentinel", n: 2 };
          case "execute":
            return { sql: ["INSERT INTO fuzz_sink VALUES (1)"] };
          case "load_data":
            return { table: uniqueTable(), data: '[{"a":1}]' };
          case "load_file":
            return { table: uniqueTable(), path: goodCsv };
          case "load_files":
            return { files: [{ table: uniqueTable(), path: goodCsv }] };
          case "inspect_file":
            return { path: goodCsv };
          case "query_data":
            return { data: '[{"a":1}]', sql: "SELECT count(*) AS n FROM data" };
          case "query_file":
            return { path: goodCsv, sql: "SELECT count(*) AS n FROM good" };
          case "chart":
            return { sql: "SELECT note, id FROM sentinel", chart_type: "bar", x: "note", y: "id" };
          case "attach_database": {
            const alias = uniqueTable();
            return { alias, path: join(dir, `${alias}.hyper`), writable: true, on_missing: "create" };
          }
          case "detach_database":
            return { alias: "not_attached" };
          case "save_query":
            return { name: uniqueTable(), sql: "SELECT count(*) AS n FROM sentinel" };
          case "delete_query":
            return { name: "not_saved" };
          case "export":
            return { table: "sentinel", path: join(dir, `${uniqueTable()}.csv`), format: "csv" };
          case "copy_query":
            return { sql: "SELECT id FROM sentinel", target_table: uniqueTable(), mode: "create" };
          case "load_iceberg":
            return { table: uniqueTable(), path: icebergDir };
          case "kv_set":
            return { store: "fuzz", key: uniqueTable(), value: "v" };
          case "kv_set_many":
            return { store: "fuzz", entries: [{ key: uniqueTable(), value: "v" }] };
          case "kv_get":
          case "kv_delete":
            return { store: "fuzz", key: "k" };
          case "kv_list":
          case "kv_size":
          case "kv_pop":
          case "kv_clear":
            return { store: "fuzz_other" };
          case "kv_list_stores":
            return {};
          case "set_table_metadata":
            return { table: "sentinel", notes: "fuzzed" };
          case "watch_directory":
            return { path: watchDir, table: uniqueTable() };
          case "unwatch_directory":
            return { path: watchDir };
          case "list_attached_databases":
            return {};
          default:
            throw new Error(`no valid base call for tool ${tool}: add one to this test`);
        }
      };
      for (const tool of tools) base(tool.name); // every listed tool has a base call

      const hugeString = (): string => {
        const size = HUGE_MIN + Math.floor(random() * (HUGE_MAX - HUGE_MIN));
        const alphabet = "abcXYZ019 ,;'\"\\\n\t-_/.()*%$";
        let chunk = "";
        for (let i = 0; i < 257; i++) chunk += alphabet[Math.floor(random() * alphabet.length)];
        return chunk.repeat(Math.ceil(size / chunk.length)).slice(0, size);
      };
      /** Values of the wrong JSON type for a field of `type`. */
      const wrongTypes = (types: readonly string[]): [string, unknown][] =>
        (
          [
            ["number", 42],
            ["negative-float", -1.5],
            ["array", ["x", 1]],
            ["empty-array", []],
            ["object", { nested: { deeper: true } }],
            ["empty-object", {}],
            ["true", true],
            ["false", false],
            ["string", "x"],
            ["null", null],
          ] as [string, unknown][]
        ).filter(([, value]) => !fitsType(value, types));
      /** Strings that are legal JSON but hostile: traversal, devices, control characters, injection. */
      const hostileStrings: [string, string][] = [
        ["empty", ""],
        ["blank", "   "],
        ["nul", "\u0000"],
        ["nul-inside", "a\u0000b"],
        ["controls", "\u0001\u0002\u001b[31mred\u007f"],
        ["newlines", "\r\n\t\r\n"],
        ["lone-surrogate", "x\ud800y"],
        ["unicode", "Ünïcødé 🦆 表"],
        ["traversal", "../../../../nonexistent/x.csv"],
        ["abs-traversal", "/../../../../nonexistent/x.csv"],
        ["etc-passwd-traversal", `${"/..".repeat(12)}/etc/passwd`],
        ["etc-shadow", "/etc/shadow"],
        ["windows", "..\\..\\windows\\system32\\x.csv"],
        ["file-url", "file:///etc/hostname"],
        ["home", "~/x.csv"],
        ["relative", "x.csv"],
        ["directory", tmpdir()],
        ["dev-null", "/dev/null"],
        ["dev-zero", "/dev/zero"],
        ["proc", "/proc/self/status"],
        ["quote-injection", "x'; DROP TABLE sentinel; --"],
        ["ident-injection", 'x"; DROP TABLE sentinel; --'],
        ["statement-injection", "sentinel; DELETE FROM sentinel"],
        ["backslashes", "a\\\\b\\'c\\\"d\\"],
        ["long-name", "n".repeat(200)],
        ["sql-keyword", "SELECT"],
        ["percent", "%s%n%x%d"],
      ];

      /** Builds every call of one round: tool × field × mutation. */
      const roundCalls = (round: number): { category: string; tool: string; args: unknown }[] => {
        const calls: { category: string; tool: string; args: unknown }[] = [];
        for (const tool of tools) {
          const fields = fieldsOf(tool);
          // Extra unknown fields: ignored by the server (the schema strips them).
          const extraName = `unknown_${round}_${Math.floor(random() * 1e6)}`;
          calls.push({
            category: "extra-field",
            tool: tool.name,
            args: { ...base(tool.name), [extraName]: 1 },
          });
          calls.push({
            category: "extra-field",
            tool: tool.name,
            args: { ...base(tool.name), __proto__x: { polluted: true }, constructor: "x" },
          });
          // Not an object at all.
          calls.push({ category: "not-an-object", tool: tool.name, args: ["not", "an", "object"] });
          calls.push({ category: "not-an-object", tool: tool.name, args: "a string" });
          for (const field of fields) {
            if (field.required) {
              calls.push({
                category: "missing",
                tool: tool.name,
                args: withField(base(tool.name), field.path),
              });
            }
            for (const [, value] of wrongTypes(field.types)) {
              calls.push({
                category: `wrong-type`,
                tool: tool.name,
                args: withField(base(tool.name), field.path, value),
              });
            }
            if (field.types.includes("string")) {
              calls.push({
                category: "huge-string",
                tool: tool.name,
                args: withField(base(tool.name), field.path, hugeString()),
              });
              for (const [, value] of hostileStrings) {
                calls.push({
                  category: "hostile-string",
                  tool: tool.name,
                  args: withField(base(tool.name), field.path, value),
                });
              }
            }
            if (field.types.includes("number")) {
              for (const value of [0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1]) {
                calls.push({
                  category: "odd-number",
                  tool: tool.name,
                  args: withField(base(tool.name), field.path, value),
                });
              }
            }
          }
        }
        // Unknown tools: a JSON-RPC InvalidParams error.
        for (const name of ["no_such_tool", "../status", "QUERY", ""]) {
          calls.push({ category: "unknown-tool", tool: name, args: {} });
        }
        return calls;
      };

      for (let round = 0; round < ROUNDS; round++) {
        const calls = roundCalls(round);
        let batchTool = "";
        for (const [index, entry] of calls.entries()) {
          const outcome = await call(entry.category, entry.tool, entry.args);
          const what = `${entry.category}: ${entry.tool} ${describeArgs(entry.args)}`;
          if (entry.category === "missing" || entry.category === "wrong-type") {
            // `schema` takes any JSON (the tool checks it), so it gets no wrong-type calls.
            expect(outcome.kind, what).toBe("schema");
          } else if (entry.category === "not-an-object") {
            // Arguments that are no object fail the SDK's check of the request itself.
            expect(outcome.kind, what).toBe("protocol");
            if (outcome.kind === "protocol") expect(outcome.code, what).toBe(-32602);
          } else if (entry.category === "unknown-tool") {
            expect(outcome.kind, what).toBe("protocol");
            if (outcome.kind === "protocol") {
              expect(outcome.code, what).toBe(-32602);
              expect(outcome.message, what).toMatch(/not found/);
            }
          }
          const nextTool = calls[index + 1]?.tool;
          if (nextTool !== entry.tool || index === calls.length - 1) {
            batchTool = entry.tool;
            await expectServing(`the ${batchTool} batch of round ${round}`);
          }
        }
      }
      expect(tally.calls).toBeGreaterThanOrEqual(500);
      // Only tables of calls that succeeded, and the fixtures.
      await expectOnlyExpectedTables();
    },
    (FULL_FAULT_SUITE ? 1_200 : 240) * 1000,
  );

  it("takes hostile table names and aliases literally or refuses them, never running them as SQL", async () => {
    const names = [
      'x"; DROP TABLE sentinel; --',
      "sentinel; DELETE FROM sentinel",
      "x'); DELETE FROM sentinel; --",
      'quote"inside',
      "single'quote",
      "back\\slash\\",
      '"',
      '""',
      "`backtick`",
      `${"long_".repeat(40)}`,
      "Mixed Case Name",
      'persistent"."public"."sentinel',
      "scratch.public.sentinel",
      "_hyperdb_load_fake",
      "pg_temp",
      "DROP TABLE sentinel",
      "🦆",
      "tab\tname",
      "line\nbreak",
      "a".repeat(300),
    ];
    let literal = 0;
    let refused = 0;
    for (const [index, name] of names.entries()) {
      // load_data, load_file and load_files: a table with that exact name, or a typed error.
      for (const [tool, args] of [
        ["load_data", { table: name, data: '[{"a":1},{"a":2}]' }],
        ["load_file", { table: name, path: goodCsv, mode: "replace" }],
        ["load_files", { files: [{ table: name, path: goodCsv }] }],
      ] as const) {
        const outcome = await call("injection-table", tool, args);
        if (outcome.kind === "success") {
          const result =
            tool === "load_files" ? (outcome.body.results as Record<string, unknown>[])[0] : outcome.body;
          if (result !== undefined && result.error === undefined && name.startsWith("_hyperdb_")) {
            // The internal prefix: the table is created, but describe and sample hide it.
            literal += 1;
            expect(await tableExists(name), `${tool} ${JSON.stringify(name)}`).toBe(true);
          } else if (result !== undefined && result.error === undefined) {
            literal += 1;
            expect(await tableExists(name), `${tool} ${JSON.stringify(name)}`).toBe(true);
            const described = await ok("describe", { table: name });
            expect((described.tables as { name: string }[])[0]?.name).toBe(name);
          } else {
            refused += 1;
          }
        } else {
          refused += 1;
          expect(outcome.kind, `${tool} ${JSON.stringify(name)}`).toBe("typed");
          if (!created.scratch.has(name)) {
            expect(await tableExists(name), `${tool} ${JSON.stringify(name)} left a table`).toBe(false);
          }
        }
      }
      // sample / describe of the name: the literal table or TABLE_NOT_FOUND.
      for (const tool of ["sample", "describe"]) {
        const outcome = await call("injection-table", tool, { table: name });
        if (outcome.kind === "typed") expect(["TABLE_NOT_FOUND", "INVALID_ARGUMENT"]).toContain(outcome.code);
      }
      // query_data / query_file with the name as table_name, queried with it quoted.
      const quoted = `"${name.replaceAll('"', '""')}"`;
      for (const [tool, args] of [
        [
          "query_data",
          { data: '[{"a":1},{"a":2}]', table_name: name, sql: `SELECT count(*) AS n FROM ${quoted}` },
        ],
        ["query_file", { path: goodCsv, table_name: name, sql: `SELECT count(*) AS n FROM ${quoted}` }],
      ] as const) {
        const outcome = await call("injection-alias", tool, args);
        if (outcome.kind === "success") {
          expect(outcome.body.result, `${tool} ${JSON.stringify(name)}`).toEqual([{ n: 2 }]);
        } else {
          expect(outcome.kind).toBe("typed");
        }
      }
      // Column aliases and string literals in a query: returned verbatim.
      const outcome = await call("injection-alias", "query", {
        sql: `SELECT ${index} AS ${quoted}, '${name.replaceAll("'", "''")}' AS v`,
      });
      if (outcome.kind === "success") {
        expect(outcome.body.result).toEqual([{ [name]: index, v: name }]);
      } else {
        expect(outcome.kind).toBe("typed");
      }
      // The name as a column in a schema override and in the data itself.
      await call("injection-alias", "load_data", {
        table: `col_${index}`,
        data: JSON.stringify([{ [name]: "1" }]),
        schema: { [name]: "TEXT" },
      });
      await call("injection-alias", "load_data", {
        table: `coltype_${index}`,
        data: '[{"a":"1"}]',
        schema: { a: `TEXT); DROP TABLE sentinel; --` },
      });
      await call("injection-alias", "load_file", {
        table: `merge_${index}`,
        path: goodCsv,
        mode: "merge",
        merge_key: name,
      });
      await call("injection-alias", "load_file", {
        table: "gen_merge",
        path: goodCsv,
        json_extract_path: name,
        database: name,
      });
    }
    await expectServing("the injection calls");
    expect(await count("sentinel")).toBe(3);
    expect(await count("sentinel", "persistent")).toBe(2);
    expect(await rows("SELECT id, note FROM sentinel ORDER BY id")).toEqual([
      { id: 1, note: "one" },
      { id: 2, note: "two" },
      { id: 3, note: "three" },
    ]);
    console.log(
      `FAULT bad-input-injection names=${names.length} literal_tables=${literal} refused=${refused}`,
    );
    await expectOnlyExpectedTables();
  });

  it("refuses malformed, truncated and empty files with typed errors and leaves no half-loaded table", async () => {
    const random = seeded(0xf11e5);
    const junk = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
    const files: [string, string | Uint8Array][] = [
      // CSV
      ["unbalanced-quote.csv", 'a,b\n1,"unterminated\n2,3\n'],
      ["ragged.csv", "a,b\n1\n1,2,3\n4,5\n"],
      ["binary-junk.csv", junk(4096)],
      ["header-only.csv", "a,b\n"],
      ["empty.csv", ""],
      ["only-newlines.csv", "\n\n\n\n"],
      ["bom-only.csv", "\ufeff"],
      ["nul-bytes.csv", "a,b\n1,x\u0000y\n2,\u0000\n"],
      [
        "invalid-utf8.csv",
        Buffer.concat([Buffer.from("a,b\n1,"), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from("\n")]),
      ],
      ["duplicate-header.csv", "a,a,a\n1,2,3\n"],
      ["empty-header.csv", ",,\n1,2,3\n"],
      ["quote-in-header.csv", '"a""; DROP TABLE sentinel; --",b\n1,2\n'],
      ["long-header.csv", `${"h".repeat(100_000)}\n1\n`],
      [
        "many-columns.csv",
        `${Array.from({ length: 5000 }, (_, i) => `c${i}`).join(",")}\n${"1,".repeat(4999)}1\n`,
      ],
      ["type-flip.csv", `n\n${"1\n".repeat(2000)}not-a-number\n`],
      // JSON / JSONL
      ["truncated.json", '[{"a":1},{"a":'],
      ["garbage.json", "{this is not json"],
      ["scalars.json", "[1,2,3]"],
      ["string.json", '"just a string"'],
      ["null.json", "null"],
      ["empty-array.json", "[]"],
      ["empty-object.json", "{}"],
      ["empty.json", ""],
      ["nested-deep.json", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
      ["mixed.json", '[{"a":1},"x",null,[1]]'],
      ["bad-line.jsonl", '{"a":1}\n{bad json}\n{"a":3}\n'],
      ["empty.jsonl", ""],
      ["blank-lines.jsonl", "\n\n\n"],
      ["binary-junk.json", junk(4096)],
      // Parquet
      ["magic-junk.parquet", Buffer.concat([Buffer.from("PAR1"), junk(256), Buffer.from("PAR1")])],
      ["magic-only.parquet", "PAR1"],
      ["junk.parquet", junk(1024)],
      ["empty.parquet", ""],
      // Arrow IPC
      ["junk.arrow", junk(1024)],
      ["magic-junk.arrow", Buffer.concat([Buffer.from("ARROW1\0\0"), junk(512), Buffer.from("ARROW1")])],
      ["empty.arrow", ""],
      ["junk.feather", junk(100)],
      // Unknown extension: sniffed
      ["junk.bin", junk(2048)],
      ["empty.txt", ""],
    ];
    const paths = new Map<string, string>();
    for (const [name, content] of files) {
      const path = join(dir, name);
      await writeFile(path, content);
      paths.set(name, path);
    }
    // A valid Arrow IPC file and a valid Parquet file (written by hyperd), each also truncated.
    const arrowBytes = tableToIPC(
      tableFromArrays({
        id: Int32Array.from({ length: 1000 }, (_, i) => i),
        v: Float64Array.from({ length: 1000 }, (_, i) => i / 2),
      }),
      "file",
    );
    for (const [name, length] of [
      ["truncated-half.arrow", Math.floor(arrowBytes.length / 2)],
      ["truncated-tail.arrow", arrowBytes.length - 10],
      ["truncated-head.arrow", 12],
    ] as const) {
      await writeFile(join(dir, name), arrowBytes.subarray(0, length));
      paths.set(name, join(dir, name));
    }
    const parquet = join(dir, "valid.parquet");
    await ok("execute", {
      sql: [
        `COPY (SELECT g AS id, md5(g::text) AS h FROM generate_series(1, 5000) g) TO '${parquet}' WITH (FORMAT parquet)`,
      ],
    });
    const parquetSize = (await stat(parquet)).size;
    for (const [name, keep] of [
      ["truncated-half.parquet", 0.5],
      ["truncated-tail.parquet", 0.99],
      ["truncated-head.parquet", 0.01],
    ] as const) {
      const target = join(dir, name);
      await copyFile(parquet, target);
      await truncate(target, Math.max(4, Math.floor(parquetSize * keep)));
      paths.set(name, target);
    }

    // An append target with known rows, in each database.
    await ok("load_data", { table: "append_target", data: "a,b\n1,x\n2,y\n" });
    await ok("load_data", { table: "append_target", data: "a,b\n1,x\n", database: "persistent" });
    let loaded = 0;
    let refused = 0;
    const details: string[] = [];
    for (const [index, [name, path]] of [...paths.entries()].entries()) {
      const table = `file_${index}`;
      const outcome = await call("malformed-file", "load_file", { table, path });
      if (outcome.kind === "success") {
        loaded += 1;
        details.push(`${name}:loaded(${String(outcome.body.rows)})`);
        expect(await count(table)).toBe(outcome.body.rows);
      } else {
        refused += 1;
        expect(outcome.kind, name).toBe("typed");
        if (outcome.kind === "typed") details.push(`${name}:${outcome.code}`);
        expect(await tableExists(table), `${name} left table ${table}`).toBe(false);
      }
      for (const database of ["local", "persistent"] as const) {
        const before = await count("append_target", database);
        const appended = await call("malformed-file", "load_file", {
          table: "append_target",
          path,
          mode: "append",
          database,
        });
        const after = await count("append_target", database);
        if (appended.kind === "success") {
          expect(after, `${name} append`).toBe(before + Number(appended.body.rows));
        } else {
          expect(appended.kind, name).toBe("typed");
          expect(after, `${name}: a failed append changed the row count`).toBe(before);
        }
      }
      const merged = await call("malformed-file", "load_file", {
        table: "append_target",
        path,
        mode: "merge",
        merge_key: "a",
      });
      if (merged.kind !== "success") expect(merged.kind, name).toBe("typed");
      const inspected = await call("malformed-file", "inspect_file", { path });
      if (inspected.kind !== "success") expect(inspected.kind, name).toBe("typed");
      const queried = await call("malformed-file", "query_file", {
        path,
        table_name: "f",
        sql: "SELECT count(*) AS n FROM f",
      });
      if (queried.kind !== "success") expect(queried.kind, name).toBe("typed");
    }
    // All files at once through load_files: per-entry errors, the good entry loads.
    const batch = await call("malformed-file", "load_files", {
      files: [
        ...[...paths.values()].map((path, index) => ({ table: `batch_${index}`, path })),
        { table: "batch_good", path: goodCsv },
      ],
      concurrency: 4,
    });
    expect(batch.kind).toBe("success");
    if (batch.kind === "success") {
      const results = batch.body.results as { table: string; error?: { code: string } }[];
      expect(results.find((entry) => entry.table === "batch_good")?.error).toBeUndefined();
      for (const entry of results) {
        expect(await tableExists(entry.table), entry.table).toBe(entry.error === undefined);
      }
    }
    await expectServing("the malformed files");
    console.log(`FAULT bad-input-files files=${paths.size} loaded=${loaded} refused=${refused}`);
    console.log(`FAULT bad-input-files-detail ${details.join(" ")}`);
    await expectOnlyExpectedTables();
  });

  it("loads or refuses a CSV whose single value is 100 MB, and keeps serving", async () => {
    const path = join(dir, "big-value.csv");
    const handle = await open(path, "w");
    await handle.write('v\n"');
    const chunk = Buffer.alloc(1024 * 1024, "x");
    for (let i = 0; i < BIG_VALUE_BYTES / chunk.length; i++) await handle.write(chunk);
    await handle.write('"\n');
    await handle.close();
    const results: string[] = [];
    for (const [tool, args] of [
      ["load_file", { table: "big_value", path }],
      ["inspect_file", { path }],
      ["query_file", { path, sql: 'SELECT length(v) AS n FROM "big-value"' }],
      // Inline, the value stays below the stdio transport's 10 MiB message limit (the SDK closes
      // the transport, and so ends the server, on a longer message).
      ["load_data", { table: "big_inline", data: `v\n${"y".repeat(INLINE_VALUE_BYTES)}\n` }],
    ] as const) {
      const outcome = await call("big-value", tool, args);
      results.push(`${tool}=${outcome.kind === "typed" ? outcome.code : outcome.kind}`);
      if (outcome.kind === "success") {
        if (tool === "load_file") {
          expect(outcome.body.rows).toBe(1);
          expect(await rows("SELECT length(v) AS n FROM big_value")).toEqual([{ n: BIG_VALUE_BYTES }]);
        } else if (tool === "query_file") {
          expect(outcome.body.result).toEqual([{ n: BIG_VALUE_BYTES }]);
        } else if (tool === "load_data") {
          expect(await rows("SELECT length(v) AS n FROM big_inline")).toEqual([{ n: INLINE_VALUE_BYTES }]);
        }
      } else {
        expect(outcome.kind, tool).toBe("typed");
        if (tool === "load_file") expect(await tableExists("big_value")).toBe(false);
        if (tool === "load_data") expect(await tableExists("big_inline")).toBe(false);
      }
      await expectServing(`${tool} of the 100 MB value`);
    }
    rmSync(path, { force: true });
    console.log(`FAULT bad-input-100mb-value ${results.join(" ")}`);
    await expectOnlyExpectedTables();
  });

  it("is still the same server at the end", async () => {
    await expectServing("all calls");
    expect(isAlive(server.pid)).toBe(true);
    // The traversal strings aim at /nonexistent: no tool may have created anything there.
    expect(existsSync("/nonexistent"), "a hostile path made a tool write outside its folder").toBe(false);
    expect(await count("sentinel")).toBe(3);
    expect(await count("sentinel", "persistent")).toBe(2);
    const categories = [...tally.categories.entries()]
      .map(([name, group]) => `${name}=${group.calls}/${group.errors}/${group.successes}`)
      .join(" ");
    const codes = [...tally.codes.entries()].map(([code, n]) => `${code}=${n}`).join(" ");
    console.log(
      `FAULT bad-input calls=${tally.calls} typed_errors=${tally.typed + tally.schema + tally.protocol} ` +
        `successes=${tally.successes} server_restarts=0 max_call_ms=${tally.maxMs}`,
    );
    console.log(
      `FAULT bad-input-kinds tool_errors=${tally.typed} schema_errors=${tally.schema} unknown_tool_errors=${tally.protocol} ${codes}`,
    );
    console.log(`FAULT bad-input-categories (calls/errors/successes) ${categories}`);
  });

  /** Only the fixtures and tables of successful calls exist; no staging table is left. */
  async function expectOnlyExpectedTables(): Promise<void> {
    const fixtures = {
      // Each database keeps its own table catalog.
      scratch: ["sentinel", "fuzz_sink", "append_target", "_table_catalog"],
      persistent: ["sentinel", "append_target", "_table_catalog"],
    };
    for (const database of ["scratch", "persistent"] as const) {
      const tables = await tablesOf(database);
      const unexpected = tables.filter(
        (table) => !fixtures[database].includes(table) && !created[database].has(table),
      );
      expect(unexpected, `${database}: tables no successful call created`).toEqual([]);
      expect(
        tables.filter((table) => table.startsWith("_hyperdb_") && !created[database].has(table)),
      ).toEqual([]);
    }
  }
});

/** A name as stored: UTF-8 cannot hold a lone surrogate, which becomes U+FFFD on the way. */
function asStored(name: string): string {
  return Buffer.from(name, "utf8").toString("utf8");
}

/** A field of a tool's input schema: where it is and which JSON types it takes. */
interface Field {
  readonly path: readonly string[];
  readonly types: readonly string[];
  readonly required: boolean;
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

/** The fields of a tool (arrays recurse into their first element). */
function fieldsOf(tool: Tool): Field[] {
  const out: Field[] = [];
  const walk = (schema: JsonSchema, path: string[]): void => {
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const here = [...path, name];
      out.push({ path: here, types: typesOf(property), required: schema.required?.includes(name) ?? false });
      if (property.items !== undefined) {
        if (property.items.properties !== undefined) {
          walk(property.items, [...here, "0"]);
        } else {
          out.push({ path: [...here, "0"], types: typesOf(property.items), required: true });
        }
      }
    }
  };
  walk(tool.inputSchema as JsonSchema, []);
  return out;
}

/** The JSON types a schema admits; `any` when unconstrained. */
function typesOf(schema: JsonSchema): string[] {
  if (schema.type !== undefined) return Array.isArray(schema.type) ? schema.type : [schema.type];
  if (schema.anyOf !== undefined) return schema.anyOf.flatMap(typesOf);
  return ["any"];
}

function fitsType(value: unknown, types: readonly string[]): boolean {
  if (types.includes("any")) return true;
  const type =
    value === null
      ? "null"
      : Array.isArray(value)
        ? "array"
        : typeof value === "object"
          ? "object"
          : typeof value;
  return types.includes(type) || (type === "number" && types.includes("integer"));
}

/** A deep copy of `args` with the field at `path` set to `value`, or removed when no value is given. */
function withField(args: Record<string, unknown>, path: readonly string[], ...value: [unknown?]): unknown {
  const copy = structuredClone(args) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = path[path.length - 1] as string;
  if (value.length === 0) delete target[last];
  else target[last] = value[0];
  return copy;
}
