/**
 * Benchmark of the MCP server against the upstream Rust hyperdb-mcp, both driven by the SDK
 * client over stdio, in one run:
 *
 * - spawn to the first `SELECT 1` result, cold (no daemon running: a fresh home and state
 *   folder each run) and warm (the daemon of a previous client still running); each also as
 *   LLM clients start a server, with a `tools/list` between `initialize` and the call;
 * - `load_file` of a generated CSV (1M rows: int, text, double, date, int);
 * - a `query` returning 10,000 rows of that table.
 *
 *   node bench/run.ts          (pnpm bench; build the package first)
 *
 * The upstream is compared when `HYPERDB_MCP_UPSTREAM` names its executable (its hyperd comes
 * from `UPSTREAM_HYPERD_PATH`, else `HYPERD_PATH`); otherwise only this server is measured.
 * Both run in their default (daemon) mode; while this server has no daemon mode it runs with
 * `--no-daemon`, and the output says so. Environment: BENCH_STARTUP_REPEAT (runs per start-up
 * figure, default 7), BENCH_REPEAT (runs of load_file, default 3), BENCH_QUERY_REPEAT (runs of
 * the query, default 15: it is short, so a few runs are at the mercy of the machine's noise),
 * BENCH_CSV_ROWS (default 1_000_000). Prints a table, then one `BENCH <figure> <value> <unit>` line per figure.
 *
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises";
import * as os from "node:os";
import { join } from "node:path";
import {
  benchLine,
  envCount,
  fmtSeconds,
  machineLines,
  median,
  renderTable,
} from "../../hyperdb-api-core/bench/stats.ts";
import { writeCsv } from "./csv-fixture.ts";
import { callJson, openSession, queryRows, type Session } from "./mcp-session.ts";
import {
  createSandbox,
  daemonRunning,
  oursSpec,
  removeOursCopy,
  removeSandbox,
  type Sandbox,
  type ServerSpec,
  serverVersion,
  upstreamSpec,
} from "./servers.ts";

const STARTUP_REPEAT = envCount("BENCH_STARTUP_REPEAT", 7);
const REPEAT = envCount("BENCH_REPEAT", 3);
const QUERY_REPEAT = envCount("BENCH_QUERY_REPEAT", 15);
const CSV_ROWS = envCount("BENCH_CSV_ROWS", 1_000_000);
const QUERY_ROWS = 10_000;
const TABLE = "bench_csv";

function progress(message: string): void {
  process.stderr.write(`  [bench] ${message}\n`);
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** A server under test with the arguments it runs with. */
interface Contender {
  readonly spec: ServerSpec;
  readonly args: readonly string[];
}

/** Runs per figure of one contender. */
interface Runs {
  startupCold: number[];
  startupColdListed: number[];
  startupWarm: number[];
  startupWarmListed: number[];
  load: number[];
  query: number[];
}

const sandboxes = new Map<Sandbox, ServerSpec>();

async function sandboxFor(spec: ServerSpec): Promise<Sandbox> {
  const sandbox = await createSandbox(spec);
  sandboxes.set(sandbox, spec);
  return sandbox;
}

async function dropSandbox(sandbox: Sandbox): Promise<void> {
  const spec = sandboxes.get(sandbox);
  sandboxes.delete(sandbox);
  if (spec !== undefined) await removeSandbox(spec, sandbox);
}

async function cleanUp(): Promise<void> {
  await Promise.all([...sandboxes.keys()].map((sandbox) => dropSandbox(sandbox)));
}

/**
 * Spawn to the first `SELECT 1` result, in seconds, with a `tools/list` before the call when
 * `listTools`; the session is closed afterwards.
 */
async function firstSelect(contender: Contender, sandbox: Sandbox, listTools = false): Promise<number> {
  const started = performance.now();
  const session = await openSession(contender.spec, contender.args, sandbox.env);
  try {
    if (listTools) {
      const { tools } = await session.client.listTools();
      if (!tools.some((tool) => tool.name === "query"))
        throw new Error(`${contender.spec.name}: tools/list has no query tool`);
    }
    const rows = await queryRows(session, "SELECT 1 AS x");
    const elapsed = seconds(started);
    if (Number(rows[0]?.x) !== 1)
      throw new Error(`${contender.spec.name}: SELECT 1 returned ${JSON.stringify(rows)}`);
    return elapsed;
  } catch (error) {
    throw new Error(`${contender.spec.name}: ${String(error)}\n${session.stderr()}`);
  } finally {
    await session.close();
  }
}

/**
 * Whether our server, started without flags, serves SQL from a shared daemon: after a first
 * query the daemon must have published a live `daemon.json` in the state folder (a server whose
 * daemon mode is missing or failing answers from a private hyperd and publishes none).
 */
async function oursRunsDaemon(spec: ServerSpec): Promise<boolean> {
  const sandbox = await sandboxFor(spec);
  try {
    await firstSelect({ spec, args: [] }, sandbox);
    return daemonRunning(sandbox);
  } finally {
    await dropSandbox(sandbox);
  }
}

async function loadOnce(session: Session, name: string, csv: string): Promise<number> {
  const started = performance.now();
  await callJson(session, "load_file", { table: TABLE, path: csv, mode: "replace" });
  const elapsed = seconds(started);
  const rows = await queryRows(session, `SELECT COUNT(*) AS n FROM ${TABLE}`);
  if (Number(rows[0]?.n) !== CSV_ROWS) {
    throw new Error(`${name}: load_file left ${JSON.stringify(rows[0])} rows, expected ${CSV_ROWS}`);
  }
  return elapsed;
}

async function queryOnce(session: Session, name: string): Promise<number> {
  const started = performance.now();
  const rows = await queryRows(session, `SELECT * FROM ${TABLE} LIMIT ${QUERY_ROWS}`);
  const elapsed = seconds(started);
  const expected = Math.min(QUERY_ROWS, CSV_ROWS);
  if (rows.length !== expected)
    throw new Error(`${name}: query returned ${rows.length} rows, expected ${expected}`);
  return elapsed;
}

async function main(): Promise<void> {
  const upstream = upstreamSpec();
  const ours = await oursSpec();
  try {
    await measure(ours, upstream);
  } finally {
    await cleanUp();
    await removeOursCopy();
  }
}

async function measure(ours: ServerSpec, upstream: ServerSpec | undefined): Promise<void> {
  const daemon = await oursRunsDaemon(ours);
  const contenders: Contender[] = [{ spec: ours, args: daemon ? [] : ["--no-daemon"] }];
  if (upstream !== undefined) contenders.push({ spec: upstream, args: [] });

  console.log("hyperdb-mcp benchmarks");
  const versions = await Promise.all(
    contenders.map(async (c) => `${c.spec.name} ${await serverVersion(c.spec)}`),
  );
  for (const line of machineLines(versions.join(", "), ["@modelcontextprotocol/client"], import.meta.url))
    console.log(line);
  console.log(
    `ours: ${daemon ? "default daemon mode" : "no shared daemon came up in default mode (daemon mode not wired yet): ran with --no-daemon, a private hyperd per session"}`,
  );
  console.log(upstream === undefined ? "upstream: not installed, skipped" : "upstream: default daemon mode");
  console.log(
    `start-up: ${STARTUP_REPEAT} runs per figure (median); load_file of ${CSV_ROWS.toLocaleString("en-US")} CSV rows: ${REPEAT} runs, a ${QUERY_ROWS.toLocaleString("en-US")}-row query: ${QUERY_REPEAT} runs (medians), each after one warm-up`,
  );
  console.log("");

  const runs = new Map<Contender, Runs>(
    contenders.map((c) => [
      c,
      { startupCold: [], startupColdListed: [], startupWarm: [], startupWarmListed: [], load: [], query: [] },
    ]),
  );
  const runsOf = (c: Contender): Runs => runs.get(c) as Runs;
  const dataDir = await mkdtemp(join(os.tmpdir(), "hyperdb-mcp-bench-data-"));
  const sessions: Session[] = [];
  try {
    // Cold: no daemon, fresh home and state folder per run; the first round only warms caches.
    for (let round = 0; round <= STARTUP_REPEAT; round++) {
      for (const listTools of [false, true]) {
        for (const c of contenders) {
          const sandbox = await sandboxFor(c.spec);
          const elapsed = await firstSelect(c, sandbox, listTools);
          await dropSandbox(sandbox);
          if (round > 0) runsOf(c)[listTools ? "startupColdListed" : "startupCold"].push(elapsed);
          progress(
            `cold start${listTools ? " (tools/list first)" : ""} ${round === 0 ? "warm-up" : `${round}/${STARTUP_REPEAT}`} ${c.spec.name}: ${fmtSeconds(elapsed)} s`,
          );
        }
      }
    }

    // Warm: a first client leaves the daemon running; later clients find it.
    const warmBoxes = new Map<Contender, Sandbox>();
    for (const c of contenders) {
      const sandbox = await sandboxFor(c.spec);
      warmBoxes.set(c, sandbox);
      await firstSelect(c, sandbox);
    }
    for (let round = 1; round <= STARTUP_REPEAT; round++) {
      for (const listTools of [false, true]) {
        for (const c of contenders) {
          const elapsed = await firstSelect(c, warmBoxes.get(c) as Sandbox, listTools);
          runsOf(c)[listTools ? "startupWarmListed" : "startupWarm"].push(elapsed);
          progress(
            `warm start${listTools ? " (tools/list first)" : ""} ${round}/${STARTUP_REPEAT} ${c.spec.name}: ${fmtSeconds(elapsed)} s`,
          );
        }
      }
    }

    // load_file and query, one long-lived session per server.
    const csv = join(dataDir, "bench.csv");
    const written = performance.now();
    await writeCsv(csv, CSV_ROWS);
    progress(`wrote ${CSV_ROWS} CSV rows in ${fmtSeconds(seconds(written))} s`);
    const sessionOf = new Map<Contender, Session>();
    for (const c of contenders) {
      const session = await openSession(c.spec, c.args, (warmBoxes.get(c) as Sandbox).env);
      sessions.push(session);
      sessionOf.set(c, session);
      progress(
        `load_file warm-up ${c.spec.name}: ${fmtSeconds(await loadOnce(session, c.spec.name, csv))} s`,
      );
      progress(`query warm-up ${c.spec.name}: ${fmtSeconds(await queryOnce(session, c.spec.name))} s`);
    }
    for (let round = 1; round <= REPEAT; round++) {
      for (const c of contenders) {
        const elapsed = await loadOnce(sessionOf.get(c) as Session, c.spec.name, csv);
        runsOf(c).load.push(elapsed);
        progress(`load_file ${round}/${REPEAT} ${c.spec.name}: ${fmtSeconds(elapsed)} s`);
      }
    }
    for (let round = 1; round <= QUERY_REPEAT; round++) {
      for (const c of contenders) {
        const elapsed = await queryOnce(sessionOf.get(c) as Session, c.spec.name);
        runsOf(c).query.push(elapsed);
        progress(`query ${round}/${QUERY_REPEAT} ${c.spec.name}: ${fmtSeconds(elapsed)} s`);
      }
    }
  } finally {
    await Promise.all(sessions.map((session) => session.close()));
    await cleanUp();
    await rm(dataDir, { recursive: true, force: true });
  }

  report(contenders, runsOf, daemon);
}

type Figure = "startupCold" | "startupColdListed" | "startupWarm" | "startupWarmListed" | "load" | "query";

const FIGURES: readonly { key: Figure; name: string; label: string; target: number }[] = [
  { key: "startupCold", name: "startup_cold", label: "spawn -> SELECT 1, cold (no daemon)", target: 1 },
  {
    key: "startupColdListed",
    name: "startup_cold_listed",
    label: "spawn -> tools/list -> SELECT 1, cold",
    target: 1,
  },
  { key: "startupWarm", name: "startup_warm", label: "spawn -> SELECT 1, warm (daemon up)", target: 1 },
  {
    key: "startupWarmListed",
    name: "startup_warm_listed",
    label: "spawn -> tools/list -> SELECT 1, warm",
    target: 1,
  },
  {
    key: "load",
    name: "load_file_csv",
    label: `load_file, ${CSV_ROWS.toLocaleString("en-US")}-row CSV`,
    target: 0.8,
  },
  {
    key: "query",
    name: "query_10k",
    label: `query, ${Math.min(QUERY_ROWS, CSV_ROWS).toLocaleString("en-US")} rows`,
    target: 0.5,
  },
];

function report(contenders: readonly Contender[], runsOf: (c: Contender) => Runs, daemon: boolean): void {
  const [ours, upstream] = contenders as [Contender, Contender | undefined];
  const rows = FIGURES.map(({ key, label, target }) => {
    const a = median(runsOf(ours)[key]);
    const b = upstream === undefined ? Number.NaN : median(runsOf(upstream)[key]);
    const ratio = a / b;
    return [
      label,
      fmtSeconds(a),
      fmtSeconds(b),
      Number.isNaN(ratio) ? "-" : `${ratio.toFixed(2)}x`,
      Number.isNaN(ratio) ? `<= ${target}x` : `<= ${target}x: ${ratio <= target ? "met" : "MISSED"}`,
      runsOf(ours)
        [key].map((x) => x.toFixed(3))
        .join(" / "),
      upstream === undefined
        ? "-"
        : runsOf(upstream)
            [key].map((x) => x.toFixed(3))
            .join(" / "),
    ];
  });
  console.log(
    renderTable(
      [
        "benchmark (median seconds)",
        "ours",
        "upstream",
        "ours/upstream",
        "target",
        "runs ours (s)",
        "runs upstream (s)",
      ],
      rows,
    ),
  );
  console.log("");
  if (!daemon) console.log("ours ran with --no-daemon: its warm start-up still starts a private hyperd.");
  console.log(
    "Times are wall clock in this client: spawn, initialize (and tools/list, as LLM clients do) and the call, or the call alone.",
  );
  console.log("");
  const lines: [string, number, string][] = [["csv_rows", CSV_ROWS, "rows"]];
  for (const { key, name } of FIGURES) {
    const a = median(runsOf(ours)[key]);
    lines.push([`${name}_seconds`, a, "s"]);
    if (upstream !== undefined) {
      const b = median(runsOf(upstream)[key]);
      lines.push([`upstream_${name}_seconds`, b, "s"]);
      lines.push([`${name}_vs_upstream`, a / b, "x"]);
    }
  }
  const load = median(runsOf(ours).load);
  lines.push(["load_file_rows_per_sec", CSV_ROWS / load, "rows/s"]);
  for (const [figure, value, unit] of lines) console.log(benchLine(figure, value, unit));
}

process.once("SIGINT", () => {
  void cleanUp()
    .then(removeOursCopy)
    .finally(() => process.exit(130));
});

await main();
