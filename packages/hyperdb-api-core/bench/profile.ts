/**
 * Profiles only our scan or insert path (or the raw-wire scan), with V8's sampling profiler
 * switched on around the measured runs only (setup and the initial load are not sampled):
 *
 *   node bench/profile.ts scan|insert|wire [out.cpuprofile]
 *   node bench/profile-top.ts out.cpuprofile
 *
 * BENCH_ROWS (default 5_000_000) rows are loaded once with our COPY; the chosen path then runs
 * BENCH_REPEAT (default 3) times. The profile can also be opened in Chrome DevTools.
 */

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import * as os from "node:os";
import { join } from "node:path";
import { HyperProcess } from "../../hyperdb-api/src/process/hyper-process.ts";
import { Connection, DEFAULT_USER } from "../src/index.ts";
import { insertOurs } from "./insert.ts";
import { RawWireClient, scanRawWire } from "./raw-wire.ts";
import { CREATE_TABLE_COLUMNS, TABLE } from "./rows.ts";
import { scanOurs } from "./scan.ts";

const what = process.argv[2] ?? "scan";
const rows = Number(process.env.BENCH_ROWS ?? 5_000_000);
const repeat = Number(process.env.BENCH_REPEAT ?? 3);
const output = process.argv[3] ?? `${what}.cpuprofile`;
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });

const hyper = await HyperProcess.start();
const directory = await mkdtemp(join(os.tmpdir(), "hyperdb-bench-"));
const database = join(directory, "bench.hyper");
const endpoint = hyper.endpoint;
if (endpoint.kind !== "tcp") throw new Error("expected a TCP endpoint");
const address = `${endpoint.host}:${endpoint.port}`;
try {
  {
    await using admin = await Connection.connect({ endpoint: address });
    await admin.execute(`CREATE DATABASE "${database}"`);
  }
  await using conn = await Connection.connect({ endpoint: address, database });
  await conn.execute(`CREATE TABLE ${TABLE} ${CREATE_TABLE_COLUMNS}`);
  if (what !== "insert") await insertOurs(conn, TABLE, rows);
  const wire =
    what === "wire"
      ? await RawWireClient.connect(endpoint.host, endpoint.port, DEFAULT_USER, database)
      : null;
  await session.post("Profiler.start");
  for (let run = 0; run < repeat; run++) {
    let outcome: { rows: number; seconds: number };
    if (what === "insert") {
      await conn.execute(`DROP TABLE ${TABLE}`);
      await conn.execute(`CREATE TABLE ${TABLE} ${CREATE_TABLE_COLUMNS}`);
      outcome = await insertOurs(conn, TABLE, rows);
    } else if (what === "wire" && wire !== null) {
      outcome = await scanRawWire(wire, TABLE);
    } else {
      outcome = await scanOurs(conn, TABLE, rows);
    }
    console.log(
      `${what}: ${outcome.seconds.toFixed(3)} s, ${Math.round(outcome.rows / outcome.seconds)} rows/s`,
    );
  }
  const { profile } = await session.post("Profiler.stop");
  await writeFile(output, JSON.stringify(profile));
  console.log(`profile written to ${output}`);
  wire?.close();
} finally {
  await hyper.close();
  await rm(directory, { recursive: true, force: true });
}
