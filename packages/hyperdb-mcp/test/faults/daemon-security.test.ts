/**
 * Daemon security, with the real server, daemon and hyperd:
 *
 * - The daemon's health port listens on loopback only (its sockets in /proc/net/tcp and tcp6
 *   carry a loopback local address, and a connection to a non-loopback address of this machine
 *   is refused); the same is checked, and reported, for hyperd's published TCP port.
 * - The state directory is 0700 (also when it existed before with 0755), `daemon.json` 0600,
 *   the logs directory 0700 and the daemon log 0600.
 * - A foreign process answering on the base port (silent, garbage, hanging up at once, reset,
 *   a flood without a line end, the upstream's PONG, a PONG with another identity token) is never
 *   adopted: the server ends up with its own daemon on another port of the range, answers a
 *   query, never writes the foreign port into `daemon.json`, and the foreign process keeps
 *   running and receives nothing but PING (no STOP), also from `daemon stop`.
 * - A daemon of another state directory on the same port range is never used: each state
 *   directory gets its own daemon and hyperd, and stopping one leaves the other serving.
 *
 * Every server start and call has a deadline, so a hang fails the test instead of stalling it.
 * Prints `FAULT daemon-security …` lines: findings per check group and the count of checks.
 */
import { execFile, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DAEMON_LOG_FILE_NAME } from "../../src/daemon/daemon-log.ts";
import { type Closable, startForeignServer } from "../integration/daemon/tcp-fixtures.ts";
import {
  isAlive,
  isolatedHome,
  type ServerUnderTest,
  serverEntry,
  startServer,
} from "../integration/server/mcp-client.ts";
import { daemonsOf, freePortRange, hyperdsUnder } from "../integration/setup/processes.ts";
import { call, ok, withDeadline } from "./fault-kit.ts";

const run = promisify(execFile);
const SPAN = 16;
/** Deadline of one server start plus its first calls. */
const STEP_DEADLINE_MS = 45_000;

const cleanups: (() => Promise<void>)[] = [];
let checks = 0;
let passed = 0;

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup();
  }
});

afterAll(() => {
  console.log(`FAULT daemon-security checks=${checks} passed=${passed}`);
});

/** One counted check: fails the test (with `detail`) when `condition` is false. */
function check(name: string, condition: boolean, detail = ""): void {
  checks++;
  expect(condition, `${name}${detail === "" ? "" : `: ${detail}`}`).toBe(true);
  passed++;
}

/** An isolated home with its own state folder and port range; cleaned up after the test. */
interface Setup {
  readonly home: string;
  readonly stateDir: string;
  readonly env: Record<string, string>;
  readonly servers: ServerUnderTest[];
}

function setup(base: number): Setup {
  const home = isolatedHome();
  const stateDir = join(home, ".hyperdb-ts");
  const env = { HOME: home, HYPERDB_STATE_DIR: stateDir, HYPERDB_DAEMON_BASE_PORT: String(base) };
  const servers: ServerUnderTest[] = [];
  cleanups.push(async () => {
    await Promise.all(servers.map((server) => server.client.close().catch(() => undefined)));
    await daemonStop(env).catch(() => undefined);
    for (const pid of [...daemonsOf(stateDir), ...hyperdsUnder(stateDir), ...servers.map((s) => s.pid)]) {
      if (isAlive(pid)) process.kill(pid, "SIGKILL");
    }
  });
  return { home, stateDir, env, servers };
}

function daemonStop(env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [serverEntry(), "daemon", "stop"], {
    env: { ...process.env, ...env },
    timeout: 20_000,
  });
}

interface Engine {
  readonly mode: string;
  readonly hyperd_endpoint: string;
  readonly daemon_health_port: number;
}

/** Starts a daemon-mode server of `s`, checks it answers a query, and returns its engine. */
async function startAndQuery(s: Setup): Promise<{ server: ServerUnderTest; engine: Engine; ms: number }> {
  const started = performance.now();
  const server = await withDeadline(
    startServer({ daemon: true, home: s.home, env: s.env }),
    STEP_DEADLINE_MS,
    "server start",
  );
  s.servers.push(server);
  const answer = ok(
    await withDeadline(call(server, "query", { sql: "SELECT 1 AS one" }), STEP_DEADLINE_MS, "query"),
  );
  expect(answer.result).toEqual([{ one: 1 }]);
  const ms = Math.round(performance.now() - started);
  const engine = ok(await withDeadline(call(server, "status", {}), STEP_DEADLINE_MS, "status"))
    .engine as Engine;
  return { server, engine, ms };
}

interface DaemonFile {
  readonly pid: number;
  readonly health_port: number;
  readonly hyperd_endpoint: string;
  readonly identity: { readonly token: string; readonly state_dir: string };
}

function readDaemonJson(stateDir: string): DaemonFile {
  return JSON.parse(readFileSync(join(stateDir, "daemon.json"), "utf8")) as DaemonFile;
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

function octal(value: number): string {
  return `0${value.toString(8)}`;
}

/** A local address from /proc/net/tcp{,6} hex (little-endian 32-bit words) as text. */
function procAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) =>
    (word.match(/../g) ?? []).reverse().map((b) => Number.parseInt(b, 16)),
  );
  if (bytes.length === 4) return bytes.join(".");
  const mappedV4 = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mappedV4) return `::ffff:${bytes.slice(12).join(".")}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  const text = groups.join(":");
  return text === "0:0:0:0:0:0:0:0" ? "::" : text === "0:0:0:0:0:0:0:1" ? "::1" : text;
}

function isLoopbackAddress(address: string): boolean {
  return address.startsWith("127.") || address.startsWith("::ffff:127.") || address === "::1";
}

/** Local addresses of the listening (state 0A) TCP sockets on `port`. */
function listeningAddresses(port: number): string[] {
  const addresses: string[] = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [address, portHex] = (fields[1] ?? "").split(":");
      if (fields[3] === "0A" && portHex !== undefined && Number.parseInt(portHex, 16) === port) {
        addresses.push(procAddress(address ?? ""));
      }
    }
  }
  return addresses;
}

/** This machine's non-loopback addresses (link-local IPv6 with its zone). */
function nonLoopbackAddresses(): string[] {
  const addresses: string[] = [];
  for (const [name, entries] of Object.entries(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.internal) continue;
      addresses.push(
        entry.family === "IPv6" && entry.address.startsWith("fe80:")
          ? `${entry.address}%${name}`
          : entry.address,
      );
    }
  }
  return addresses;
}

/** What connecting to `host:port` gives: `connected`, `timeout`, or the error code. */
function tryConnect(host: string, port: number, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done("timeout"), timeoutMs);
    socket.once("connect", () => done("connected"));
    socket.once("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

/** Checks that `port` listens on loopback only and refuses every non-loopback address. */
async function checkLoopbackOnly(what: string, port: number): Promise<void> {
  const listening = listeningAddresses(port);
  check(`${what} port ${port} is listening`, listening.length > 0, "no LISTEN socket in /proc/net/tcp{,6}");
  check(`${what} listens on loopback only`, listening.every(isLoopbackAddress), listening.join(","));
  check(
    `${what} answers on loopback`,
    (await tryConnect("127.0.0.1", port)) === "connected" || (await tryConnect("::1", port)) === "connected",
  );
  const outside: string[] = [];
  for (const host of nonLoopbackAddresses()) {
    const outcome = await tryConnect(host, port);
    outside.push(`${host}=${outcome}`);
    check(`${what} refuses ${host}`, outcome !== "connected", outcome);
  }
  console.log(
    `FAULT daemon-security ${what} port=${port} listen=${listening.join(",")} ` +
      `non_loopback=${outside.length === 0 ? "none-present" : outside.join(",")}`,
  );
}

/** A foreign listener on `port`: what it got, whether it still listens, and how to close it. */
interface Foreign {
  readonly kind: string;
  readonly lines: string[];
  connections: number;
  readonly listening: () => boolean;
  readonly close: () => Promise<void>;
}

/** A raw listener that ends every connection at once (`reset`: with an RST; `flood`: after 1 MiB without a line end). */
async function rawForeign(kind: "close" | "reset" | "flood", port: number): Promise<Foreign> {
  const sockets = new Set<Socket>();
  const foreign: Foreign = {
    kind,
    lines: [],
    connections: 0,
    listening: () => server.listening,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((socket) => {
    foreign.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    socket.on("data", (chunk: Buffer) =>
      foreign.lines.push(
        ...chunk
          .toString("utf8")
          .split("\n")
          .filter((l) => l !== ""),
      ),
    );
    if (kind === "close") socket.end();
    else if (kind === "reset") socket.resetAndDestroy();
    else socket.write(Buffer.alloc(1024 * 1024, "x"));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => resolve());
  });
  return foreign;
}

/** A line-speaking foreign listener (tcp-fixtures): `reply` answers each line (`undefined` = silence). */
async function lineForeign(
  kind: string,
  port: number,
  reply: (line: string) => string | undefined,
): Promise<Foreign> {
  const lines: string[] = [];
  let open = true;
  const closable: Closable = await startForeignServer((line) => {
    lines.push(line.trim());
    return reply(line.trim());
  }, port);
  return {
    kind,
    lines,
    connections: Number.NaN,
    listening: () => open,
    close: async () => {
      open = false;
      await closable.close();
    },
  };
}

const FOREIGN_KINDS: Record<string, (port: number) => Promise<Foreign>> = {
  silent: (port) => lineForeign("silent", port, () => undefined),
  garbage: (port) => lineForeign("garbage", port, () => "\u0000\u00ff HTTP/1.1 400 Bad Request ☃ {not json"),
  close: (port) => rawForeign("close", port),
  reset: (port) => rawForeign("reset", port),
  flood: (port) => rawForeign("flood", port),
  upstream: (port) =>
    lineForeign("upstream", port, (line) => (line === "PING" ? "PONG hyperdb-mcp 0.7.3" : "OK")),
  "other-token": (port) =>
    lineForeign("other-token", port, (line) =>
      line === "PING"
        ? "PONG hyperdb-ts-mcp-evil 99.0.0"
        : line === "STATUS"
          ? JSON.stringify({
              pid: 1,
              hyperd_endpoint: "127.0.0.1:1",
              health_port: port,
              started_at: "2026-01-01T00:00:00Z",
              version: "99.0.0",
              identity: { token: "hyperdb-ts-mcp", state_dir: "/" },
            })
          : line === "STOP"
            ? "STOPPING"
            : "OK",
    ),
};

/** An unprivileged uid for the impostors, when this test runs as root (else they are skipped). */
const OTHER_UID = 65_534;
const canRunAsOtherUser = process.getuid?.() === 0;

/**
 * An impostor run by another user (any local user can listen on a loopback port) that copies our
 * PING reply exactly. `starting`: never answers STATUS (looks like our daemon starting up);
 * `forged`: answers STATUS with a valid description naming the victim's state folder (its path is
 * easy to guess) and a hyperd endpoint of its choosing. It prints every line it receives.
 */
async function otherUserImpostor(
  kind: "starting" | "forged",
  port: number,
  victimStateDir: string,
): Promise<Foreign> {
  const script = `
    const status = JSON.stringify({ pid: process.pid, hyperd_endpoint: "127.0.0.1:1", health_port: ${port},
      started_at: "2026-01-01T00:00:00Z", version: "999.0.0",
      identity: { token: "hyperdb-ts-mcp", state_dir: process.env.VICTIM_STATE_DIR } });
    require("node:net").createServer((socket) => {
      let buffered = "";
      socket.on("error", () => {});
      socket.on("data", (chunk) => {
        buffered += chunk;
        for (let at = buffered.indexOf("\\n"); at >= 0; at = buffered.indexOf("\\n")) {
          const line = buffered.slice(0, at).trim();
          buffered = buffered.slice(at + 1);
          process.stdout.write(line + "\\n");
          if (line === "PING") socket.write("PONG hyperdb-ts-mcp 999.0.0\\n");
          else if (${kind === "forged"}) socket.write((line === "STATUS" ? status : line === "STOP" ? "STOPPING" : "OK") + "\\n");
        }
      });
    }).listen({ port: ${port}, host: "127.0.0.1", exclusive: true }, () => process.stdout.write("LISTENING\\n"));`;
  const child = spawn(process.execPath, ["-e", script], {
    uid: OTHER_UID,
    gid: OTHER_UID,
    cwd: "/",
    env: { PATH: process.env.PATH ?? "", VICTIM_STATE_DIR: victimStateDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let ready: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => {
    ready = resolve;
  });
  let buffered = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    buffered += chunk;
    for (let at = buffered.indexOf("\n"); at >= 0; at = buffered.indexOf("\n")) {
      const line = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      if (line === "LISTENING") ready();
      else lines.push(line);
    }
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await withDeadline(
    Promise.race([listening, exited.then(() => Promise.reject(new Error(`impostor exited: ${stderr}`)))]),
    10_000,
    "impostor start",
  );
  return {
    kind: `impostor-${kind}`,
    lines,
    connections: Number.NaN,
    listening: () => child.exitCode === null && child.signalCode === null,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * A server started with a foreign process on the base port: its own daemon on another port of the
 * range, a query answered, the foreign port never in daemon.json, and the foreign process still
 * running, having received nothing but PING (no STOP, also not from `daemon stop`).
 */
async function expectNotAdopted(kind: string, foreign: Foreign, base: number, s: Setup): Promise<void> {
  const { engine, ms } = await startAndQuery(s);
  check(`${kind}: engine is a daemon`, engine.mode === "daemon", engine.mode);
  check(
    `${kind}: own daemon on another port of the range`,
    engine.daemon_health_port > base && engine.daemon_health_port < base + SPAN,
    String(engine.daemon_health_port),
  );
  const info = readDaemonJson(s.stateDir);
  check(
    `${kind}: daemon.json never names the foreign port`,
    info.health_port !== base && info.health_port === engine.daemon_health_port,
    String(info.health_port),
  );
  check(`${kind}: daemon.json names this state folder`, info.identity.state_dir === s.stateDir);
  check(`${kind}: exactly one daemon`, daemonsOf(s.stateDir).length === 1);
  check(`${kind}: exactly one hyperd`, hyperdsUnder(s.stateDir).length === 1);
  // A second server of the same state folder finds the same daemon, not the foreign port.
  const second = await startAndQuery(s);
  check(
    `${kind}: a second server shares the daemon`,
    second.engine.daemon_health_port === engine.daemon_health_port,
  );
  check(`${kind}: still one daemon`, daemonsOf(s.stateDir).length === 1);

  // `daemon stop` stops ours, not the foreign one.
  await Promise.all(s.servers.map((server) => server.client.close().catch(() => undefined)));
  const stopped = await daemonStop(s.env);
  check(`${kind}: daemon stop stops our daemon`, stopped.stdout.includes("STOPPING"), stopped.stdout);
  check(`${kind}: our daemon is gone`, daemonsOf(s.stateDir).length === 0);

  // Still accepting connections (the reset kind may reset one before the client sees it open).
  const reconnect = await tryConnect("127.0.0.1", base);
  check(
    `${kind}: the foreign process still listens`,
    foreign.listening() && (reconnect === "connected" || reconnect === "ECONNRESET"),
    reconnect,
  );
  check(
    `${kind}: the foreign process received nothing but PING`,
    foreign.lines.every((line) => line === "PING"),
    JSON.stringify(foreign.lines.slice(0, 10)),
  );
  check(`${kind}: the foreign process never received STOP`, !foreign.lines.includes("STOP"));
  console.log(
    `FAULT daemon-security foreign=${kind} adopted=no own_port_offset=${engine.daemon_health_port - base} ` +
      `first_answer_ms=${ms} foreign_lines=${foreign.lines.length} stop_sent=no`,
  );
}

describe("daemon security", () => {
  it("the health port and hyperd listen on loopback only; state folder 0700, daemon.json 0600", async () => {
    const s = setup(await freePortRange(SPAN));
    const { engine } = await startAndQuery(s);
    check("engine is the daemon", engine.mode === "daemon", engine.mode);
    const info = readDaemonJson(s.stateDir);
    check("daemon.json names the daemon's health port", info.health_port === engine.daemon_health_port);
    check(
      "daemon.json names this state folder",
      info.identity.state_dir === s.stateDir,
      info.identity.state_dir,
    );
    await checkLoopbackOnly("health", info.health_port);
    check(
      "hyperd endpoint is a loopback address",
      /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost):\d+$/.test(info.hyperd_endpoint),
      info.hyperd_endpoint,
    );
    await checkLoopbackOnly("hyperd", Number(info.hyperd_endpoint.split(":").pop()));

    const modes: string[] = [];
    const expectMode = (label: string, path: string, wanted: number): void => {
      const actual = mode(path);
      modes.push(`${label}=${octal(actual)}`);
      check(`${label} mode is ${octal(wanted)}`, actual === wanted, `${path} is ${octal(actual)}`);
    };
    expectMode("state_dir", s.stateDir, 0o700);
    expectMode("daemon.json", join(s.stateDir, "daemon.json"), 0o600);
    const logs = join(s.stateDir, "logs");
    if (existsSync(logs)) {
      expectMode("logs_dir", logs, 0o700);
      const daemonLog = join(logs, DAEMON_LOG_FILE_NAME);
      if (existsSync(daemonLog)) expectMode("daemon_log", daemonLog, 0o600);
      // hyperd's own log files: reported only (the 0700 folder already keeps others out).
      for (const entry of readdirSync(logs)) {
        if (entry !== DAEMON_LOG_FILE_NAME) modes.push(`logs/${entry}=${octal(mode(join(logs, entry)))}`);
      }
    }
    check(
      "no other entry of the state folder is group/other accessible",
      readdirSync(s.stateDir).every(
        (entry) => (mode(join(s.stateDir, entry)) & 0o077) === 0 || entry === "logs",
      ),
    );
    console.log(`FAULT daemon-security modes ${modes.join(" ")}`);
  }, 120_000);

  it.each(Object.keys(FOREIGN_KINDS))(
    "a foreign process (%s) on the base port is never adopted nor stopped",
    async (kind) => {
      const base = await freePortRange(SPAN);
      const foreign = await (FOREIGN_KINDS[kind] as (port: number) => Promise<Foreign>)(base);
      cleanups.push(() => foreign.close());
      await expectNotAdopted(kind, foreign, base, setup(base));
    },
    120_000,
  );

  it.skipIf(!canRunAsOtherUser).each(["starting", "forged"] as const)(
    "an impostor of another user copying our PING reply (%s) is never adopted nor stopped",
    async (kind) => {
      const base = await freePortRange(SPAN);
      const s = setup(base);
      const foreign = await otherUserImpostor(kind, base, s.stateDir);
      cleanups.push(() => foreign.close());
      await expectNotAdopted(`impostor-${kind}`, foreign, base, s);
    },
    120_000,
  );

  it("a daemon of another state folder on the same ports is never used", async () => {
    const base = await freePortRange(SPAN);
    const a = setup(base);
    const b = setup(base);
    // B's state folder exists already, too open: it must end up 0700.
    mkdirSync(b.stateDir, { recursive: true });
    chmodSync(b.stateDir, 0o755);

    const first = await startAndQuery(a);
    check(
      "A's daemon is on the base port",
      first.engine.daemon_health_port === base,
      String(first.engine.daemon_health_port),
    );
    const second = await startAndQuery(b);
    check("B does not use A's daemon", second.engine.daemon_health_port !== first.engine.daemon_health_port);
    check(
      "B's daemon is in the range",
      second.engine.daemon_health_port > base && second.engine.daemon_health_port < base + SPAN,
    );
    check("B's hyperd is not A's", second.engine.hyperd_endpoint !== first.engine.hyperd_endpoint);
    const infoA = readDaemonJson(a.stateDir);
    const infoB = readDaemonJson(b.stateDir);
    check(
      "A's daemon.json is A's",
      infoA.health_port === first.engine.daemon_health_port && infoA.identity.state_dir === a.stateDir,
    );
    check(
      "B's daemon.json is B's",
      infoB.health_port === second.engine.daemon_health_port && infoB.identity.state_dir === b.stateDir,
    );
    check("B's state folder was tightened to 0700", mode(b.stateDir) === 0o700, octal(mode(b.stateDir)));
    check("one daemon for A", daemonsOf(a.stateDir).length === 1);
    check("one daemon for B", daemonsOf(b.stateDir).length === 1);
    const hyperdA = hyperdsUnder(a.stateDir);
    const hyperdB = hyperdsUnder(b.stateDir);
    check(
      "one hyperd each, not the same",
      hyperdA.length === 1 && hyperdB.length === 1 && hyperdA[0] !== hyperdB[0],
    );
    // Both keep answering, and a second server of A still finds A's daemon, not B's.
    ok(await call(first.server, "query", { sql: "SELECT 2 AS two" }));
    ok(await call(second.server, "query", { sql: "SELECT 3 AS three" }));
    const again = await startAndQuery(a);
    check(
      "another server of A shares A's daemon",
      again.engine.daemon_health_port === first.engine.daemon_health_port,
    );

    // Stopping B's daemon leaves A's.
    await Promise.all(b.servers.map((server) => server.client.close().catch(() => undefined)));
    const stopped = await daemonStop(b.env);
    check("daemon stop of B stops B's daemon", stopped.stdout.includes("STOPPING"), stopped.stdout);
    check("B's daemon is gone", daemonsOf(b.stateDir).length === 0);
    check("A's daemon is still there", daemonsOf(a.stateDir).length === 1 && isAlive(infoA.pid));
    // With B's daemon gone, B's `daemon stop` finds no daemon: A's is not B's to stop.
    const againStop = await daemonStop(b.env).then(
      () => "exit 0",
      (error: { code?: number; stdout?: string; stderr?: string }) =>
        `exit ${error.code} ${error.stdout ?? ""}${error.stderr ?? ""}`,
    );
    check(
      "B's daemon stop does not touch A's daemon",
      againStop.startsWith("exit 1") && isAlive(infoA.pid),
      againStop,
    );
    ok(await call(first.server, "query", { sql: "SELECT 4 AS four" }));
    ok(await call(again.server, "query", { sql: "SELECT 5 AS five" }));
    check("A's hyperd is the same process", hyperdsUnder(a.stateDir).join() === hyperdA.join());
    console.log(
      `FAULT daemon-security other-state-dir a_port_offset=${first.engine.daemon_health_port - base} ` +
        `b_port_offset=${second.engine.daemon_health_port - base} shared=no stop_b_left_a=yes`,
    );
  }, 180_000);
});
