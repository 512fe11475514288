/**
 * The Streamable HTTP transport (`--http`): the built server is spawned listening on a free
 * loopback port and the SDK's Streamable HTTP client connects to it, two clients at once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CallToolResult, Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import { findProcesses, freePortRange } from "../setup/processes.ts";
import { isolatedHome, PACKAGE_DIR, serverEntry, waitForExit } from "./mcp-client.ts";

interface HttpServerUnderTest {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly stderr: () => string;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
}

const started: HttpServerUnderTest[] = [];

afterEach(async () => {
  for (const server of started.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill("SIGKILL");
      await server.exited;
    }
  }
});

function spawnServer(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): HttpServerUnderTest {
  const home = isolatedHome();
  const child = spawn(process.execPath, [serverEntry(), "--no-daemon", ...args], {
    cwd: PACKAGE_DIR,
    env: {
      ...process.env,
      HOME: home,
      XDG_DATA_HOME: join(home, ".local", "share"),
      HYPERDB_STATE_DIR: join(home, ".hyperdb-ts"),
      HYPERDB_MCP_HTTP_TOKEN: "",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderrText = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderrText += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  if (child.pid === undefined) {
    throw new Error("the server did not start");
  }
  const server = { child, pid: child.pid, stderr: () => stderrText, exited };
  started.push(server);
  return server;
}

async function startHttpServer(
  env: Readonly<Record<string, string>> = {},
): Promise<HttpServerUnderTest & { url: URL }> {
  const port = await freePortRange(1);
  const server = spawnServer(["--http", `127.0.0.1:${port}`], env);
  const url = new URL(`http://127.0.0.1:${port}/mcp`);
  const deadline = Date.now() + 15_000;
  while (!server.stderr().includes(`serving MCP over Streamable HTTP at ${url.href}`)) {
    if (Date.now() > deadline || server.child.exitCode !== null) {
      throw new Error(`the server did not start listening:\n${server.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { ...server, url };
}

async function connect(
  url: URL,
  options: { token?: string; negotiate?: boolean } = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const { token, negotiate = false } = options;
  const transport = new StreamableHTTPClientTransport(url, {
    ...(token === undefined ? {} : { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
  });
  const client = new Client(
    { name: "hyperdb-mcp-http-test", version: "0.0.0" },
    negotiate ? { versionNegotiation: { mode: "auto" } } : {},
  );
  await client.connect(transport);
  return { client, transport };
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The hyperd processes `pid` started (private hyperds of its sessions). */
function hyperdChildren(pid: number): number[] {
  return findProcesses(({ pid: candidate, cmdline }) => {
    if (!(cmdline[0] ?? "").endsWith("hyperd")) return false;
    try {
      const stat = readFileSync(`/proc/${candidate}/stat`, "latin1");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
    } catch {
      return false;
    }
  }).map((found) => found.pid);
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe("serving MCP over Streamable HTTP (--http)", () => {
  it("serves two clients at once, each session with its own local database; SIGTERM ends it cleanly", async () => {
    const server = await startHttpServer();
    const first = await connect(server.url);
    const second = await connect(server.url);
    expect(first.transport.sessionId).toEqual(expect.any(String));
    expect(first.transport.sessionId).not.toBe(second.transport.sessionId);

    const [one, other] = await Promise.all([
      call(first.client, "query", { sql: "SELECT 1 AS one" }),
      call(second.client, "query", { sql: "SELECT 1 AS one" }),
    ]);
    expect(one.structuredContent).toMatchObject({ result: [{ one: 1 }] });
    expect(other.structuredContent).toMatchObject({ result: [{ one: 1 }] });

    const [loadedFirst, loadedSecond] = await Promise.all([
      call(first.client, "load_data", { table: "only_first", data: '[{"id": 1}, {"id": 2}]' }),
      call(second.client, "load_data", { table: "only_second", data: "a,b\n1,x\n" }),
    ]);
    expect(loadedFirst.structuredContent).toMatchObject({ rows: 2, resolved_database: "local" });
    expect(loadedSecond.structuredContent).toMatchObject({ rows: 1, resolved_database: "local" });

    const missing = await call(first.client, "describe", { table: "only_second" });
    expect(missing.isError).toBe(true);
    expect(missing.structuredContent).toMatchObject({ error: { code: "TABLE_NOT_FOUND" } });
    const listed = await call(second.client, "describe", {});
    expect(
      (listed.structuredContent as { tables: { name: string }[] }).tables.map((table) => table.name),
    ).toEqual(["only_second"]);

    // With --no-daemon each session runs its own hyperd; ending a session (DELETE) stops its one.
    expect(hyperdChildren(server.pid)).toHaveLength(2);
    await second.transport.terminateSession();
    await second.client.close();
    expect(await waitFor(() => hyperdChildren(server.pid).length === 1, 10_000)).toBe(true);
    expect(server.stderr()).toContain("session closed by the client");

    const hyperds = hyperdChildren(server.pid);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    await first.client.close();
    for (const pid of hyperds) {
      expect(await waitForExit(pid, 5_000)).toBe(true);
    }
    expect(server.stderr()).toContain("shutting down (SIGTERM)");
  });

  it("with a bearer token, answers 401 to requests without it or with a wrong one", async () => {
    const server = await startHttpServer({ HYPERDB_MCP_HTTP_TOKEN: "s3cret-token" });
    const initialize = (authorization?: string): Promise<Response> =>
      fetch(server.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...(authorization === undefined ? {} : { authorization }),
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: {
            protocolVersion: "2025-06-18",
            capabilities: {},
            clientInfo: { name: "raw", version: "0" },
          },
        }),
      });
    const missing = await initialize();
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await initialize("Bearer wrong-token")).status).toBe(401);
    await expect(connect(server.url)).rejects.toThrow();

    const authorized = await connect(server.url, { token: "s3cret-token" });
    const result = await call(authorized.client, "query", { sql: "SELECT 2 AS two" });
    expect(result.structuredContent).toMatchObject({ result: [{ two: 2 }] });
    await authorized.client.close();
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("lets a client that probes for the session-less 2026 revision fall back to a session", async () => {
    const server = await startHttpServer();
    const negotiating = await connect(server.url, { negotiate: true });
    expect(negotiating.client.getProtocolEra()).toBe("legacy");
    expect(negotiating.transport.sessionId).toEqual(expect.any(String));
    const result = await call(negotiating.client, "query", { sql: "SELECT 3 AS three" });
    expect(result.structuredContent).toMatchObject({ result: [{ three: 3 }] });
    await negotiating.client.close();
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("refuses a Host header that does not name loopback (DNS rebinding)", async () => {
    const server = await startHttpServer();
    const { request } = await import("node:http");
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const outgoing = request(
        {
          host: "127.0.0.1",
          port: server.url.port,
          path: "/mcp",
          method: "POST",
          headers: { host: "rebound.example" },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      );
      outgoing.once("error", reject);
      outgoing.end("{}");
    });
    expect(status).toBe(403);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("refuses to listen on a non-loopback address without a token, with a clear message", async () => {
    const port = await freePortRange(1);
    const server = spawnServer(["--http", `0.0.0.0:${port}`]);
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain(
      "refusing to listen on the non-loopback address 0.0.0.0 without a bearer token; set HYPERDB_MCP_HTTP_TOKEN",
    );
  });
});
