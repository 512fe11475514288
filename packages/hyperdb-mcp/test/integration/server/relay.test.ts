/**
 * The stdio relay: a client's `hyperdb-mcp` that finds a running daemon of its version hands
 * the session to the daemon (which hosts it) and only copies bytes; without a usable daemon it
 * serves the client itself; when the hosting daemon dies mid-session it takes the session over.
 * Real processes throughout: clients spawn the built server over stdio, a real daemon and hyperd.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callTool, heavyQuery, sleep, structured } from "../session/session-helpers.ts";
import { daemonsOf, freePortRange, hyperdsUnder } from "../setup/processes.ts";
import {
  isAlive,
  isolatedHome,
  PACKAGE_DIR,
  type ServerUnderTest,
  serverEntry,
  startServer,
  waitForExit,
} from "./mcp-client.ts";

const run = promisify(execFile);

interface SessionStatus {
  engine: { mode: string; session_host: "process" | "daemon"; server_pid: number; started: boolean };
  ephemeral_path: string | null;
}

async function sessionStatus(server: ServerUnderTest): Promise<SessionStatus> {
  return structured<SessionStatus>(await callTool(server.client, "status"));
}

async function queryOne(server: ServerUnderTest, sql: string): Promise<Record<string, unknown>[]> {
  return structured<{ result: Record<string, unknown>[] }>(await callTool(server.client, "query", { sql }))
    .result;
}

/** Sends one hello to the session socket and returns the daemon's reply line, parsed. */
function helloReply(socketPath: string, hello: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const newline = text.indexOf("\n");
      if (newline >= 0) {
        socket.destroy();
        resolve(JSON.parse(text.slice(0, newline)) as Record<string, unknown>);
      }
    });
    socket.on("error", reject);
    socket.write(`${JSON.stringify(hello)}\n`);
  });
}

describe("stdio relay to the daemon", () => {
  let home: string;
  let stateDir: string;
  const stateDirs: string[] = [];
  let env: Record<string, string>;
  const servers: ServerUnderTest[] = [];

  async function client(
    extraEnv: Record<string, string> = {},
    extraArgs: readonly string[] = [],
  ): Promise<ServerUnderTest> {
    const server = await startServer({
      daemon: true,
      home,
      env: { ...env, ...extraEnv },
      args: ["--ephemeral-only", ...extraArgs],
    });
    servers.push(server);
    return server;
  }

  function daemonFile(): { pid: number; session_socket?: string } {
    return JSON.parse(readFileSync(join(stateDir, "daemon.json"), "utf8")) as {
      pid: number;
      session_socket?: string;
    };
  }

  beforeAll(async () => {
    home = isolatedHome();
    stateDir = join(home, ".hyperdb-ts");
    stateDirs.push(stateDir);
    env = { HYPERDB_STATE_DIR: stateDir, HYPERDB_DAEMON_BASE_PORT: String(await freePortRange(16)) };
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.client.close().catch(() => undefined)));
    for (const dir of stateDirs) {
      await run(process.execPath, [serverEntry(), "daemon", "stop"], {
        env: { ...process.env, HOME: home, ...env, HYPERDB_STATE_DIR: dir },
      }).catch(() => undefined);
      for (const pid of [...daemonsOf(dir), ...hyperdsUnder(dir)]) {
        if (isAlive(pid)) process.kill(pid, "SIGKILL");
      }
    }
  });

  it("serves the first client in its own process, and hands later sessions to the daemon it started", async () => {
    const first = await client();
    expect(await queryOne(first, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    const firstStatus = await sessionStatus(first);
    expect(firstStatus.engine.session_host).toBe("process");
    expect(firstStatus.engine.server_pid).toBe(first.pid);
    const daemon = daemonFile();
    expect(daemon.session_socket).toBeDefined();
    // The daemon listens on its session socket shortly after publishing it.
    const listening = Date.now() + 10_000;
    while (!existsSync(daemon.session_socket as string) && Date.now() < listening) await sleep(20);
    expect(existsSync(daemon.session_socket as string)).toBe(true);

    const second = await client();
    const secondStatus = await sessionStatus(second);
    expect(secondStatus.engine).toMatchObject({
      mode: "daemon",
      session_host: "daemon",
      server_pid: daemon.pid,
    });
    // The hosted engine was started ahead: the local database exists before any SQL call.
    expect(secondStatus.engine.started).toBe(true);
    expect(await queryOne(second, "SELECT 2 AS two")).toEqual([{ two: 2 }]);

    // Sessions stay apart: a table of one is not visible in the other.
    structured(await callTool(second.client, "load_data", { table: "relayed", data: "a\n1\n2\n" }));
    expect(await queryOne(second, "SELECT SUM(a) AS s FROM relayed")).toEqual([{ s: 2 + 1 }]);
    const third = await client();
    const missing = await callTool(third.client, "query", { sql: "SELECT * FROM relayed" });
    expect(missing.isError).toBe(true);
    expect((missing.structuredContent as { error: { code: string } }).error.code).toBe("SQL_ERROR");

    // Closing the client ends the hosted session: the relay exits, the local database is deleted.
    const localPath = secondStatus.ephemeral_path;
    expect(localPath).not.toBeNull();
    expect(existsSync(localPath as string)).toBe(true);
    await second.client.close();
    expect(await waitForExit(second.pid, 10_000)).toBe(true);
    const deadline = Date.now() + 10_000;
    while (existsSync(localPath as string) && Date.now() < deadline) await sleep(50);
    expect(existsSync(localPath as string)).toBe(false);
    expect(isAlive(daemon.pid)).toBe(true);
  });

  it("builds the next session's server ahead only for the configuration of the session before", async () => {
    const daemonLog = join(stateDir, "logs", "hyperdb-mcp-daemon.log");
    const builtAhead = (): number =>
      (readFileSync(daemonLog, "utf8").match(/session opened \(its server was built ahead\)/g) ?? []).length;
    // The daemon starts the next spare when a session ends or at the latest half a second after
    // it began; the relay can exit before the daemon has seen the end.
    const closeClient = async (server: ServerUnderTest): Promise<void> => {
      await server.client.close();
      expect(await waitForExit(server.pid, 10_000)).toBe(true);
      await sleep(1_000);
    };
    // Two writable sessions (the first one of a run may serve itself while the daemon starts):
    // the spare after the relayed one is built for the writable configuration.
    for (let k = 0; k < 2; k++) {
      const writable = await client();
      structured(await callTool(writable.client, "execute", { sql: ["CREATE TABLE w (a INT)"] }));
      await closeClient(writable);
    }
    const before = builtAhead();

    // Same engine (no persistent database) but read-only: the server built for the writable
    // configuration before must not serve it.
    const readOnly = await client({}, ["--read-only"]);
    const refused = await callTool(readOnly.client, "execute", { sql: ["CREATE TABLE r (a INT)"] });
    expect(refused.isError).toBe(true);
    expect((refused.structuredContent as { error: { code: string } }).error.code).toBe("READ_ONLY_VIOLATION");
    expect(builtAhead()).toBe(before);
    await closeClient(readOnly);

    // The server built for the read-only session before serves the next read-only one.
    const readOnlyAgain = await client({}, ["--read-only"]);
    expect(await queryOne(readOnlyAgain, "SELECT 3 AS three")).toEqual([{ three: 3 }]);
    const refusedAgain = await callTool(readOnlyAgain.client, "execute", { sql: ["CREATE TABLE r (a INT)"] });
    expect((refusedAgain.structuredContent as { error: { code: string } }).error.code).toBe(
      "READ_ONLY_VIOLATION",
    );
    expect((await sessionStatus(readOnlyAgain)).engine.session_host).toBe("daemon");
    expect(builtAhead()).toBe(before + 1);
    await closeClient(readOnlyAgain);
  });

  it("refuses a hello of another version or of a private-hyperd server", async () => {
    const socketPath = daemonFile().session_socket as string;
    const hello = (argv: string[], version: string) => ({
      relay: 1,
      version,
      argv,
      env: { HOME: home, ...env },
      cwd: home,
    });
    const ownVersion = (
      JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")) as { version: string }
    ).version;
    expect(await helloReply(socketPath, hello([], "0.0.0-other"))).toMatchObject({
      ok: false,
      reason: expect.stringContaining("0.0.0-other"),
    });
    expect(await helloReply(socketPath, hello(["--no-daemon"], ownVersion))).toMatchObject({ ok: false });
    expect(await helloReply(socketPath, hello(["--ephemeral-only"], ownVersion))).toMatchObject({ ok: true });
  });

  it("serves the client itself with HYPERDB_RELAY=0 or when the session socket does not answer", async () => {
    const optedOut = await client({ HYPERDB_RELAY: "0" });
    expect((await sessionStatus(optedOut)).engine.session_host).toBe("process");

    // A daemon.json whose session socket is gone (e.g. a daemon that cannot host): the client
    // must not wait on it.
    const stale = join(home, "stale-state");
    stateDirs.push(stale);
    mkdirSync(stale, { recursive: true });
    const original = JSON.parse(readFileSync(join(stateDir, "daemon.json"), "utf8")) as Record<
      string,
      unknown
    >;
    writeFileSync(
      join(stale, "daemon.json"),
      JSON.stringify({ ...original, session_socket: join(stale, "no-such.sock") }),
    );
    const started = performance.now();
    const alone = await startServer({
      daemon: true,
      home,
      env: { ...env, HYPERDB_STATE_DIR: stale },
      args: ["--ephemeral-only"],
    });
    servers.push(alone);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((await sessionStatus(alone)).engine.session_host).toBe("process");
  });

  it("takes the session over when the hosting daemon dies: calls in flight get an error, later calls work", async () => {
    const relayed = await client();
    expect((await sessionStatus(relayed)).engine.session_host).toBe("daemon");
    const daemon = daemonFile();

    const inFlight = callTool(relayed.client, "query", { sql: heavyQuery(200_000) }).then(
      (result) => ({ kind: "result" as const, result }),
      (error: unknown) => ({ kind: "error" as const, message: String(error) }),
    );
    await sleep(300);
    process.kill(daemon.pid, "SIGKILL");
    const outcome = await inFlight;
    expect(outcome.kind, JSON.stringify(outcome)).toBe("error");
    if (outcome.kind === "error") expect(outcome.message).toContain("daemon that ran this call stopped");

    // The relay now serves the session itself (with a new daemon behind it).
    expect(await queryOne(relayed, "SELECT 3 AS three")).toEqual([{ three: 3 }]);
    const after = await sessionStatus(relayed);
    expect(after.engine.session_host).toBe("process");
    expect(after.engine.server_pid).toBe(relayed.pid);
    const result: CallToolResult = await callTool(relayed.client, "load_data", {
      table: "after",
      data: "b\n5\n",
    });
    expect(result.isError ?? false).toBe(false);
    expect(await queryOne(relayed, "SELECT b FROM after")).toEqual([{ b: 5 }]);
  });
});
