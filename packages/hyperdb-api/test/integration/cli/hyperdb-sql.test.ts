import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const run = promisify(execFile);
const cli = fileURLToPath(new URL("../../../dist/cli/hyperdb-sql.js", import.meta.url));

async function hyperdbSql(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("the hyperdb-sql command", () => {
  let directory: string;
  let endpoint: string;

  beforeAll(async () => {
    expect(existsSync(cli), `${cli} is built`).toBe(true);
    directory = await mkdtemp(join(tmpdir(), "hyperdb-sql-test-"));
    const hyperd = inject("hyperd");
    endpoint = `${hyperd.host}:${hyperd.port}`;
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("starts its own hyperd, runs the SQL and prints a table", async () => {
    const { code, stdout } = await hyperdbSql("SELECT 6 * 7 AS answer, 'hello' AS greeting");
    expect(code).toBe(0);
    expect(stdout.split("\n")).toEqual([
      "answer | greeting",
      "-------+---------",
      "    42 | hello",
      "(1 row)",
      "",
    ]);
  });

  it("keeps data in a database file across runs", async () => {
    const file = join(directory, "kept.hyper");
    const created = await hyperdbSql(
      "--endpoint",
      endpoint,
      "--database",
      file,
      "--create",
      "CREATE TABLE t (id INT, name TEXT)",
      "INSERT INTO t VALUES (1, 'one'), (2, 'two')",
    );
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toContain("INSERT 0 2");
    const read = await hyperdbSql("--database", file, "--format", "csv", "SELECT * FROM t ORDER BY id");
    expect(read).toMatchObject({ code: 0, stdout: "id,name\n1,one\n2,two\n" });
  });

  it("prints JSON with exact big numbers", async () => {
    const { stdout } = await hyperdbSql(
      "--endpoint",
      endpoint,
      "--format",
      "json",
      "SELECT 9007199254740993::bigint AS big",
    );
    expect(JSON.parse(stdout)).toEqual([{ big: "9007199254740993" }]);
  });

  it("reports SQL errors with their SQLSTATE on stderr and exits with 1", async () => {
    const { code, stdout, stderr } = await hyperdbSql("--endpoint", endpoint, "SELECT * FROM missing_table");
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("ERROR 42P01");
    expect(stderr).toContain("missing_table");
  });

  it("explains its usage", async () => {
    expect((await hyperdbSql("--help")).stdout).toContain("Usage: hyperdb-sql");
    expect((await hyperdbSql()).code).toBe(2);
    expect((await hyperdbSql("--format", "xml", "SELECT 1")).code).toBe(2);
  });
});
