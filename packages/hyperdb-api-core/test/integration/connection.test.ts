import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  Connection,
  ConnectionClosedError,
  ConnectionFailedError,
  HyperError,
  SqlState,
} from "../../src/index.ts";
import { connectToTestHyperd, testEndpoint } from "./test-hyperd.ts";

describe("connecting to hyperd", () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await connectToTestHyperd();
  });

  afterAll(async () => {
    await connection.close();
  });

  it("logs in over TCP and learns the server parameters and backend key", async () => {
    expect(connection.isOpen).toBe(true);
    expect(connection.parameter("server_version")).toMatch(/^\d+\.\d+/);
    expect(connection.parameter("client_encoding")).toBe("UTF8");
    expect(connection.parameter("session_identifier")).toBeTruthy();
    expect(connection.backendKey).not.toBeNull();
    expect(connection.transactionStatus).toBe("idle");
    const { rows } = await connection.query("SELECT 1 AS one").all();
    expect(rows).toEqual([[1]]);
  });

  it("logs in over a Unix domain socket", async () => {
    const socketPath = inject("hyperd").socketPath;
    expect(socketPath).toBeTruthy();
    await using viaSocket = await Connection.connect({ endpoint: socketPath ?? "" });
    const { rows } = await viaSocket.query("SELECT 'uds' AS via").all();
    expect(rows).toEqual([["uds"]]);
    expect(viaSocket.rawSocket?.remotePort).toBeUndefined();
  });

  it("turns TCP keepalive on, with a 60 s idle timer visible to the kernel", async () => {
    const localPort = connection.rawSocket?.localPort;
    expect(localPort).toBeGreaterThan(0);
    // ss -o shows the socket's timer, e.g. timer:(keepalive,59sec,0)
    const output = execFileSync("ss", ["-tnoH", "state", "established", `( sport = :${localPort} )`], {
      encoding: "utf8",
    });
    const match = /timer:\(keepalive,(?:(\d+)min)?(\d+)(?:\.\d+)?sec/.exec(output);
    expect(match, output).not.toBeNull();
    const seconds = Number(match?.[1] ?? 0) * 60 + Number(match?.[2]);
    expect(seconds).toBeGreaterThan(40);
    expect(seconds).toBeLessThanOrEqual(60);
  });

  it("reports a refused endpoint as ConnectionFailedError", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(Connection.connect({ endpoint: `127.0.0.1:${port}` })).rejects.toBeInstanceOf(
      ConnectionFailedError,
    );
  });

  it("refuses an unknown user with the server's SQLSTATE", async () => {
    const attempt = Connection.connect({ endpoint: testEndpoint(), user: "nobody_here" });
    await expect(attempt).rejects.toBeInstanceOf(HyperError);
    await expect(attempt).rejects.toMatchObject({ sqlstate: SqlState.insufficientPrivilege });
  });

  it("refuses a startup database that does not exist (58S01)", async () => {
    const attempt = Connection.connect({ endpoint: testEndpoint(), database: "/nonexistent/nowhere.hyper" });
    await expect(attempt).rejects.toMatchObject({ code: "HYPER_ERROR", sqlstate: SqlState.undefinedFile });
  });

  it("rejects any use after close with ConnectionClosedError", async () => {
    const closing = await connectToTestHyperd();
    await closing.close();
    expect(closing.isOpen).toBe(false);
    await expect(closing.query("SELECT 1").all()).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(closing.execute("SELECT 1")).rejects.toBeInstanceOf(ConnectionClosedError);
    await closing.close();
  });
});
