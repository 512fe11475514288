import { afterEach, describe, expect, it } from "vitest";
import {
  inspectPort,
  isConnectionRefused,
  probePort,
  sendCommand,
} from "../../../src/daemon/health-client.ts";
import {
  type Closable,
  sampleInfo,
  startForeignServer,
  startTestDaemon,
  unusedPort,
} from "./tcp-fixtures.ts";

const cleanup: Closable[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((item) => item.close()));
});

async function foreign(reply: (line: string) => string | null | undefined): Promise<number> {
  const server = await startForeignServer(reply);
  cleanup.push(server);
  return server.port;
}

describe("probePort", () => {
  it("classifies our daemon as ours", async () => {
    const { server } = await startTestDaemon();
    cleanup.push(server);
    expect(await probePort(server.port)).toBe("ours");
    expect(await inspectPort(server.port)).toEqual({
      kind: "ours",
      port: server.port,
      info: sampleInfo(server.port),
      version: "0.1.0",
    });
  });

  it("classifies the upstream Rust daemon's identity as foreign", async () => {
    const port = await foreign((line) =>
      line === "PING" ? "PONG hyperdb-mcp 0.7.3" : JSON.stringify({ ...sampleInfo(1), identity: undefined }),
    );
    expect(await probePort(port)).toBe("foreign");
  });

  it("rejects the look-alike PONG hyperdb-ts-mcpEVIL even with a valid STATUS", async () => {
    const port = await foreign((line) =>
      line === "PING" ? "PONG hyperdb-ts-mcpEVIL 1.0.0" : JSON.stringify(sampleInfo(1)),
    );
    expect(await inspectPort(port)).toMatchObject({
      kind: "foreign",
      reason: expect.stringContaining("identity"),
    });
  });

  it("classifies an identified PONG with a bad STATUS as foreign", async () => {
    const port = await foreign((line) => (line === "PING" ? "PONG hyperdb-ts-mcp 1.0.0" : "{}"));
    expect(await inspectPort(port)).toMatchObject({
      kind: "foreign",
      reason: expect.stringContaining("STATUS"),
    });
  });

  it("classifies junk, silence and hang-ups as foreign", async () => {
    const junk = await foreign(() => "HTTP/1.1 400 Bad Request");
    const silent = await foreign(() => undefined);
    const hangUp = await foreign(() => null);
    const started = Date.now();
    expect(await Promise.all([probePort(junk), probePort(silent), probePort(hangUp)])).toEqual([
      "foreign",
      "foreign",
      "foreign",
    ]);
    expect(Date.now() - started).toBeLessThan(2000); // the silent one gives up after ~300 ms
  });

  it("classifies a refused port as free", async () => {
    expect(await probePort(await unusedPort())).toBe("free");
  });
});

describe("sendCommand errors", () => {
  it("reports a refused connection as ConnectionFailedError", async () => {
    const port = await unusedPort();
    const error = await sendCommand(port, "PING").catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "CONNECTION_FAILED" });
    expect(isConnectionRefused(error)).toBe(true);
  });

  it("reports a missing reply as TimeoutError", async () => {
    const port = await foreign(() => undefined);
    await expect(sendCommand(port, "PING", { readTimeoutMs: 100 })).rejects.toMatchObject({
      code: "TIMEOUT",
    });
  });

  it("rejects multi-line commands", async () => {
    const { server } = await startTestDaemon();
    cleanup.push(server);
    await expect(sendCommand(server.port, "PING\nSTOP")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});
