/**
 * watch_directory and unwatch_directory over stdio: the initial sweep, a file dropped while
 * watching, a failing file moved to failed/ with its .error report, symlinks left alone, one
 * watcher per directory, the counts of unwatch, detach refused while a watcher loads into an
 * attachment, status watchers[], and a clean exit when stdin closes with a watcher running.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, count, errorCode, ok, waitUntil } from "../../faults/fault-kit.ts";
import { type ServerUnderTest, startServer, waitForExit } from "../server/mcp-client.ts";

let folder: string;
let server: ServerUnderTest;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "hyperdb-mcp-watch-"));
  server = await startServer();
});

afterAll(async () => {
  await server?.client.close().catch(() => undefined);
  rmSync(folder, { recursive: true, force: true });
});

/** A fresh directory under the test folder. */
function directory(name: string): string {
  const path = join(folder, name);
  mkdirSync(path);
  return path;
}

/** Drops a data file and then its sentinel, as a producer does. */
function drop(dir: string, name: string, content: string): void {
  writeFileSync(join(dir, name), content);
  writeFileSync(join(dir, `${name}.ready`), "");
}

type Watcher = Record<string, unknown> & { directory: string };

async function watchers(): Promise<Watcher[]> {
  return ok(await call(server, "status", {})).watchers as Watcher[];
}

describe("watch_directory", () => {
  let inbox: string;

  it("sweeps the files already there, skipping symlinks and files without a sentinel", async () => {
    inbox = directory("inbox");
    drop(inbox, "first.csv", "id,city\n1,Oslo\n2,Lima\n");
    writeFileSync(join(inbox, "pending.csv"), "id,city\n9,Nope\n");
    const outside = join(folder, "outside.csv");
    writeFileSync(outside, "id,city\n7,Away\n");
    symlinkSync(outside, join(inbox, "linked.csv"));
    writeFileSync(join(inbox, "linked.csv.ready"), "");
    writeFileSync(join(inbox, "sentinel-link.csv"), "id,city\n8,Far\n");
    symlinkSync(join(inbox, "linked.csv.ready"), join(inbox, "sentinel-link.csv.ready"));

    const watched = ok(await call(server, "watch_directory", { path: inbox, table: "arrivals" }));
    expect(watched).toEqual({
      directory: inbox,
      table: "arrivals",
      status: "watching",
      max_concurrent: 4,
      initial_sweep: { files_ingested: 1, files_failed: 0 },
      resolved_database: "local",
    });
    expect(await count(server, "arrivals")).toBe(2);
    expect(existsSync(join(inbox, "first.csv"))).toBe(false);
    expect(existsSync(join(inbox, "first.csv.ready"))).toBe(false);
    for (const kept of ["pending.csv", "linked.csv", "linked.csv.ready", "sentinel-link.csv"]) {
      expect(existsSync(join(inbox, kept)), kept).toBe(true);
    }
    expect(existsSync(outside)).toBe(true);
  });

  it("appends a file dropped while watching and records it in the catalog", async () => {
    drop(inbox, "second.json", JSON.stringify([{ id: 3, city: "Rome" }]));
    expect(await waitUntil(() => !existsSync(join(inbox, "second.json.ready")), 10_000)).toBe(true);
    expect(await count(server, "arrivals")).toBe(3);
    const row = ok(
      await call(server, "query", {
        sql: "SELECT load_tool, load_params, row_count FROM _table_catalog WHERE table_name = 'arrivals'",
      }),
    );
    const [entry] = row.result as { load_tool: string; load_params: string; row_count: number }[];
    expect(entry?.load_tool).toBe("watch_directory");
    expect(entry?.row_count).toBe(3);
    expect(JSON.parse(entry?.load_params ?? "null")).toEqual({ watch_directory: inbox, database: "local" });
  });

  it("moves a failing file to failed/ with an .error report and counts it", async () => {
    drop(inbox, "broken.json", '[{"id": 1}, {"id": ');
    const report = join(inbox, "failed", "broken.json.error");
    expect(await waitUntil(() => existsSync(report), 10_000)).toBe(true);
    expect(existsSync(join(inbox, "failed", "broken.json"))).toBe(true);
    expect(existsSync(join(inbox, "failed", "broken.json.ready"))).toBe(true);
    expect(existsSync(join(inbox, "broken.json"))).toBe(false);
    const body = JSON.parse(readFileSync(report, "utf8")) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["code", "message", "suggestion"]);
    expect(body.code).toMatch(/^[A-Z][a-z]+(?:[A-Z][a-z]+)+$/);
    expect(await count(server, "arrivals")).toBe(3);

    const [status] = (await watchers()).filter((watcher) => watcher.directory === inbox);
    expect(status).toMatchObject({
      table: "arrivals",
      target_db: "local",
      files_ingested: 2,
      files_failed: 1,
      max_concurrent: 4,
      in_flight: 0,
    });
    expect(String(status?.last_error)).toBe(`[${String(body.code)}] ${String(body.message)}`);
    expect(status?.last_event_ms_ago).toBeTypeOf("number");
  });

  it("refuses a second watcher, a file, a missing and a relative path", async () => {
    const again = await call(server, "watch_directory", { path: join(inbox, "."), table: "other" });
    expect(errorCode(again)).toBe("INVALID_ARGUMENT");
    expect(JSON.stringify(again.structuredContent)).toContain("Already watching");
    expect(
      errorCode(await call(server, "watch_directory", { path: join(inbox, "pending.csv"), table: "t" })),
    ).toBe("FILE_NOT_FOUND");
    expect(
      errorCode(await call(server, "watch_directory", { path: join(folder, "missing"), table: "t" })),
    ).toBe("FILE_NOT_FOUND");
    expect(errorCode(await call(server, "watch_directory", { path: "relative/dir", table: "t" }))).toBe(
      "INVALID_ARGUMENT",
    );
  });

  it("stops with unwatch_directory and reports its counts", async () => {
    expect(ok(await call(server, "unwatch_directory", { path: inbox }))).toEqual({
      directory: inbox,
      table: "arrivals",
      status: "stopped",
      files_ingested: 2,
      files_failed: 1,
      last_error: expect.stringMatching(/^\[[A-Za-z]+\] /),
    });
    expect((await watchers()).map((watcher) => watcher.directory)).not.toContain(inbox);
    drop(inbox, "late.csv", "id,city\n4,Kyiv\n");
    const missing = await call(server, "unwatch_directory", { path: inbox });
    expect(errorCode(missing)).toBe("FILE_NOT_FOUND");
    expect(JSON.stringify(missing.structuredContent)).toContain("No active watcher for");
    expect(existsSync(join(inbox, "late.csv.ready"))).toBe(true);
    expect(await count(server, "arrivals")).toBe(3);
  });

  it("keeps an attachment it loads into from being detached", async () => {
    const path = join(folder, "drop.hyper");
    ok(
      await call(server, "attach_database", { alias: "dropbox", path, writable: true, on_missing: "create" }),
    );
    const spool = directory("spool");
    drop(spool, "a.csv", "v\n1\n");
    const watched = ok(
      await call(server, "watch_directory", {
        path: spool,
        table: "spooled",
        database: "dropbox",
        max_concurrent: 99,
      }),
    );
    expect(watched).toMatchObject({ max_concurrent: 32, resolved_database: "dropbox" });
    expect(await count(server, "spooled", "dropbox")).toBe(1);
    const [status] = (await watchers()).filter((watcher) => watcher.directory === spool);
    expect(status?.target_db).toBe("dropbox");

    const refused = await call(server, "detach_database", { alias: "DROPBOX" });
    expect(errorCode(refused)).toBe("INVALID_ARGUMENT");
    ok(await call(server, "unwatch_directory", { path: spool }));
    expect(ok(await call(server, "detach_database", { alias: "dropbox" })).detached).toBe(true);
  });

  it("routes persist: true to the persistent database", async () => {
    const durable = directory("durable");
    drop(durable, "d.csv", "v\n1\n2\n");
    const watched = ok(
      await call(server, "watch_directory", { path: durable, table: "kept", persist: true }),
    );
    expect(watched.resolved_database).toBe("persistent");
    expect(await count(server, "kept", "persistent")).toBe(2);
  });

  it("lets the server exit when stdin closes while a watcher runs", async () => {
    expect((await watchers()).length).toBe(1);
    const started = Date.now();
    await server.client.close();
    expect(await waitForExit(server.pid, 10_000)).toBe(true);
    // The client sends SIGTERM after 2 s; a server that exits on its own is faster.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(server.stderr()).toMatch(/shutting down \(stdin closed\)/);
    expect(server.stderr()).not.toMatch(/SIGTERM/);
  });
});
