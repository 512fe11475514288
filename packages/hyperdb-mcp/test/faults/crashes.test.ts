/**
 * Crashes: processes of the stack die without warning, and the next call must work again within
 * 2 s, the persistent database must keep every committed row (counted before and after), and
 * nothing of the test may be left running or on disk afterwards.
 *
 * - hyperd SIGKILLed while a long query runs: that call ends with an error envelope (no hang),
 *   the daemon restarts hyperd, the next query answers; a second server sharing the daemon too.
 * - hyperd SIGKILLed at idle: the next call answers; whether the session's local tables survive
 *   (the new connection attaches the same file again) is reported, not asserted.
 * - The daemon SIGKILLed: its hyperd exits by itself (it is tied to the daemon), the next call
 *   starts a new daemon and answers; exactly one daemon and one hyperd afterwards.
 * - A client's stdin closed during a `load_file` into the persistent database: the server exits
 *   within a few seconds, its scratch folder is gone, the target table is not there half-loaded
 *   (a new server sees no table, or the complete one), and the daemon keeps serving.
 *
 * Known gap (the persistent-rows checks of the two hyperd kills fail): hyperd writes a database
 * file only when it unloads it (the last connection detaches it, or hyperd shuts down cleanly);
 * committed rows of a database that is attached when hyperd is SIGKILLed are lost.
 *
 * Every test has its own home (state folder, persistent database) and daemon port range, so it
 * never meets another test's or run's daemon. Each prints a `FAULT` line with its figures.
 */
import { execFile } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { hyperdSocketDir } from "../../src/daemon/socket-dir.ts";
import {
  isAlive,
  isolatedHome,
  type ServerUnderTest,
  serverEntry,
  startServer,
  waitForExit,
} from "../integration/server/mcp-client.ts";
import { daemonsOf, freePortRange, hyperdsUnder } from "../integration/setup/processes.ts";
import { call, count, errorCode, ok, timed, waitUntil } from "./fault-kit.ts";

const run = promisify(execFile);

/** Roughly 10 s of work for hyperd, with no row before the end. */
const LONG_QUERY =
  "SELECT count(DISTINCT md5(a::text || b::text)) AS n FROM generate_series(1, 20000) a, generate_series(1, 700) b";
/** Rows committed to the persistent database before each fault. */
const COMMITTED_ROWS = 5000;
/** The promise of the issue: the next call works within this. */
const RECOVERY_LIMIT_MS = 2000;
/** Rows of the CSV loaded while stdin closes. */
const CSV_ROWS = 2_000_000;

/** One test's isolated world: a home, its state folder, a daemon port range, the servers started. */
interface Rig {
  readonly home: string;
  readonly stateDir: string;
  /** First of the 16 health ports the rig's daemons may use. */
  readonly basePort: number;
  readonly servers: ServerUnderTest[];
  readonly start: () => Promise<ServerUnderTest>;
  /** Closes the servers, stops the daemon, SIGKILLs what is left. Idempotent. */
  readonly cleanup: () => Promise<void>;
}

let current: Rig | undefined;

afterEach(async () => {
  await current?.cleanup();
  current = undefined;
});

async function startRig(): Promise<Rig> {
  const home = isolatedHome();
  const stateDir = join(home, ".hyperdb-ts");
  const basePort = await freePortRange(16);
  const env = { HYPERDB_DAEMON_BASE_PORT: String(basePort) };
  const servers: ServerUnderTest[] = [];
  let cleaning: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.client.close().catch(() => undefined)));
    await run(process.execPath, [serverEntry(), "daemon", "stop"], {
      env: { ...process.env, ...env, HOME: home, HYPERDB_STATE_DIR: stateDir },
      timeout: 20_000,
    }).catch(() => undefined);
    for (const pid of [
      ...servers.map((server) => server.pid),
      ...daemonsOf(stateDir),
      ...hyperdsUnder(stateDir),
    ]) {
      if (isAlive(pid)) process.kill(pid, "SIGKILL");
    }
  };
  const rig: Rig = {
    home,
    stateDir,
    basePort,
    servers,
    start: async () => {
      const server = await startServer({ daemon: true, home, env });
      servers.push(server);
      return server;
    },
    cleanup: () => {
      cleaning ??= stop();
      return cleaning;
    },
  };
  current = rig;
  return rig;
}

/** Cleans up and asserts that no server, daemon or hyperd of the rig runs, nor any scratch folder of its servers is left. */
async function expectRigGone(rig: Rig): Promise<void> {
  await rig.cleanup();
  for (const server of rig.servers) {
    expect(await waitForExit(server.pid, 5000), `server ${server.pid} still runs`).toBe(true);
  }
  expect(await waitUntil(() => daemonsOf(rig.stateDir).length === 0, 5000), "daemon left").toBe(true);
  expect(await waitUntil(() => hyperdsUnder(rig.stateDir).length === 0, 5000), "hyperd left").toBe(true);
  expect(rig.servers.flatMap((server) => scratchDirsOf(server.pid))).toEqual([]);
  for (let port = rig.basePort; port < rig.basePort + 16; port++) {
    expect(existsSync(hyperdSocketDir(rig.stateDir, port)), `a socket folder is left (port ${port})`).toBe(
      false,
    );
  }
}

/** `hyperdb-mcp-<pid>-*` folders in the temp folder: the scratch folders of server `pid`. */
function scratchDirsOf(pid: number): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith(`hyperdb-mcp-${pid}-`));
}

/** Commits {@link COMMITTED_ROWS} rows into the persistent table `committed` and returns the count. */
async function commitRows(server: ServerUnderTest): Promise<number> {
  // (see rowsNow for the count after the fault)
  ok(await call(server, "execute", { sql: ["CREATE TABLE committed (id INTEGER)"], database: "persistent" }));
  ok(
    await call(server, "execute", {
      sql: [`INSERT INTO committed SELECT generate_series(1, ${COMMITTED_ROWS})`],
      database: "persistent",
    }),
  );
  return await count(server, "committed", "persistent");
}

/** The rows of the persistent table `committed` now, or `lost` when the table is gone. */
async function rowsNow(server: ServerUnderTest): Promise<number | string> {
  const answer = await call(server, "query", {
    sql: "SELECT count(*) AS n FROM committed",
    database: "persistent",
  });
  if (answer.isError === true) {
    const message = (answer.structuredContent as { error: { message: string } }).error.message;
    return /does not exist/.test(message) ? "lost" : `error:${errorCode(answer)}`;
  }
  return Number((answer.structuredContent as { result: { n: number }[] }).result[0]?.n);
}

/** The first call after a fault: a trivial query that needs hyperd and the persistent database attached. */
const PROBE = "SELECT 1 AS one";

/**
 * Calls `query` until it succeeds (at most `budgetMs`): how long that took from now, how many
 * calls failed first and with which codes, and the successful result.
 */
async function untilAnswered(
  server: ServerUnderTest,
  sql: string,
  database: "local" | "persistent" = "persistent",
  budgetMs = 30_000,
): Promise<{ ms: number; failed: number; codes: string[]; result: unknown }> {
  const started = performance.now();
  const codes: string[] = [];
  for (;;) {
    const answer = await call(server, "query", { sql, database });
    if (answer.isError !== true) {
      return {
        ms: Math.round(performance.now() - started),
        failed: codes.length,
        codes,
        result: (answer.structuredContent as { result: unknown }).result,
      };
    }
    codes.push(errorCode(answer) ?? "?");
    if (performance.now() - started > budgetMs) {
      throw new Error(
        `no answer within ${budgetMs} ms: ${JSON.stringify(answer.structuredContent)}\n${server.stderr().slice(-3000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function onlyHyperd(stateDir: string): number {
  const hyperds = hyperdsUnder(stateDir);
  expect(hyperds).toHaveLength(1);
  return hyperds[0] as number;
}

/** Writes a CSV of `rows` rows (id, name, amount, day) and resolves once it is on disk. */
async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write("id,name,amount,day\n");
  const chunk = 10_000;
  for (let start = 1; start <= rows; start += chunk) {
    let text = "";
    for (let id = start; id < Math.min(start + chunk, rows + 1); id++) {
      text += `${id},name-${id % 977},${(id * 0.37).toFixed(2)},2024-0${(id % 9) + 1}-1${id % 10}\n`;
    }
    if (!out.write(text)) {
      await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
  }
  await new Promise<void>((resolve, reject) => {
    out.once("error", reject);
    out.end(() => resolve());
  });
}

describe("crashes", () => {
  it("hyperd SIGKILLed mid-query: the call fails, the next query answers within 2 s, nothing committed is lost", async () => {
    const rig = await startRig();
    const first = await rig.start();
    const rowsBefore = await commitRows(first);
    const second = await rig.start();
    expect(await count(second, "committed", "persistent")).toBe(rowsBefore);
    const hyperd = onlyHyperd(rig.stateDir);

    const inFlight = timed(call(first, "query", { sql: LONG_QUERY }));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    process.kill(hyperd, "SIGKILL");
    const killedAt = performance.now();
    const failed = await inFlight;
    const failedAfterKillMs = Math.round(performance.now() - killedAt);
    expect(failed.value.isError, JSON.stringify(failed.value.structuredContent)).toBe(true);
    const code = errorCode(failed.value);
    expect(code).toBeDefined();

    const next = await untilAnswered(first, PROBE);
    const rowsAfter = await rowsNow(first);
    const otherServer = await timed(untilAnswered(second, PROBE));
    const restarted = hyperdsUnder(rig.stateDir);
    console.log(
      `FAULT hyperd-kill-mid-query error_code=${code} error_after_kill_ms=${failedAfterKillMs} ` +
        `recovery_ms=${next.ms} failed_calls_after=${next.failed}${next.codes.length > 0 ? ` failed_codes=${next.codes.join(",")}` : ""} ` +
        `second_server_ms=${otherServer.ms} rows_before=${rowsBefore} rows_after=${rowsAfter} ` +
        `hyperd_restarts=${restarted.includes(hyperd) ? 0 : 1}`,
    );
    expect.soft(next.failed, `failed calls after the fault: ${next.codes.join(",")}`).toBe(0);
    expect.soft(next.ms).toBeLessThan(RECOVERY_LIMIT_MS);
    expect.soft(rowsAfter).toBe(rowsBefore);
    expect.soft(otherServer.value.failed).toBe(0);
    expect(await rowsNow(second)).toBe(rowsBefore);
    expect(restarted).toHaveLength(1);
    expect(restarted).not.toContain(hyperd);
    expect(daemonsOf(rig.stateDir)).toHaveLength(1);
    await expectRigGone(rig);
  }, 120_000);

  it("hyperd SIGKILLed at idle: the next call answers within 2 s, persistent rows intact", async () => {
    const rig = await startRig();
    const server = await rig.start();
    const rowsBefore = await commitRows(server);
    ok(
      await call(server, "load_data", {
        table: "local_rows",
        data: JSON.stringify([{ id: 1 }, { id: 2 }, { id: 3 }]),
      }),
    );
    const hyperd = onlyHyperd(rig.stateDir);

    process.kill(hyperd, "SIGKILL");
    expect(await waitForExit(hyperd, 5000)).toBe(true);
    const next = await untilAnswered(server, PROBE);
    const rowsAfter = await rowsNow(server);
    const local = await call(server, "query", { sql: "SELECT count(*) AS n FROM local_rows" });
    const localRows =
      local.isError === true
        ? `error:${errorCode(local)}`
        : String((local.structuredContent as { result: { n: number }[] }).result[0]?.n);
    console.log(
      `FAULT hyperd-kill-idle recovery_ms=${next.ms} failed_calls_after=${next.failed}` +
        `${next.codes.length > 0 ? ` failed_codes=${next.codes.join(",")}` : ""} ` +
        `rows_before=${rowsBefore} rows_after=${rowsAfter} local_rows_before=3 local_rows_after=${localRows}`,
    );
    expect.soft(next.failed, `failed calls after the fault: ${next.codes.join(",")}`).toBe(0);
    expect.soft(next.ms).toBeLessThan(RECOVERY_LIMIT_MS);
    expect.soft(rowsAfter).toBe(rowsBefore);
    // Not asserted: the session's local database stays attached on its connections, so hyperd
    // has not written it when it is SIGKILLed; its tables are gone (local_rows_after says).
    expect(hyperdsUnder(rig.stateDir)).toHaveLength(1);
    expect(daemonsOf(rig.stateDir)).toHaveLength(1);
    await expectRigGone(rig);
  }, 120_000);

  it("daemon SIGKILLed: its hyperd exits, the next call starts a new daemon within 2 s, nothing committed is lost", async () => {
    const rig = await startRig();
    const server = await rig.start();
    const rowsBefore = await commitRows(server);
    const hyperd = onlyHyperd(rig.stateDir);
    const daemons = daemonsOf(rig.stateDir);
    expect(daemons).toHaveLength(1);
    const daemon = daemons[0] as number;
    const socketDirs = hyperdSocketDirs(hyperd);

    process.kill(daemon, "SIGKILL");
    const killedAt = performance.now();
    expect(await waitForExit(daemon, 5000)).toBe(true);
    expect(await waitForExit(hyperd, 10_000), "hyperd outlived its daemon").toBe(true);
    const hyperdExitMs = Math.round(performance.now() - killedAt);

    const next = await untilAnswered(server, PROBE);
    const rowsAfter = await rowsNow(server);
    const newDaemons = daemonsOf(rig.stateDir);
    const newHyperds = hyperdsUnder(rig.stateDir);
    // The new daemon reuses (after clearing) its state folder's socket folder; anything else of
    // the old hyperd's is a leftover.
    const currentDirs = newHyperds.flatMap((pid) => hyperdSocketDirs(pid));
    const leftSocketDirs = socketDirs.filter((dir) => existsSync(dir) && !currentDirs.includes(dir));
    console.log(
      `FAULT daemon-kill hyperd_exit_ms=${hyperdExitMs} recovery_ms=${next.ms} failed_calls_after=${next.failed}` +
        `${next.codes.length > 0 ? ` failed_codes=${next.codes.join(",")}` : ""} ` +
        `rows_before=${rowsBefore} rows_after=${rowsAfter} daemons_after=${newDaemons.length} ` +
        `hyperds_after=${newHyperds.length} stale_socket_dirs=${leftSocketDirs.length}`,
    );
    expect.soft(next.failed, `failed calls after the fault: ${next.codes.join(",")}`).toBe(0);
    expect.soft(next.ms).toBeLessThan(RECOVERY_LIMIT_MS);
    expect.soft(rowsAfter).toBe(rowsBefore);
    expect(newDaemons).toHaveLength(1);
    expect(newDaemons).not.toContain(daemon);
    expect(newHyperds).toHaveLength(1);
    expect(socketDirs).not.toEqual([]);
    expect.soft(leftSocketDirs).toEqual([]);
    for (const dir of leftSocketDirs) rmSync(dir, { recursive: true, force: true });
    await expectRigGone(rig);
  }, 120_000);

  it("stdin closed during a load: the server exits, its scratch folder is gone, no half-loaded table, the daemon serves on", async () => {
    const rig = await startRig();
    const csv = join(rig.home, "big.csv");
    await writeCsv(csv, CSV_ROWS);
    const loader = await rig.start();
    const rowsBefore = await commitRows(loader);
    const hyperd = onlyHyperd(rig.stateDir);
    expect(scratchDirsOf(loader.pid)).toHaveLength(1);

    const load = timed(call(loader, "load_file", { path: csv, table: "big", database: "persistent" }));
    let settled = false;
    void load.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    // The load is in hyperd once hyperd has the file open (COPY reads it itself).
    expect(await waitUntil(() => settled || hasOpen(hyperd, csv), 60_000)).toBe(true);
    expect(settled, "the load finished before stdin closed; make the CSV larger").toBe(false);
    // What an MCP client that quits does: end the server's stdin (the SDK's close() would also
    // SIGTERM the server after 2 s, hiding a server that does not exit on EOF).
    const child = (loader.transport as unknown as { _process?: { stdin?: NodeJS.WritableStream } })._process;
    expect(child?.stdin).toBeDefined();
    child?.stdin?.end();
    const closedAt = performance.now();
    const exited = await waitForExit(loader.pid, 15_000);
    const exitMs = Math.round(performance.now() - closedAt);
    await load.catch(() => undefined);
    const scratchLeft = scratchDirsOf(loader.pid);

    const after = await rig.start();
    const tables = ok(
      await call(after, "query", {
        sql: "SELECT tablename AS table_name FROM persistent.pg_catalog.pg_tables WHERE schemaname = 'public' ORDER BY 1",
      }),
    ).result as { table_name: string }[];
    const names = tables.map((row) => row.table_name);
    const bigRows = names.includes("big") ? await count(after, "big", "persistent") : 0;
    const rowsAfter = await count(after, "committed", "persistent");
    console.log(
      `FAULT stdin-closed-during-load csv_rows=${CSV_ROWS} server_exit_ms=${exitMs} exited=${exited} ` +
        `scratch_dirs_left=${scratchLeft.length} tables_after=${names.join(",")} big_rows=${bigRows} ` +
        `rows_before=${rowsBefore} rows_after=${rowsAfter} hyperd_same=${hyperdsUnder(rig.stateDir).includes(hyperd)}`,
    );
    expect(exited, `server did not exit:\n${loader.stderr().slice(-3000)}`).toBe(true);
    expect(exitMs).toBeLessThan(5000);
    expect(scratchLeft).toEqual([]);
    // No half-loaded table: the target is either absent or complete, and no staging table is left
    // (the table catalog is the server's own).
    expect(names.filter((name) => !["committed", "big", "_table_catalog"].includes(name))).toEqual([]);
    expect(bigRows === 0 ? !names.includes("big") : bigRows === CSV_ROWS).toBe(true);
    expect.soft(rowsAfter).toBe(rowsBefore);
    expect(hyperdsUnder(rig.stateDir)).toEqual([hyperd]);
    expect(daemonsOf(rig.stateDir)).toHaveLength(1);
    await expectRigGone(rig);
  }, 180_000);
});

/** Whether process `pid` has `path` open. */
function hasOpen(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** The folders of the Unix sockets named on hyperd's command line (`tab.domain://<dir>/domain/…`). */
function hyperdSocketDirs(pid: number): string[] {
  let cmdline = "";
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return [];
  }
  return [
    ...new Set([...cmdline.matchAll(/tab\.domain:\/\/(.+?)\/domain\//g)].map((match) => match[1] as string)),
  ];
}
