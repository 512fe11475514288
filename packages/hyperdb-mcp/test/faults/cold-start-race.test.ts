/**
 * Cold-start dedup: eight servers started at the same instant, sharing one state folder, one
 * port range and one persistent database, must end with exactly one daemon and one hyperd, and
 * every one of them must answer a query (they all attach the persistent database at once, which
 * makes hyperd answer "object in use" to some of them; those retry). Each round has a deadline,
 * so a hang fails the round instead of the suite's timeout.
 *
 * 25 rounds in the regular suite, 100 in the full fault suite (`npm run test:faults`);
 * `HYPERDB_RACE_ROUNDS` overrides both. Prints a `FAULT cold-start-race` line.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  isAlive,
  isolatedHome,
  type ServerUnderTest,
  serverEntry,
  startServer,
} from "../integration/server/mcp-client.ts";
import { daemonsOf, freePortRange, hyperdsUnder } from "../integration/setup/processes.ts";
import { waitUntil, withDeadline } from "./fault-kit.ts";
import { FULL_FAULT_SUITE } from "./fault-suite.ts";

const CLIENTS = 8;
const ROUNDS = Number(process.env.HYPERDB_RACE_ROUNDS ?? (FULL_FAULT_SUITE ? 100 : 25));
const ROUND_DEADLINE_MS = 60_000;

const run = promisify(execFile);
let cleanup: (() => Promise<void>) | undefined;

afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

function structured(result: CallToolResult): Record<string, unknown> {
  expect(result.isError ?? false, JSON.stringify(result.structuredContent)).toBe(false);
  return result.structuredContent as Record<string, unknown>;
}

async function round(index: number): Promise<void> {
  const home = isolatedHome();
  const stateDir = join(home, "state");
  const base = await freePortRange(16);
  const env = { HYPERDB_STATE_DIR: stateDir, HYPERDB_DAEMON_BASE_PORT: String(base) };
  const servers: ServerUnderTest[] = [];
  cleanup = async () => {
    await Promise.all(servers.map((server) => server.client.close().catch(() => undefined)));
    await run(process.execPath, [serverEntry(), "daemon", "stop"], {
      env: { ...process.env, ...env },
      timeout: 20_000,
    }).catch(() => undefined);
    for (const pid of [...daemonsOf(stateDir), ...hyperdsUnder(stateDir)]) {
      if (isAlive(pid)) process.kill(pid, "SIGKILL");
    }
  };
  const roundStarted = performance.now();
  const work = withDeadline(
    (async () => {
      const started = await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          const server = await startServer({
            daemon: true,
            env,
            args: ["--persistent-db", join(home, "shared.hyper")],
          });
          servers.push(server);
          return server;
        }),
      );
      const answers = await Promise.all(
        started.map((server) =>
          server.client.callTool({ name: "query", arguments: { sql: "SELECT 1 AS one" } }),
        ),
      );
      for (const answer of answers) {
        expect(structured(answer as CallToolResult).result).toEqual([{ one: 1 }]);
      }
      const statuses = await Promise.all(
        started.map((server) => server.client.callTool({ name: "status", arguments: {} })),
      );
      const endpoints = new Set(
        statuses.map(
          (status) =>
            (structured(status as CallToolResult).engine as { hyperd_endpoint: string }).hyperd_endpoint,
        ),
      );
      expect(endpoints.size, `round ${index}: servers used several hyperds`).toBe(1);
    })(),
    ROUND_DEADLINE_MS,
    `round ${index}`,
  );
  await work.catch((error: unknown) => {
    // Say where each server was: the tail of its stderr, and who was running.
    const tails = servers.map(
      (server, at) => `server ${at} (pid ${server.pid}):\n${server.stderr().slice(-1500)}`,
    );
    const daemonLog = readFileSync(join(stateDir, "logs", "hyperdb-mcp-daemon.log"), {
      encoding: "utf8",
      flag: "a+",
    });
    throw new Error(
      `${String(error)}\ndaemons: ${daemonsOf(stateDir).join(",")}; hyperds: ${hyperdsUnder(stateDir).join(",")}\n${tails.join("\n")}\ndaemon log:\n${daemonLog.slice(-4000)}`,
    );
  });
  // A daemon that lost a bind race exits on its own; give it a moment before counting.
  expect(
    await waitUntil(() => daemonsOf(stateDir).length === 1, 5_000),
    `round ${index}: daemons ${daemonsOf(stateDir).join(",")}`,
  ).toBe(true);
  expect(hyperdsUnder(stateDir), `round ${index}: hyperds`).toHaveLength(1);
  roundTimes.push(performance.now() - roundStarted);
  await cleanup();
  cleanup = undefined;
  expect(
    await waitUntil(() => daemonsOf(stateDir).length === 0 && hyperdsUnder(stateDir).length === 0, 10_000),
  ).toBe(true);
}

/** How long each passed round took from spawn to the last status answer. */
const roundTimes: number[] = [];

afterAll(() => {
  const sorted = [...roundTimes].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  console.log(
    `FAULT cold-start-race clients=${CLIENTS} rounds=${ROUNDS} passed=${sorted.length} ` +
      `round_p50_ms=${at(0.5)} round_max_ms=${at(1)} daemons_per_round=1 hyperds_per_round=1`,
  );
});

describe(`cold start of ${CLIENTS} servers at once`, () => {
  for (let index = 1; index <= ROUNDS; index++) {
    it(
      `round ${index}: one daemon, one hyperd, ${CLIENTS} answers`,
      () => round(index),
      ROUND_DEADLINE_MS + 30_000,
    );
  }
});
