import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseDaemonInfoJson } from "../../../src/daemon/daemon-info.ts";
import { openHealthSession, sendCommand } from "../../../src/daemon/health-client.ts";
import { HealthPortInUseError } from "../../../src/daemon/health-port-in-use-error.ts";
import { startHealthServer } from "../../../src/daemon/health-server.ts";
import { type Closable, sampleInfo, startForeignServer, startTestDaemon } from "./tcp-fixtures.ts";

const cleanup: Closable[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((item) => item.close()));
});

async function daemon() {
  const started = await startTestDaemon();
  cleanup.push(started.server);
  return started;
}

/** Writes raw bytes and collects reply lines until `count` arrived. */
function rawExchange(port: number, payload: string, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.setEncoding("utf8");
    let received = "";
    socket.on("error", reject);
    socket.on("data", (chunk: string) => {
      received += chunk;
      const lines = received.split("\n");
      if (lines.length > count) {
        socket.destroy();
        resolve(lines.slice(0, count));
      }
    });
    socket.on("connect", () => socket.write(payload));
  });
}

describe("health server", () => {
  it("answers every command over real TCP", async () => {
    const { server, calls } = await daemon();
    expect(server.host).toBe("127.0.0.1");
    expect(await sendCommand(server.port, "PING")).toBe("PONG hyperdb-ts-mcp 0.1.0");
    const status = await sendCommand(server.port, "STATUS");
    expect(status).not.toContain("\n");
    expect(parseDaemonInfoJson(status)).toEqual(sampleInfo(server.port));
    expect(await sendCommand(server.port, "HEARTBEAT")).toBe("OK");
    expect(await sendCommand(server.port, "REPORT_HYPERD_ERROR")).toBe("OK");
    expect(await sendCommand(server.port, "STOP")).toBe("STOPPING");
    expect(calls).toEqual({ heartbeat: 1, stop: 1, reportHyperdError: 1 });
  });

  it("serves several commands on one connection, including an unknown one", async () => {
    const { server, calls } = await daemon();
    using session = await openHealthSession(server.port);
    expect(await session.send("PING")).toBe("PONG hyperdb-ts-mcp 0.1.0");
    expect(await session.send("FROB")).toBe("ERR unknown command");
    expect(await session.send("HEARTBEAT")).toBe("OK");
    expect(await session.send("HEARTBEAT")).toBe("OK");
    expect(parseDaemonInfoJson(await session.send("STATUS"))?.health_port).toBe(server.port);
    expect(calls.heartbeat).toBe(2);
  });

  it("answers pipelined commands in order, tolerating CRLF", async () => {
    const { server } = await daemon();
    const lines = await rawExchange(server.port, "PING\r\nnope\nHEARTBEAT\nSTATUS\n", 4);
    expect(lines.slice(0, 3)).toEqual(["PONG hyperdb-ts-mcp 0.1.0", "ERR unknown command", "OK"]);
    expect(parseDaemonInfoJson(lines[3] ?? "")).toBeDefined();
  });

  it("rejects a second bind of the same port with HealthPortInUseError", async () => {
    const { server } = await daemon();
    const second = startTestDaemon(server.port);
    await expect(second).rejects.toBeInstanceOf(HealthPortInUseError);
    await expect(second).rejects.toMatchObject({ code: "ALREADY_EXISTS", port: server.port });
    // the first server is unaffected
    expect(await sendCommand(server.port, "PING")).toBe("PONG hyperdb-ts-mcp 0.1.0");
  });

  it("also fails to bind a port held by a foreign program", async () => {
    const foreign = await startForeignServer(() => "hello");
    cleanup.push(foreign);
    await expect(startTestDaemon(foreign.port)).rejects.toBeInstanceOf(HealthPortInUseError);
  });

  it("closes a connection idle longer than the read timeout", async () => {
    const server = await startHealthServer({
      port: 0,
      version: "0.1.0",
      idleTimeoutMs: 150,
      handlers: { status: () => sampleInfo(1), heartbeat() {}, stop() {}, reportHyperdError() {} },
    });
    cleanup.push(server);
    using session = await openHealthSession(server.port);
    expect(await session.send("PING")).toMatch(/^PONG /);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await expect(session.send("PING")).rejects.toMatchObject({ code: "CONNECTION_CLOSED" });
  });

  it("reports handler failures and invalid STATUS without crashing", async () => {
    const errors: unknown[] = [];
    const server = await startHealthServer({
      port: 0,
      version: "0.1.0",
      onError: (error) => errors.push(error),
      handlers: {
        status: () => ({ ...sampleInfo(1), pid: -1 }),
        heartbeat() {
          throw new Error("boom");
        },
        stop() {},
        reportHyperdError() {},
      },
    });
    cleanup.push(server);
    using session = await openHealthSession(server.port);
    expect(await session.send("HEARTBEAT")).toBe("ERR internal error");
    expect(await session.send("STATUS")).toBe("ERR internal error");
    expect(await session.send("PING")).toMatch(/^PONG /);
    expect(errors).toHaveLength(2);
  });

  it("drops over-long lines", async () => {
    const { server } = await daemon();
    const lines = await rawExchange(server.port, "X".repeat(5000), 1);
    expect(lines).toEqual(["ERR line too long"]);
  });

  it("validates its options", async () => {
    const handlers = { status: () => sampleInfo(1), heartbeat() {}, stop() {}, reportHyperdError() {} };
    await expect(startHealthServer({ port: 70_000, version: "1", handlers })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(startHealthServer({ port: 0, version: "1 2", handlers })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });
});
