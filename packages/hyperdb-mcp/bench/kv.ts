/**
 * Benchmark of the KV tools over MCP stdio against the upstream Rust hyperdb-mcp: one client
 * per server calls `kv_set` N times (new keys, one call after the other), then `kv_get` of the
 * same N keys, into the session's local database; then one `query` (SQL may change the KV
 * table, so our server forgets the values it knows) and `kv_get` of the N keys once more, each
 * one statement in hyperd.
 *
 *   node bench/kv.ts          (pnpm bench:kv; build the package first)
 *
 * The upstream is compared when `HYPERDB_MCP_UPSTREAM` names its executable (its hyperd comes
 * from `UPSTREAM_HYPERD_PATH`, else `HYPERD_PATH`). Both servers run with `--no-daemon` (a
 * private hyperd each, in a sandboxed home), so neither meets the other's daemon. Environment:
 * BENCH_KV_N (calls per figure, default 2000), BENCH_REPEAT (runs per figure, default 3; the
 * median counts). Every `kv_get` result is checked. Prints a table, then one
 * `BENCH <figure> <value> <unit>` line per figure.
 *
 * @module
 */
import {
  benchLine,
  envCount,
  machineLines,
  median,
  renderTable,
} from "../../hyperdb-api-core/bench/stats.ts";
import { callJson, openSession, type Session } from "./mcp-session.ts";
import {
  createSandbox,
  oursSpec,
  removeOursCopy,
  removeSandbox,
  type Sandbox,
  type ServerSpec,
  serverVersion,
  upstreamSpec,
} from "./servers.ts";

const N = envCount("BENCH_KV_N", 2000);
const REPEAT = envCount("BENCH_REPEAT", 3);
const WARM_UP_CALLS = 200;
const ARGS = ["--no-daemon"];

/** Calls per second of each run. */
interface Rates {
  set: number[];
  get: number[];
  getAfterSql: number[];
}

function progress(message: string): void {
  process.stderr.write(`  [bench] ${message}\n`);
}

/** Calls per second of `calls` sequential calls of `tool`. */
async function rate(
  session: Session,
  tool: string,
  argsOf: (i: number) => Record<string, unknown>,
  check: (i: number, result: Record<string, unknown>) => void = () => undefined,
): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < N; i++) check(i, await callJson(session, tool, argsOf(i)));
  return N / ((performance.now() - started) / 1000);
}

/** One run: N new keys set, then read back, then read back after a SQL call, in a store of its own. */
async function runOnce(session: Session, name: string, store: string): Promise<Record<keyof Rates, number>> {
  const set = await rate(session, "kv_set", (i) => ({ store, key: `key${i}`, value: `value-${i}` }));
  const readBack = () =>
    rate(
      session,
      "kv_get",
      (i) => ({ store, key: `key${i}` }),
      (i, result) => {
        if (result.found !== true || result.value !== `value-${i}`) {
          throw new Error(`${name}: kv_get of key${i} returned ${JSON.stringify(result)}`);
        }
      },
    );
  const get = await readBack();
  await callJson(session, "query", { sql: "SELECT 1 AS one" });
  const getAfterSql = await readBack();
  return { set, get, getAfterSql };
}

async function warmUp(session: Session): Promise<void> {
  for (let i = 0; i < WARM_UP_CALLS; i++) {
    await callJson(session, "kv_set", { store: "warmup", key: `k${i}`, value: "v" });
    await callJson(session, "kv_get", { store: "warmup", key: `k${i}` });
  }
}

async function main(): Promise<void> {
  const specs: ServerSpec[] = [await oursSpec()];
  const upstream = upstreamSpec();
  if (upstream !== undefined) specs.push(upstream);
  const sandboxes = new Map<ServerSpec, Sandbox>();
  const sessions = new Map<ServerSpec, Session>();
  const rates = new Map<ServerSpec, Rates>(
    specs.map((spec) => [spec, { set: [], get: [], getAfterSql: [] }]),
  );
  try {
    console.log("hyperdb-mcp KV benchmark");
    const versions = await Promise.all(
      specs.map(async (spec) => `${spec.name} ${await serverVersion(spec)}`),
    );
    for (const line of machineLines(versions.join(", "), ["@modelcontextprotocol/client"], import.meta.url))
      console.log(line);
    console.log(upstream === undefined ? "upstream: not installed, skipped" : "upstream: compared");
    console.log(
      `${N.toLocaleString("en-US")} sequential kv_set (new keys), kv_get of them, one query, kv_get of them again; local database, --no-daemon; ${REPEAT} runs per figure (median) after ${WARM_UP_CALLS} warm-up calls of each`,
    );
    console.log("");
    for (const spec of specs) {
      const sandbox = await createSandbox(spec);
      sandboxes.set(spec, sandbox);
      const session = await openSession(spec, ARGS, sandbox.env);
      sessions.set(spec, session);
      await warmUp(session);
    }
    for (let round = 1; round <= REPEAT; round++) {
      for (const spec of specs) {
        const run = await runOnce(sessions.get(spec) as Session, spec.name, `bench${round}`);
        const own = rates.get(spec) as Rates;
        own.set.push(run.set);
        own.get.push(run.get);
        own.getAfterSql.push(run.getAfterSql);
        progress(
          `run ${round}/${REPEAT} ${spec.name}: kv_set ${Math.round(run.set)}/s, kv_get ${Math.round(run.get)}/s, ` +
            `after SQL ${Math.round(run.getAfterSql)}/s`,
        );
      }
    }
  } finally {
    for (const session of sessions.values()) await session.close();
    for (const [spec, sandbox] of sandboxes) await removeSandbox(spec, sandbox);
    await removeOursCopy();
  }
  report(specs, rates);
}

function report(specs: readonly ServerSpec[], rates: ReadonlyMap<ServerSpec, Rates>): void {
  const [ours, upstream] = specs as [ServerSpec, ServerSpec | undefined];
  const figures = [
    { key: "set", label: "kv_set, new keys", target: 3 },
    { key: "get", label: "kv_get, keys just set", target: 3 },
    { key: "getAfterSql", label: "kv_get, after a SQL call", target: 3 },
  ] as const;
  const ratesOf = (spec: ServerSpec): Rates => rates.get(spec) as Rates;
  const rows = figures.map(({ key, label, target }) => {
    const a = median(ratesOf(ours)[key]);
    const b = upstream === undefined ? Number.NaN : median(ratesOf(upstream)[key]);
    const ratio = a / b;
    return [
      label,
      Math.round(a).toLocaleString("en-US"),
      Number.isNaN(b) ? "-" : Math.round(b).toLocaleString("en-US"),
      Number.isNaN(ratio) ? "-" : `${ratio.toFixed(2)}x`,
      Number.isNaN(ratio) ? `>= ${target}x` : `>= ${target}x: ${ratio >= target ? "met" : "MISSED"}`,
      ratesOf(ours)
        [key].map((x) => Math.round(x))
        .join(" / "),
      upstream === undefined
        ? "-"
        : ratesOf(upstream)
            [key].map((x) => Math.round(x))
            .join(" / "),
    ];
  });
  console.log(
    renderTable(
      [
        "benchmark (median calls/s)",
        "ours",
        "upstream",
        "ours/upstream",
        "target",
        "runs ours",
        "runs upstream",
      ],
      rows,
    ),
  );
  console.log("");
  console.log("Calls/s are wall clock in this client: request, tool call and response, one at a time.");
  console.log("");
  const lines: [string, number, string][] = [
    ["mcp_kv_set_ops", median(ratesOf(ours).set), "ops/s"],
    ["mcp_kv_get_ops", median(ratesOf(ours).get), "ops/s"],
    ["mcp_kv_get_after_sql_ops", median(ratesOf(ours).getAfterSql), "ops/s"],
  ];
  if (upstream !== undefined) {
    lines.push(["upstream_mcp_kv_set_ops", median(ratesOf(upstream).set), "ops/s"]);
    lines.push(["upstream_mcp_kv_get_ops", median(ratesOf(upstream).get), "ops/s"]);
    lines.push(["upstream_mcp_kv_get_after_sql_ops", median(ratesOf(upstream).getAfterSql), "ops/s"]);
    lines.push(["mcp_kv_set_vs_upstream", median(ratesOf(ours).set) / median(ratesOf(upstream).set), "x"]);
    lines.push(["mcp_kv_get_vs_upstream", median(ratesOf(ours).get) / median(ratesOf(upstream).get), "x"]);
    lines.push([
      "mcp_kv_get_after_sql_vs_upstream",
      median(ratesOf(ours).getAfterSql) / median(ratesOf(upstream).getAfterSql),
      "x",
    ]);
  }
  for (const [figure, value, unit] of lines) console.log(benchLine(figure, value, unit));
}

process.once("SIGINT", () => {
  void removeOursCopy().finally(() => process.exit(130));
});

await main();
