/**
 * Progress notifications over stdio: a load_files call that runs for more than a second reports
 * finished files with increasing progress out of the file count; a long export sends heartbeats
 * while its COPY runs, and cancelling it stops the COPY in hyperd; watch_directory reports the
 * files of its initial sweep; a fast call sends none.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ok } from "../../faults/fault-kit.ts";
import { type ServerUnderTest, startServer } from "./mcp-client.ts";

const FILES = 16;
const ROWS_PER_FILE = 160_000;

let folder: string;
let server: ServerUnderTest;

interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "hyperdb-mcp-progress-"));
  const lines = ["id,label,amount"];
  for (let i = 0; i < ROWS_PER_FILE; i++) lines.push(`${i},row ${i % 997},${(i * 1.25).toFixed(2)}`);
  const csv = `${lines.join("\n")}\n`;
  for (let i = 0; i < FILES; i++) writeFileSync(join(folder, `part${i}.csv`), csv);
  server = await startServer();
});

afterAll(async () => {
  await server?.client.close().catch(() => undefined);
  rmSync(folder, { recursive: true, force: true });
});

async function callWithProgress(
  name: string,
  args: Record<string, unknown>,
): Promise<{ result: CallToolResult; seen: Progress[]; ms: number }> {
  const seen: Progress[] = [];
  const started = performance.now();
  const result = (await server.client.callTool(
    { name, arguments: args },
    { timeout: 120_000, onprogress: (progress) => seen.push(progress) },
  )) as CallToolResult;
  return { result, seen, ms: performance.now() - started };
}

describe("progress notifications", () => {
  it("load_files reports finished files once the call has run a second", async () => {
    // Each file twice, so the call surely outlasts the quiet first second.
    const files = Array.from({ length: 2 * FILES }, (_, i) => ({
      table: `part${i}`,
      path: join(folder, `part${i % FILES}.csv`),
    }));
    const { result, seen, ms } = await callWithProgress("load_files", { files, concurrency: 1 });
    const summary = ok(result).summary as { succeeded: number };
    expect(summary.succeeded).toBe(2 * FILES);
    // The test is only meaningful when the call ran well past the quiet first second.
    expect(ms).toBeGreaterThan(1_200);
    expect(seen.length).toBeGreaterThan(0);
    for (const [index, entry] of seen.entries()) {
      expect(entry.total).toBe(2 * FILES);
      expect(entry.progress).toBeLessThanOrEqual(2 * FILES);
      if (index > 0) expect(entry.progress).toBeGreaterThan((seen[index - 1] as Progress).progress);
    }
    expect(seen.at(-1)?.progress).toBe(2 * FILES);
  });

  it("watch_directory reports the files of its initial sweep", async () => {
    const watched = join(folder, "watched");
    mkdirSync(watched);
    // Twice the files of the load_files case, so the sweep surely outlasts the quiet first second.
    for (let i = 0; i < 2 * FILES; i++) {
      copyFileSync(join(folder, `part${i % FILES}.csv`), join(watched, `part${i}.csv`));
      writeFileSync(join(watched, `part${i}.csv.ready`), "");
    }
    const { result, seen, ms } = await callWithProgress("watch_directory", {
      path: watched,
      table: "swept",
      max_concurrent: 1,
    });
    expect(ok(result).initial_sweep).toEqual({ files_ingested: 2 * FILES, files_failed: 0 });
    expect(ms).toBeGreaterThan(1_200);
    expect(seen.length).toBeGreaterThan(0);
    for (const [index, entry] of seen.entries()) {
      expect(entry.total).toBe(2 * FILES);
      if (index > 0) expect(entry.progress).toBeGreaterThan((seen[index - 1] as Progress).progress);
    }
    expect(seen.at(-1)?.progress).toBe(2 * FILES);
    ok(await call(server, "unwatch_directory", { path: watched }));
  });

  it("a fast call sends none", async () => {
    const { result, seen } = await callWithProgress("load_files", {
      files: [{ table: "small", path: join(folder, "part0.csv") }],
    });
    ok(result);
    const quick = await callWithProgress("load_data", { table: "tiny", data: "a\n1\n" });
    ok(quick.result);
    expect(quick.seen).toEqual([]);
    if (seen.length > 0) expect(seen.at(-1)?.progress).toBe(1);
  });

  it("a long export sends heartbeats, and cancelling the request stops its COPY", async () => {
    const seen: Progress[] = [];
    const controller = new AbortController();
    const exporting = server.client.callTool(
      {
        name: "export",
        arguments: {
          sql: "SELECT count(*) AS n FROM generate_series(1, 100000000000) AS g(i)",
          path: join(folder, "slow.csv"),
          format: "csv",
        },
      },
      {
        timeout: 120_000,
        signal: controller.signal,
        onprogress: (progress) => {
          seen.push(progress);
          if (seen.length === 2) controller.abort();
        },
      },
    );
    await expect(exporting).rejects.toThrow();
    expect(seen.map((entry) => entry.progress)).toEqual([1, 2]);
    expect(seen[0]?.message).toMatch(/exporting csv/);
    // The handler returns (and frees its connection) only once hyperd cancelled the COPY.
    const deadline = Date.now() + 5_000;
    let inUse = -1;
    while (Date.now() < deadline) {
      const status = ok(await call(server, "status", {}));
      inUse = (status.engine as { connections_in_use: number }).connections_in_use;
      if (inUse === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(inUse).toBe(0);
  });
});
