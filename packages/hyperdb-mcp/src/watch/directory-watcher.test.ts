import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DirectoryWatcher } from "./directory-watcher.ts";

let dir: string;
let watcher: DirectoryWatcher | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hyperdb-mcp-watcher-unit-"));
});

afterEach(() => {
  watcher?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function drop(name: string): void {
  writeFileSync(join(dir, name), "a\n1\n");
  writeFileSync(join(dir, `${name}.ready`), "");
}

function makeWatcher(load: (path: string) => Promise<void>, maxConcurrent = 2): DirectoryWatcher {
  watcher = new DirectoryWatcher({
    directory: dir,
    table: "t",
    target: { name: "local", alias: "scratch" },
    maxConcurrent,
    load,
    describeFailure: (error) => ({ code: "SchemaMismatch", message: String(error), suggestion: null }),
    log: () => undefined,
    rescanMs: 50,
  });
  return watcher;
}

describe("DirectoryWatcher", () => {
  it("loads at most max_concurrent files at once and each file once", async () => {
    for (let i = 0; i < 7; i += 1) drop(`f${i}.csv`);
    let running = 0;
    let peak = 0;
    const loaded: string[] = [];
    const sweep = await makeWatcher(async (path) => {
      running += 1;
      peak = Math.max(peak, running);
      // Long enough for several rescans to see the same sentinels while they load.
      await new Promise((resolve) => setTimeout(resolve, 40));
      loaded.push(path);
      running -= 1;
    }).start();
    expect(sweep).toEqual({ files_ingested: 7, files_failed: 0 });
    expect(peak).toBe(2);
    expect(new Set(loaded).size).toBe(7);
    expect(loaded.length).toBe(7);
    expect(existsSync(join(dir, "f0.csv"))).toBe(false);
  });

  it("reports failures, keeps counting, and leaves files alone once stopped", async () => {
    drop("bad.csv");
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const w = makeWatcher(async (path) => {
      if (path.endsWith("bad.csv")) throw new Error("broken");
      await gate;
      throw new Error("engine closed");
    });
    expect(await w.start()).toEqual({ files_ingested: 0, files_failed: 1 });
    expect(w.snapshot()).toMatchObject({ files_failed: 1, last_error: "[SchemaMismatch] Error: broken" });
    expect(existsSync(join(dir, "failed", "bad.csv.error"))).toBe(true);

    drop("late.csv");
    const deadline = Date.now() + 5_000;
    while (w.snapshot().in_flight === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(w.snapshot().in_flight).toBe(1);
    w.stop();
    release();
    expect(await w.settled(5_000)).toEqual({
      files_ingested: 0,
      files_failed: 1,
      last_error: expect.any(String),
    });
    expect(existsSync(join(dir, "late.csv"))).toBe(true);
    expect(existsSync(join(dir, "late.csv.ready"))).toBe(true);
  });
});
