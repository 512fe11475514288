/**
 * Benchmarks of the application API against node-postgres on the same hyperd, in one run:
 * INSERT through `Inserter`, a full SCAN through `Connection.query` (object and array rows),
 * and single-key `KvStore` operations with the per-statement floor under them.
 *
 *   node --expose-gc bench/run.ts          (pnpm bench; build the core and this package first)
 *
 * Environment: BENCH_ROWS (default 10_000_000), BENCH_REPEAT (measured runs per figure, default 3),
 * BENCH_SPLIT (rows per ranged scan query, default 500_000), BENCH_KV_OPS (operations per KV
 * run, default 5_000; the store holds that many keys). Prints the machine, a table, then one
 * `BENCH <figure> <value> <unit>` line per figure.
 *
 * The data, its checks, the timing and the node-postgres paths come from the core's benchmark
 * (`packages/hyperdb-api-core/bench`); only what exercises this package lives here.
 */

/// <reference path="../../hyperdb-api-core/bench/pg-copy-streams.d.ts" />

import { mkdtemp, rm } from "node:fs/promises";
import * as os from "node:os";
import { join } from "node:path";
import { DEFAULT_USER } from "@hyperdb-ts/hyperdb-api-core";
import pg from "pg";
import { insertPg } from "../../hyperdb-api-core/bench/insert.ts";
import {
  CREATE_TABLE_COLUMNS,
  expectedChecksum,
  sameChecksum,
  TABLE,
  verificationSql,
} from "../../hyperdb-api-core/bench/rows.ts";
import { type ScanOutcome, scanPg } from "../../hyperdb-api-core/bench/scan.ts";
import {
  benchLine,
  envCount,
  fmtFixed,
  fmtInt,
  type Measurement,
  machineLines,
  renderTable,
  type Summary,
  summarize,
  watchServer,
} from "../../hyperdb-api-core/bench/stats.ts";
import { Connection, HyperProcess } from "../src/index.ts";
import { FLUSH_EVERY, insertApi } from "./insert.ts";
import { type KvFigure, kvRun, openKvStore } from "./kv.ts";
import { scanApi, scanPgObjects } from "./scan.ts";

const ROWS = envCount("BENCH_ROWS", 10_000_000);
const REPEAT = envCount("BENCH_REPEAT", 3);
const SPLIT = envCount("BENCH_SPLIT", 500_000);
const KV_OPS = envCount("BENCH_KV_OPS", 5_000);
/** Warm-up: every path once, on a tenth of the rows (10k to 1M) and a tenth of the KV operations. */
const WARM_ROWS = Math.min(ROWS, Math.max(10_000, Math.min(1_000_000, Math.floor(ROWS / 10))));
const WARM_KV_OPS = Math.min(KV_OPS, Math.max(100, Math.floor(KV_OPS / 10)));
const WARM_TABLE = "bench_warmup";

/** Targets the figures are reported against (met or missed; nothing fails). */
const GOAL = { insertVsPg: 4, scanVsPg: 4, kvGet: 2_000, kvSet: 1_000 };

type ScanPath = "objects" | "objectsSplit" | "arrays" | "arraysSplit" | "pgObjects" | "pgArrays";
const SCAN_PATHS: readonly ScanPath[] = [
  "objects",
  "objectsSplit",
  "arrays",
  "arraysSplit",
  "pgObjects",
  "pgArrays",
];
const KV_FIGURES: readonly KvFigure[] = ["roundtrip", "get", "set", "setNew"];

function note(message: string): void {
  process.stderr.write(`  [bench] ${message}\n`);
}

function rate(run: Measurement, unit: string): string {
  return `${fmtFixed(run.seconds, 3)} s, ${fmtInt(run.rows / run.seconds)} ${unit}`;
}

async function main(): Promise<void> {
  const directory = await mkdtemp(join(os.tmpdir(), "hyperdb-api-bench-"));
  const hyper = await HyperProcess.start();
  watchServer(hyper.pid);
  let connection: Connection | undefined;
  let client: pg.Client | undefined;
  try {
    const database = join(directory, "bench.hyper");
    connection = await Connection.connect({ hyper, database, createMode: "CreateAndReplace" });
    const endpoint = hyper.endpoint;
    if (endpoint.kind !== "tcp") throw new Error("node-postgres needs hyperd on TCP");
    client = new pg.Client({ host: endpoint.host, port: endpoint.port, user: DEFAULT_USER, database });
    await client.connect();
    const ours = connection;
    const theirs = client;

    console.log("hyperdb-api benchmarks");
    const packages = ["pg", "pg-copy-streams"];
    for (const line of machineLines(
      `hyperd ${ours.core.parameter("hyper_version") ?? "unknown"}`,
      packages,
      import.meta.url,
    ))
      console.log(line);
    console.log(
      `rows ${fmtInt(ROWS)} (warm-up ${fmtInt(WARM_ROWS)}), KV ${fmtInt(KV_OPS)} operations per run on a store of ` +
        `${fmtInt(KV_OPS)} keys, ${REPEAT} runs per figure (median), ranged scans ${fmtInt(SPLIT)} rows/query, ` +
        `Inserter flush every ${fmtInt(FLUSH_EVERY)} rows`,
    );
    console.log("");

    const freshTable = async (table: string) => {
      await ours.execute(`DROP TABLE IF EXISTS ${table}`);
      await ours.execute(`CREATE TABLE ${table} ${CREATE_TABLE_COLUMNS}`);
    };
    /** The loaded table, checked with SQL against the generator. */
    const checkTable = async (table: string, count: number, who: string) => {
      const found = (await ours.fetchOne<unknown[]>(verificationSql(table), [], { rowMode: "array" })).map(
        Number,
      );
      const want = expectedChecksum(count);
      const expected = [count, want.sumI, want.sumD, want.textLength, 0];
      if (found.some((value, k) => value !== expected[k])) {
        throw new Error(`${who}: ${table} holds [${found.join(", ")}], expected [${expected.join(", ")}]`);
      }
    };
    const insert = async (who: "ours" | "pg", table: string, count: number) => {
      await freshTable(table);
      const run = who === "ours" ? await insertApi(ours, table, count) : await insertPg(theirs, table, count);
      await checkTable(table, count, who);
      return run;
    };
    const scan = async (path: ScanPath, table: string, count: number) => {
      let run: ScanOutcome;
      if (path === "pgObjects") run = await scanPgObjects(theirs, table, count, SPLIT);
      else if (path === "pgArrays") run = await scanPg(theirs, table, count, SPLIT);
      else {
        const split = path.endsWith("Split") ? SPLIT : undefined;
        run = await scanApi(ours, path.startsWith("arrays") ? "array" : "object", table, count, split);
      }
      if (!sameChecksum(run.checksum, expectedChecksum(count))) {
        throw new Error(`scan ${path}: checksum ${JSON.stringify(run.checksum)} does not match the data`);
      }
      return run;
    };

    note(`warm-up: ${fmtInt(WARM_ROWS)} rows, ${fmtInt(WARM_KV_OPS)} KV operations`);
    await insert("ours", WARM_TABLE, WARM_ROWS);
    await insert("pg", WARM_TABLE, WARM_ROWS);
    for (const path of SCAN_PATHS) await scan(path, WARM_TABLE, WARM_ROWS);
    await ours.execute(`DROP TABLE ${WARM_TABLE}`);
    const store = await openKvStore(ours, KV_OPS);
    for (const figure of KV_FIGURES) await kvRun(ours, store, figure, WARM_KV_OPS, KV_OPS, 0);

    // INSERT: ours and node-postgres alternate, each run into a fresh table, each load verified.
    const inserts = { ours: [] as Measurement[], pg: [] as Measurement[] };
    for (let run = 1; run <= REPEAT; run++) {
      for (const who of ["ours", "pg"] as const) {
        const measured = await insert(who, TABLE, ROWS);
        inserts[who].push(measured);
        note(`insert ${run}/${REPEAT} ${who.padEnd(4)}: ${rate(measured, "rows/s")}`);
      }
    }

    // SCAN of the table the last (verified) load left.
    const scans = Object.fromEntries(SCAN_PATHS.map((path) => [path, [] as Measurement[]])) as Record<
      ScanPath,
      Measurement[]
    >;
    for (let run = 1; run <= REPEAT; run++) {
      for (const path of SCAN_PATHS) {
        const measured = await scan(path, TABLE, ROWS);
        scans[path].push(measured);
        note(`scan ${run}/${REPEAT} ${path.padEnd(12)}: ${rate(measured, "rows/s")}`);
      }
    }

    // KV on the same connection.
    const kv = Object.fromEntries(KV_FIGURES.map((figure) => [figure, [] as Measurement[]])) as Record<
      KvFigure,
      Measurement[]
    >;
    for (let run = 1; run <= REPEAT; run++) {
      for (const figure of KV_FIGURES) {
        const measured = await kvRun(ours, store, figure, KV_OPS, KV_OPS, run);
        kv[figure].push(measured);
        note(`kv ${run}/${REPEAT} ${figure.padEnd(9)}: ${rate(measured, "ops/s")}`);
      }
    }
    await store.close();

    report(inserts, scans, kv);
  } finally {
    await client?.end().catch(() => {});
    await connection?.close();
    await hyper.close();
    await rm(directory, { recursive: true, force: true });
  }
}

function report(
  inserts: Record<"ours" | "pg", Measurement[]>,
  scans: Record<ScanPath, Measurement[]>,
  kvRuns: Record<KvFigure, Measurement[]>,
): void {
  const ins = { ours: summarize(inserts.ours), pg: summarize(inserts.pg) };
  const sc = Object.fromEntries(SCAN_PATHS.map((path) => [path, summarize(scans[path])])) as Record<
    ScanPath,
    Summary
  >;
  const kv = Object.fromEntries(KV_FIGURES.map((figure) => [figure, summarize(kvRuns[figure])])) as Record<
    KvFigure,
    Summary
  >;
  const over = (a: Summary, b: Summary) => a.rowsPerSec / b.rowsPerSec;
  const ratio = {
    insert: over(ins.ours, ins.pg),
    scan: over(sc.objectsSplit, sc.pgObjects),
    scanArrays: over(sc.arraysSplit, sc.pgArrays),
    scanUnsplit: over(sc.objects, sc.pgObjects),
    scanArraysUnsplit: over(sc.arrays, sc.pgArrays),
  };

  const ranges = `${fmtInt(SPLIT / 1000)}k-row ranges`;
  const x = (value: number, what: string) => `${value.toFixed(2)}x ${what}`;
  const line = (name: string, s: Summary, against: string, bytes = true): string[] => [
    name,
    fmtInt(s.rowsPerSec),
    bytes ? fmtFixed(s.mbPerSec, 1) : "-",
    fmtFixed(s.seconds, 3),
    `${fmtFixed(s.clientCpu, 2)} / ${fmtFixed(s.serverCpu, 2)}`,
    against,
    s.runs.map((seconds) => seconds.toFixed(2)).join(" / "),
  ];
  const floor = kv.roundtrip;
  console.log(
    renderTable(
      ["benchmark", "rows|ops/s", "MB/s", "seconds", "CPU s client/hyperd", "ratio", "runs (s)"],
      [
        line("insert Inserter.addRow, HyperBinary COPY", ins.ours, x(ratio.insert, "pg")),
        line("insert node-postgres, pg-copy-streams CSV", ins.pg, "1.00x"),
        line("scan   ours, object rows, 1 query", sc.objects, x(ratio.scanUnsplit, "pg objects")),
        line(`scan   ours, object rows, ${ranges}`, sc.objectsSplit, x(ratio.scan, "pg objects")),
        line(`scan   node-postgres, object rows, ${ranges}`, sc.pgObjects, "1.00x"),
        line("scan   ours, array rows, 1 query", sc.arrays, x(ratio.scanArraysUnsplit, "pg arrays")),
        line(`scan   ours, array rows, ${ranges}`, sc.arraysSplit, x(ratio.scanArrays, "pg arrays")),
        line(`scan   node-postgres, array rows, ${ranges}`, sc.pgArrays, "1.00x"),
        line("kv     prepared SELECT 1 (the floor)", floor, "1.00x floor", false),
        line("kv     get, existing key", kv.get, x(over(kv.get, floor), "floor"), false),
        line("kv     set, overwrite", kv.set, x(over(kv.set, floor), "floor"), false),
        line("kv     set, new key", kv.setNew, x(over(kv.setNew, floor), "floor"), false),
      ],
    ),
  );
  console.log("");
  console.log("MB/s counts the bytes on the socket: sent for inserts, received for scans.");
  console.log(
    `CPU s = median CPU seconds used during a run by this Node process / by hyperd (${os.cpus().length} cores).`,
  );
  console.log("KV: operations one after another on one connection; the floor is one prepared statement.");
  const verdict = (met: boolean) => (met ? "met" : "MISSED");
  const vsPg = (value: number, goal: number) =>
    `${value.toFixed(2)}x (target >= ${goal}x: ${verdict(value >= goal)})`;
  const ops = (value: number, goal: number) =>
    `${fmtInt(value)} ops/s (target >= ${fmtInt(goal)}: ${verdict(value >= goal)})`;
  console.log(`insert vs node-postgres:                  ${vsPg(ratio.insert, GOAL.insertVsPg)}`);
  console.log(`scan vs node-postgres, object rows:       ${vsPg(ratio.scan, GOAL.scanVsPg)}`);
  console.log(`scan vs node-postgres, array rows:        ${vsPg(ratio.scanArrays, GOAL.scanVsPg)}`);
  console.log(`kv get:                                   ${ops(kv.get.rowsPerSec, GOAL.kvGet)}`);
  console.log(`kv set (overwrite):                       ${ops(kv.set.rowsPerSec, GOAL.kvSet)}`);
  console.log(`kv set (new key):                         ${ops(kv.setNew.rowsPerSec, GOAL.kvSet)}`);
  console.log(`per-statement floor (prepared SELECT 1):  ${fmtInt(floor.rowsPerSec)} ops/s`);
  console.log("");

  const figures: [string, number, string][] = [
    ["rows", ROWS, "rows"],
    ["insert_rows_per_sec", ins.ours.rowsPerSec, "rows/s"],
    ["insert_mb_per_sec", ins.ours.mbPerSec, "MB/s"],
    ["insert_seconds", ins.ours.seconds, "s"],
    ["pg_insert_rows_per_sec", ins.pg.rowsPerSec, "rows/s"],
    ["pg_insert_seconds", ins.pg.seconds, "s"],
    ["insert_vs_pg", ratio.insert, "x"],
    ["scan_rows_per_sec", sc.objects.rowsPerSec, "rows/s"],
    ["scan_mb_per_sec", sc.objects.mbPerSec, "MB/s"],
    ["scan_seconds", sc.objects.seconds, "s"],
    ["scan_split_rows_per_sec", sc.objectsSplit.rowsPerSec, "rows/s"],
    ["scan_arrays_rows_per_sec", sc.arrays.rowsPerSec, "rows/s"],
    ["scan_arrays_split_rows_per_sec", sc.arraysSplit.rowsPerSec, "rows/s"],
    ["pg_scan_rows_per_sec", sc.pgObjects.rowsPerSec, "rows/s"],
    ["pg_scan_seconds", sc.pgObjects.seconds, "s"],
    ["pg_scan_arrays_rows_per_sec", sc.pgArrays.rowsPerSec, "rows/s"],
    ["scan_vs_pg", ratio.scan, "x"],
    ["scan_arrays_vs_pg", ratio.scanArrays, "x"],
    ["scan_unsplit_vs_pg", ratio.scanUnsplit, "x"],
    ["scan_arrays_unsplit_vs_pg", ratio.scanArraysUnsplit, "x"],
    ["kv_get_ops", Math.round(kv.get.rowsPerSec), "ops/s"],
    ["kv_set_ops", Math.round(kv.set.rowsPerSec), "ops/s"],
    ["kv_set_new_ops", Math.round(kv.setNew.rowsPerSec), "ops/s"],
    ["roundtrip_ops", Math.round(floor.rowsPerSec), "ops/s"],
  ];
  for (const [figure, value, unit] of figures) console.log(benchLine(figure, value, unit));
}

await main();
