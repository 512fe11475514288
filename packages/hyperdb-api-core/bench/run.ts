/**
 * Benchmarks of the wire layer against node-postgres on the same hyperd, in one run.
 *
 *   node --expose-gc bench/run.ts          (pnpm bench)
 *
 * Environment: BENCH_ROWS (default 10_000_000), BENCH_REPEAT (measured runs per figure,
 * default 3, at least 3 recommended), BENCH_SPLIT (rows per ranged scan query, default 500_000).
 * Prints a table, then one `BENCH <figure> <value> <unit>` line per figure.
 */

import { mkdtemp, rm } from "node:fs/promises";
import * as os from "node:os";
import { join } from "node:path";
import pg from "pg";
import { HyperProcess } from "../../hyperdb-api/src/process/hyper-process.ts";
import { Connection, DEFAULT_USER } from "../src/index.ts";
import { insertOurs, insertPg, insertWire, OUR_CHUNK_BYTES, PG_CHUNK_CHARS, preEncode } from "./insert.ts";
import { RawWireClient, scanRawWire } from "./raw-wire.ts";
import { CREATE_TABLE_COLUMNS, expectedChecksum, sameChecksum, TABLE, verificationSql } from "./rows.ts";
import { type ScanOutcome, scanOurs, scanPg } from "./scan.ts";
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
} from "./stats.ts";

const ROWS = envCount("BENCH_ROWS", 10_000_000);
const REPEAT = envCount("BENCH_REPEAT", 3);
const SPLIT = envCount("BENCH_SPLIT", 500_000);
/** Warm-up size: a tenth of the run, between 10k and 1M rows. */
const WARM_ROWS = Math.min(ROWS, Math.max(10_000, Math.min(1_000_000, Math.floor(ROWS / 10))));
const WARM_TABLE = "bench_warmup";

function progress(message: string): void {
  process.stderr.write(`  [bench] ${message}\n`);
}

function describe(run: Measurement): string {
  return `${fmtFixed(run.seconds, 3)} s, ${fmtInt(run.rows / run.seconds)} rows/s`;
}

async function main(): Promise<void> {
  const hyper = await HyperProcess.start();
  watchServer(hyper.pid);
  const directory = await mkdtemp(join(os.tmpdir(), "hyperdb-bench-"));
  const database = join(directory, "bench.hyper");
  const endpoint = hyper.endpoint;
  if (endpoint.kind !== "tcp") throw new Error("expected a TCP endpoint");
  const { host, port } = endpoint;
  let conn: Connection | undefined;
  let client: pg.Client | undefined;
  let wire: RawWireClient | undefined;
  try {
    {
      await using admin = await Connection.connect({ endpoint: `${host}:${port}` });
      await admin.execute(`CREATE DATABASE "${database}"`);
    }
    conn = await Connection.connect({ endpoint: `${host}:${port}`, database });
    client = new pg.Client({ host, port, user: DEFAULT_USER, database });
    await client.connect();
    wire = await RawWireClient.connect(host, port, DEFAULT_USER, database);
    const ours = conn;
    const theirs = client;
    const raw = wire;

    const cores = os.cpus().length;
    console.log("hyperdb-api-core benchmarks");
    for (const line of machineLines(`hyperd ${conn.parameter("hyper_version") ?? "unknown"}`, ["pg"]))
      console.log(line);
    console.log(
      `rows ${fmtInt(ROWS)} (warm-up ${fmtInt(WARM_ROWS)}), ${REPEAT} runs per figure (median), ` +
        `ranged scans ${fmtInt(SPLIT)} rows/query, COPY chunks: ours ${OUR_CHUNK_BYTES / 2 ** 20} MiB, pg ${fmtInt(PG_CHUNK_CHARS)} chars`,
    );
    console.log("");

    const recreate = async (table: string) => {
      await ours.execute(`DROP TABLE IF EXISTS ${table}`);
      await ours.execute(`CREATE TABLE ${table} ${CREATE_TABLE_COLUMNS}`);
    };
    const verify = async (table: string, count: number, who: string) => {
      const { rows } = await ours.query(verificationSql(table)).all();
      const [n, sumI, sumD, textLength, mismatches] = (rows[0] ?? []).map((value) => Number(value));
      const want = expectedChecksum(count);
      if (
        n !== count ||
        sumI !== want.sumI ||
        sumD !== want.sumD ||
        textLength !== want.textLength ||
        mismatches !== 0
      ) {
        throw new Error(`${who}: table ${table} does not hold the generated rows: ${String(rows[0])}`);
      }
    };
    const checkScan = (outcome: ScanOutcome, count: number, who: string) => {
      if (!sameChecksum(outcome.checksum, expectedChecksum(count))) {
        throw new Error(`${who}: scan checksum mismatch ${JSON.stringify(outcome.checksum)}`);
      }
    };
    const checkWire = (run: Measurement, count: number) => {
      if (run.rows !== count) throw new Error(`raw wire: ${run.rows} DataRows, expected ${count}`);
    };

    // Warm-up: every code path once at a smaller size (JIT, hyperd caches, socket buffers).
    progress(`warm-up with ${fmtInt(WARM_ROWS)} rows`);
    await recreate(WARM_TABLE);
    await insertOurs(ours, WARM_TABLE, WARM_ROWS);
    await verify(WARM_TABLE, WARM_ROWS, "ours");
    await recreate(WARM_TABLE);
    await insertWire(ours, WARM_TABLE, WARM_ROWS, preEncode(WARM_ROWS));
    await verify(WARM_TABLE, WARM_ROWS, "raw wire");
    await recreate(WARM_TABLE);
    await insertPg(theirs, WARM_TABLE, WARM_ROWS);
    await verify(WARM_TABLE, WARM_ROWS, "pg");
    checkScan(await scanOurs(ours, WARM_TABLE, WARM_ROWS), WARM_ROWS, "ours");
    checkScan(await scanOurs(ours, WARM_TABLE, WARM_ROWS, SPLIT), WARM_ROWS, "ours split");
    checkScan(await scanPg(theirs, WARM_TABLE, WARM_ROWS, SPLIT), WARM_ROWS, "pg");
    checkWire(await scanRawWire(raw, WARM_TABLE), WARM_ROWS);
    await ours.execute(`DROP TABLE ${WARM_TABLE}`);

    // INSERT, alternating ours, raw wire and pg; each run loads into a fresh table and is verified.
    const insertRuns = { ours: [] as Measurement[], pg: [] as Measurement[], wire: [] as Measurement[] };
    let pieces: Buffer[] | null = preEncode(ROWS);
    for (let run = 1; run <= REPEAT; run++) {
      await recreate(TABLE);
      const a = await insertOurs(ours, TABLE, ROWS);
      await verify(TABLE, ROWS, "ours");
      insertRuns.ours.push(a);
      progress(`insert run ${run}/${REPEAT} ours: ${describe(a)}`);
      await recreate(TABLE);
      const w = await insertWire(ours, TABLE, ROWS, pieces);
      await verify(TABLE, ROWS, "raw wire");
      insertRuns.wire.push(w);
      progress(`insert run ${run}/${REPEAT} wire: ${describe(w)}`);
      await recreate(TABLE);
      const b = await insertPg(theirs, TABLE, ROWS);
      await verify(TABLE, ROWS, "pg");
      insertRuns.pg.push(b);
      progress(`insert run ${run}/${REPEAT} pg:   ${describe(b)}`);
    }

    pieces = null;

    // SCAN of the table the last insert run left (verified above).
    const scanRuns = {
      ours: [] as Measurement[],
      oursSplit: [] as Measurement[],
      pg: [] as Measurement[],
      wire: [] as Measurement[],
    };
    for (let run = 1; run <= REPEAT; run++) {
      const a = await scanOurs(ours, TABLE, ROWS);
      checkScan(a, ROWS, "ours");
      scanRuns.ours.push(a);
      progress(`scan run ${run}/${REPEAT} ours:       ${describe(a)}`);
      const b = await scanOurs(ours, TABLE, ROWS, SPLIT);
      checkScan(b, ROWS, "ours split");
      scanRuns.oursSplit.push(b);
      progress(`scan run ${run}/${REPEAT} ours split: ${describe(b)}`);
      const c = await scanPg(theirs, TABLE, ROWS, SPLIT);
      checkScan(c, ROWS, "pg");
      scanRuns.pg.push(c);
      progress(`scan run ${run}/${REPEAT} pg split:   ${describe(c)}`);
      const d = await scanRawWire(raw, TABLE);
      checkWire(d, ROWS);
      scanRuns.wire.push(d);
      progress(`scan run ${run}/${REPEAT} raw wire:   ${describe(d)}`);
    }

    const s = {
      scan: summarize(scanRuns.ours),
      scanSplit: summarize(scanRuns.oursSplit),
      pgScan: summarize(scanRuns.pg),
      wire: summarize(scanRuns.wire),
      insert: summarize(insertRuns.ours),
      pgInsert: summarize(insertRuns.pg),
      wireInsert: summarize(insertRuns.wire),
    };
    const ratio = {
      scanVsPg: s.scanSplit.rowsPerSec / s.pgScan.rowsPerSec,
      scanUnsplitVsPg: s.scan.rowsPerSec / s.pgScan.rowsPerSec,
      scanVsWire: s.scan.rowsPerSec / s.wire.rowsPerSec,
      insertVsPg: s.insert.rowsPerSec / s.pgInsert.rowsPerSec,
      insertVsWire: s.insert.rowsPerSec / s.wireInsert.rowsPerSec,
      wireInsertVsPg: s.wireInsert.rowsPerSec / s.pgInsert.rowsPerSec,
    };

    const split = `${fmtInt(SPLIT / 1000)}k-row ranges`;
    const row = (name: string, summary: Summary, against: string): string[] => [
      name,
      fmtInt(summary.rowsPerSec),
      fmtFixed(summary.mbPerSec, 1),
      fmtFixed(summary.seconds, 3),
      `${fmtFixed(summary.clientCpu, 2)} / ${fmtFixed(summary.serverCpu, 2)}`,
      against,
      summary.runs.map((x) => x.toFixed(2)).join(" / "),
    ];
    const x = (value: number, what: string) => `${value.toFixed(2)}x ${what}`;
    console.log(
      renderTable(
        ["benchmark", "rows/s", "MB/s", "seconds", "CPU s client/hyperd", "ratio (ours / other)", "runs (s)"],
        [
          row(
            `scan   ours, HyperBinary, 1 query`,
            s.scan,
            `${x(ratio.scanVsWire, "wire")}, ${x(ratio.scanUnsplitVsPg, "pg")}`,
          ),
          row(`scan   ours, HyperBinary, ${split}`, s.scanSplit, x(ratio.scanVsPg, "pg")),
          row(`scan   node-postgres, text, ${split}`, s.pgScan, "1.00x"),
          row(`scan   raw wire, framing only, 1 query`, s.wire, "1.00x"),
          row(
            `insert ours, HyperBinary COPY`,
            s.insert,
            `${x(ratio.insertVsWire, "wire")}, ${x(ratio.insertVsPg, "pg")}`,
          ),
          row(`insert node-postgres, pg-copy-streams CSV`, s.pgInsert, "1.00x"),
          row(
            `insert raw wire, pre-encoded HyperBinary`,
            s.wireInsert,
            `1.00x (${x(ratio.wireInsertVsPg, "pg")})`,
          ),
        ],
      ),
    );
    console.log("");
    console.log("MB/s counts the bytes on the socket: received for scans, sent for inserts.");
    console.log(
      `CPU s = median CPU seconds used during a run by this Node process / by hyperd (${cores} cores => at most ${cores} CPU s per wall second).`,
    );
    console.log(
      "raw wire = no client work: scan frames messages without decoding; insert sends bytes encoded before the clock started.",
    );
    const target = (value: number, goal: number) =>
      `${value.toFixed(2)}x (target >= ${goal}x: ${value >= goal ? "met" : "MISSED"})`;
    console.log(`scan vs node-postgres (same ranged queries): ${target(ratio.scanVsPg, 4)}`);
    console.log(`insert vs node-postgres:                     ${target(ratio.insertVsPg, 4)}`);
    console.log(`scan vs raw wire (one query each):           ${target(ratio.scanVsWire, 0.6)}`);
    console.log(`insert vs raw wire (informational):          ${ratio.insertVsWire.toFixed(2)}x`);
    console.log("");

    const lines: [string, number, string][] = [
      ["rows", ROWS, "rows"],
      ["scan_rows_per_sec", s.scan.rowsPerSec, "rows/s"],
      ["scan_mb_per_sec", s.scan.mbPerSec, "MB/s"],
      ["scan_seconds", s.scan.seconds, "s"],
      ["scan_split_rows_per_sec", s.scanSplit.rowsPerSec, "rows/s"],
      ["pg_scan_rows_per_sec", s.pgScan.rowsPerSec, "rows/s"],
      ["pg_scan_mb_per_sec", s.pgScan.mbPerSec, "MB/s"],
      ["pg_scan_seconds", s.pgScan.seconds, "s"],
      ["wire_rows_per_sec", s.wire.rowsPerSec, "rows/s"],
      ["wire_mb_per_sec", s.wire.mbPerSec, "MB/s"],
      ["insert_rows_per_sec", s.insert.rowsPerSec, "rows/s"],
      ["insert_mb_per_sec", s.insert.mbPerSec, "MB/s"],
      ["insert_seconds", s.insert.seconds, "s"],
      ["pg_insert_rows_per_sec", s.pgInsert.rowsPerSec, "rows/s"],
      ["pg_insert_mb_per_sec", s.pgInsert.mbPerSec, "MB/s"],
      ["pg_insert_seconds", s.pgInsert.seconds, "s"],
      ["wire_insert_rows_per_sec", s.wireInsert.rowsPerSec, "rows/s"],
      ["wire_insert_mb_per_sec", s.wireInsert.mbPerSec, "MB/s"],
      ["scan_vs_pg", ratio.scanVsPg, "x"],
      ["scan_unsplit_vs_pg", ratio.scanUnsplitVsPg, "x"],
      ["scan_vs_wire", ratio.scanVsWire, "x"],
      ["insert_vs_pg", ratio.insertVsPg, "x"],
      ["insert_vs_wire", ratio.insertVsWire, "x"],
    ];
    for (const [figure, value, unit] of lines) console.log(benchLine(figure, value, unit));
  } finally {
    wire?.close();
    await client?.end().catch(() => {});
    await conn?.close();
    await hyper.close();
    await rm(directory, { recursive: true, force: true });
  }
}

await main();
