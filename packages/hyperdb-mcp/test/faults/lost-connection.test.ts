/**
 * A session whose connection to hyperd goes silent (packets to and from hyperd's port dropped,
 * no FIN, no RST), with the real server, daemon and hyperd inside a network namespace of their
 * own (see network-lab.ts). Two servers share the daemon; the fault hits the first one's calls.
 *
 * - Idle: the session stays idle past a keepalive cycle (60 s idle + 3 probes 10 s apart), then
 *   traffic returns and the next call must succeed, with the tables loaded before the fault.
 * - In flight: a long query is running when the port goes silent; the call must end with
 *   CONNECTION_LOST within 90 s (hyperd's 5 s alive messages stop, the 30 s silence limit ends
 *   it), `status` must answer meanwhile, and after traffic returns the next call answers in 10 s.
 * - Both: hyperd is never restarted (the daemon's watchdog checks it over its Unix socket, so the
 *   TCP fault does not look like a dead hyperd), the other session keeps its tables, and the
 *   namespace and its rules are gone afterwards.
 *
 * Each test prints a `FAULT` line with its figures.
 */
import { execFile } from "node:child_process";
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
import { daemonsOf, hyperdsUnder } from "../integration/setup/processes.ts";
import { call, count, ok, timed } from "./fault-kit.ts";
import { leftoverLabs, NetworkLab, networkLabUnavailable } from "./network-lab.ts";

const run = promisify(execFile);
const unavailable = networkLabUnavailable();
if (unavailable !== null) {
  console.warn(`SKIPPED lost-connection faults: ${unavailable}`);
}

/** Past one keepalive cycle: 60 s idle, then 3 unanswered probes 10 s apart. */
const IDLE_PAST_KEEPALIVE_MS = 95_000;
/** Roughly 10 s of work for hyperd, with no row before the end. */
const LONG_QUERY =
  "SELECT count(DISTINCT md5(a::text || b::text)) AS n FROM generate_series(1, 20000) a, generate_series(1, 700) b";

interface Lab {
  readonly lab: NetworkLab;
  readonly stateDir: string;
  readonly first: ServerUnderTest;
  readonly second: ServerUnderTest;
  readonly hyperdPort: number;
  readonly hyperdPid: number;
  /** Stops the servers, the daemon and hyperd, and deletes the namespace. Idempotent. */
  readonly cleanup: () => Promise<void>;
}

/** Cleanups of labs still standing: the tests run concurrently and each removes its own; this is for failures. */
const standing = new Set<() => Promise<void>>();

afterAll(async () => {
  await Promise.all([...standing].map((cleanup) => cleanup()));
});

/** Two servers sharing one daemon inside a fresh namespace, each with a table loaded. */
async function startLab(): Promise<Lab> {
  const lab = NetworkLab.create();
  const home = isolatedHome();
  const stateDir = join(home, ".hyperdb-ts");
  const servers: ServerUnderTest[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> => {
    standing.delete(cleanup);
    cleaning ??= stop();
    return cleaning;
  };
  standing.add(cleanup);
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.client.close().catch(() => undefined)));
    await run("ip", ["netns", "exec", lab.name, process.execPath, serverEntry(), "daemon", "stop"], {
      env: { ...process.env, HOME: home, HYPERDB_STATE_DIR: stateDir },
      timeout: 20_000,
    }).catch(() => undefined);
    for (const pid of [...daemonsOf(stateDir), ...hyperdsUnder(stateDir)]) {
      if (isAlive(pid)) process.kill(pid, "SIGKILL");
    }
    lab.destroy();
  };
  for (let i = 0; i < 2; i++) {
    servers.push(await startServer({ daemon: true, home, commandPrefix: lab.commandPrefix }));
  }
  const [first, second] = servers as [ServerUnderTest, ServerUnderTest];
  ok(
    await call(first, "load_data", {
      table: "before_fault",
      data: JSON.stringify([{ id: 1 }, { id: 2 }, { id: 3 }]),
    }),
  );
  ok(await call(first, "execute", { sql: ["CREATE TABLE kept AS SELECT 7 AS id"], database: "persistent" }));
  ok(
    await call(second, "load_data", { table: "other_session", data: JSON.stringify([{ id: 1 }, { id: 2 }]) }),
  );
  const engine = ok(await call(first, "status", {})).engine as { hyperd_endpoint: string };
  const hyperdPort = Number(engine.hyperd_endpoint.split(":").pop());
  expect(hyperdPort).toBeGreaterThan(0);
  const hyperds = hyperdsUnder(stateDir);
  expect(hyperds).toHaveLength(1);
  return { lab, stateDir, first, second, hyperdPort, hyperdPid: hyperds[0] as number, cleanup };
}

/** What must hold once traffic is back: tables intact everywhere, hyperd the same process. */
async function expectNothingLost(lab: Lab): Promise<void> {
  expect(await count(lab.first, "before_fault")).toBe(3);
  expect(await count(lab.first, "kept", "persistent")).toBe(1);
  expect(await count(lab.second, "other_session")).toBe(2);
  expect(hyperdsUnder(lab.stateDir)).toEqual([lab.hyperdPid]);
  expect(daemonsOf(lab.stateDir)).toHaveLength(1);
}

async function expectLabGone(lab: Lab): Promise<void> {
  await lab.cleanup();
  expect(leftoverLabs()).not.toContain(lab.lab.name);
  expect(hyperdsUnder(lab.stateDir)).toEqual([]);
}

describe.skipIf(unavailable !== null).concurrent("a session whose connection to hyperd goes silent", () => {
  it("idle: after a keepalive cycle of silence, the next call succeeds with nothing lost", async () => {
    const lab = await startLab();
    lab.lab.dropPort(lab.hyperdPort);
    await new Promise((resolve) => setTimeout(resolve, IDLE_PAST_KEEPALIVE_MS / 2));
    const status = await timed(call(lab.first, "status", {})).catch((error: unknown) => {
      throw new Error(`${String(error)}\nserver stderr:\n${lab.first.stderr().slice(-3000)}`);
    });
    ok(status.value);
    expect(status.ms).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, IDLE_PAST_KEEPALIVE_MS / 2));
    lab.lab.restore();
    expect(lab.lab.filters()).toBe("");
    const next = await timed(call(lab.first, "query", { sql: "SELECT count(*) AS n FROM before_fault" }));
    const failedCalls = next.value.isError === true ? 1 : 0;
    console.log(
      `FAULT idle-silence idle_ms=${IDLE_PAST_KEEPALIVE_MS} status_during_fault_ms=${status.ms} ` +
        `first_call_after_ms=${next.ms} failed_calls=${failedCalls} ` +
        `hyperd_restarts=${hyperdsUnder(lab.stateDir).includes(lab.hyperdPid) ? 0 : 1}`,
    );
    expect(ok(next.value).result).toEqual([{ n: 3 }]);
    expect(next.ms).toBeLessThan(10_000);
    await expectNothingLost(lab);
    await expectLabGone(lab);
  }, 240_000);

  it("in flight: the call ends with CONNECTION_LOST within 90 s, and the next call after the fault answers", async () => {
    const lab = await startLab();
    const inFlight = timed(call(lab.first, "query", { sql: LONG_QUERY }));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    lab.lab.dropPort(lab.hyperdPort);
    const droppedAt = performance.now();
    const status = await timed(call(lab.first, "status", {}));
    ok(status.value);
    expect(status.ms).toBeLessThan(1000);
    const ended = await inFlight;
    const detectionMs = Math.round(performance.now() - droppedAt);
    expect(ended.value.isError, JSON.stringify(ended.value.structuredContent)).toBe(true);
    expect((ended.value.structuredContent as { error: { code: string } }).error.code).toBe("CONNECTION_LOST");
    expect(detectionMs).toBeLessThan(90_000);
    lab.lab.restore();
    expect(lab.lab.filters()).toBe("");
    const next = await timed(call(lab.first, "query", { sql: "SELECT count(*) AS n FROM before_fault" }));
    console.log(
      `FAULT in-flight-silence detection_ms=${detectionMs} status_during_fault_ms=${status.ms} ` +
        `first_call_after_ms=${next.ms} failed_calls_after=${next.value.isError === true ? 1 : 0} ` +
        `hyperd_restarts=${hyperdsUnder(lab.stateDir).includes(lab.hyperdPid) ? 0 : 1}`,
    );
    expect(ok(next.value).result).toEqual([{ n: 3 }]);
    expect(next.ms).toBeLessThan(10_000);
    await expectNothingLost(lab);
    await expectLabGone(lab);
  }, 240_000);
});
