/**
 * Load: four clients (four servers sharing one daemon and its hyperd) run a mix of tools for
 * 60 s in the full fault suite (10 s in the regular run): small aggregates and a 10,000-row
 * SELECT, `describe`, `sample`, `load_data` (a few hundred JSON rows, replace and append),
 * `execute` (INSERT and UPDATE on the client's own table), `status`, and `inspect_file` /
 * `load_file` on a small CSV. Every call counts; none may fail (an `isError` result or a thrown
 * call). Afterwards there is still exactly one daemon and one hyperd.
 *
 * Prints one `FAULT load tool=…` line per tool (the 10,000-row SELECT as `query_10k`) with its
 * p50 and p99 latency, and a `FAULT load clients=…` summary.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import {
  isAlive,
  isolatedHome,
  type ServerUnderTest,
  serverEntry,
  startServer,
} from "../integration/server/mcp-client.ts";
import { daemonsOf, freePortRange, hyperdsUnder } from "../integration/setup/processes.ts";
import { call, ok } from "./fault-kit.ts";
import { FULL_FAULT_SUITE } from "./fault-suite.ts";

const CLIENTS = 4;
const DURATION_MS = (FULL_FAULT_SUITE ? 60 : 10) * 1000;
/** No single call may take longer than this (a hang fails the run instead of stalling it). */
const CALL_TIMEOUT_MS = 60_000;
const LOAD_ROWS = 300;
const CSV_ROWS = 200;

const run = promisify(execFile);
let cleanup: (() => Promise<void>) | undefined;

afterAll(async () => {
  await cleanup?.();
});

/** One step of a client's loop: a label (the tool, or `query_10k`), the tool and its arguments. */
interface Step {
  readonly label: string;
  readonly tool: string;
  readonly args: Record<string, unknown>;
}

function rows(client: number, round: number): string {
  return JSON.stringify(
    Array.from({ length: LOAD_ROWS }, (_, index) => ({
      id: index,
      client,
      batch: round,
      name: `row-${client}-${round}-${index}`,
      amount: (index * 7919) % 1000,
    })),
  );
}

/** The mix one client cycles through; `round` varies the data and the load modes. */
function steps(client: number, round: number, csv: string): Step[] {
  const own = `own_${client}`;
  const loaded = `loaded_${client}`;
  const fromFile = `from_file_${client}`;
  return [
    {
      label: "query",
      tool: "query",
      args: { sql: `SELECT count(*) AS n, sum(v) AS s, max(v) AS m FROM ${own}` },
    },
    { label: "status", tool: "status", args: {} },
    {
      label: "query_10k",
      tool: "query",
      args: { sql: "SELECT g AS id, g * 2 AS twice, md5(g::text) AS h FROM generate_series(1, 10000) g" },
    },
    { label: "describe", tool: "describe", args: { table: own } },
    {
      label: "load_data",
      tool: "load_data",
      args: { table: loaded, data: rows(client, round), mode: round % 2 === 0 ? "replace" : "append" },
    },
    {
      label: "execute",
      tool: "execute",
      args: { sql: [`INSERT INTO ${own} SELECT g, g % 10 FROM generate_series(1, 20) g`] },
    },
    { label: "sample", tool: "sample", args: { table: own, n: 10 } },
    {
      label: "query",
      tool: "query",
      args: {
        sql: `SELECT batch, count(*) AS n, avg(amount) AS a FROM ${loaded} GROUP BY batch ORDER BY batch`,
      },
    },
    { label: "inspect_file", tool: "inspect_file", args: { path: csv } },
    { label: "execute", tool: "execute", args: { sql: [`UPDATE ${own} SET v = v + 1 WHERE id % 5 = 0`] } },
    {
      label: "load_file",
      tool: "load_file",
      args: { table: fromFile, path: csv, mode: round % 2 === 0 ? "replace" : "append" },
    },
    { label: "sample", tool: "sample", args: { table: loaded, n: 5 } },
    { label: "describe", tool: "describe", args: {} },
  ];
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[index] as number);
}

describe("load", () => {
  it(
    `${CLIENTS} clients running mixed tools for ${DURATION_MS / 1000} s against one daemon: no errors`,
    async () => {
      const home = isolatedHome();
      const stateDir = join(home, ".hyperdb-ts");
      const base = await freePortRange(16);
      const env = { HYPERDB_STATE_DIR: stateDir, HYPERDB_DAEMON_BASE_PORT: String(base) };
      const servers: ServerUnderTest[] = [];
      cleanup = async () => {
        cleanup = undefined;
        await Promise.all(servers.map((server) => server.client.close().catch(() => undefined)));
        await run(process.execPath, [serverEntry(), "daemon", "stop"], {
          env: { ...process.env, HOME: home, ...env },
          timeout: 20_000,
        }).catch(() => undefined);
        for (const pid of [...daemonsOf(stateDir), ...hyperdsUnder(stateDir), ...servers.map((s) => s.pid)]) {
          if (isAlive(pid)) process.kill(pid, "SIGKILL");
        }
      };

      const csv = join(home, "fixture.csv");
      writeFileSync(
        csv,
        `id,name,price,day\n${Array.from(
          { length: CSV_ROWS },
          (_, index) =>
            `${index},item ${index},${(index * 1.25).toFixed(2)},2026-01-${String((index % 28) + 1).padStart(2, "0")}`,
        ).join("\n")}\n`,
      );

      for (let client = 0; client < CLIENTS; client++) {
        servers.push(await startServer({ daemon: true, home, env }));
      }
      const ports = new Set<number>();
      for (const [client, server] of servers.entries()) {
        const engine = ok(await call(server, "status", {})).engine as {
          mode: string;
          daemon_health_port: number;
        };
        expect(engine.mode).toBe("daemon");
        ports.add(engine.daemon_health_port);
        ok(
          await call(server, "execute", {
            sql: [`CREATE TABLE own_${client} AS SELECT g AS id, g % 10 AS v FROM generate_series(1, 100) g`],
          }),
        );
        ok(await call(server, "load_data", { table: `loaded_${client}`, data: rows(client, 0) }));
      }
      expect(ports.size).toBe(1);

      const latencies = new Map<string, number[]>();
      const errors: string[] = [];
      let calls = 0;
      const started = performance.now();
      const end = started + DURATION_MS;
      await Promise.all(
        servers.map(async (server, client) => {
          let round = 0;
          let at = client * 3; // the clients start at different points of the mix
          while (performance.now() < end) {
            const mix = steps(client, round, csv);
            const step = mix[at % mix.length] as Step;
            at++;
            if (at % mix.length === 0) round++;
            const t0 = performance.now();
            try {
              const result = await call(server, step.tool, step.args, CALL_TIMEOUT_MS);
              if (result.isError === true) {
                errors.push(
                  `${step.label} (client ${client}): ${JSON.stringify(result.structuredContent ?? result.content)}`,
                );
              }
            } catch (error) {
              errors.push(`${step.label} (client ${client}) threw: ${String(error)}`);
            }
            const ms = performance.now() - t0;
            calls++;
            let list = latencies.get(step.label);
            if (list === undefined) {
              list = [];
              latencies.set(step.label, list);
            }
            list.push(ms);
          }
        }),
      );
      const elapsedS = (performance.now() - started) / 1000;

      for (const [label, list] of [...latencies.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const sorted = [...list].sort((a, b) => a - b);
        console.log(
          `FAULT load tool=${label} calls=${list.length} p50_ms=${percentile(sorted, 50)} p99_ms=${percentile(sorted, 99)}`,
        );
      }
      console.log(
        `FAULT load clients=${CLIENTS} duration_s=${Math.round(elapsedS)} calls=${calls} errors=${errors.length} ` +
          `calls_per_s=${(calls / elapsedS).toFixed(1)}`,
      );
      for (const error of errors.slice(0, 10)) console.log(`FAULT load error ${error}`);
      if (errors.length > 0) {
        // The state folder goes with the test's home; keep the daemon's and hyperd's logs.
        const kept = mkdtempSync(join(tmpdir(), "hyperdb-mcp-load-logs-"));
        cpSync(join(stateDir, "logs"), kept, { recursive: true });
        console.log(`FAULT load logs kept in ${kept}`);
      }
      expect(errors).toEqual([]);
      expect([...latencies.keys()].sort()).toEqual([
        "describe",
        "execute",
        "inspect_file",
        "load_data",
        "load_file",
        "query",
        "query_10k",
        "sample",
        "status",
      ]);

      // Every client still answers and its tables add up.
      for (const [client, server] of servers.entries()) {
        const result = ok(await call(server, "query", { sql: `SELECT count(*) AS n FROM own_${client}` }));
        expect(Number((result.result as { n: number }[])[0]?.n)).toBeGreaterThanOrEqual(100);
      }
      expect(daemonsOf(stateDir)).toHaveLength(1);
      expect(hyperdsUnder(stateDir)).toHaveLength(1);

      await cleanup?.();
      expect(daemonsOf(stateDir)).toEqual([]);
      expect(hyperdsUnder(stateDir)).toEqual([]);
    },
    DURATION_MS + 180_000,
  );
});
