import { type ChildProcess, spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { TimeoutError } from "../../src/index.ts";
import { connectSocket, enableKeepAlive } from "../../src/transport/connect-socket.ts";

describe("enableKeepAlive", () => {
  it("asks for 60 s idle, 10 s interval and 3 probes where Node can set them", () => {
    const calls: unknown[][] = [];
    const fakeSocket = {
      setKeepAlive(enable: boolean, initialDelay: number, interval: number, count: number) {
        calls.push([enable, initialDelay, interval, count]);
        return this;
      },
    } as unknown as Socket;
    expect(enableKeepAlive(fakeSocket)).toBe(true);
    expect(calls).toEqual([[true, 60_000, 10_000, 3]]);
  });

  it("falls back to the idle time alone on a Node without probe settings", () => {
    const calls: unknown[][] = [];
    const fakeSocket = {
      setKeepAlive(enable: boolean, initialDelay: number) {
        calls.push([enable, initialDelay]);
        return this;
      },
    } as unknown as Socket;
    expect(enableKeepAlive(fakeSocket, { keepAliveIdleMs: 5_000 })).toBe(false);
    expect(calls).toEqual([[true, 5_000]]);
  });

  it("is the four-argument form on the Node this project runs on", () => {
    const socket = connect({ port: 1, host: "127.0.0.1" });
    socket.on("error", () => {});
    expect(socket.setKeepAlive.length).toBeGreaterThanOrEqual(4);
    socket.destroy();
  });
});

describe("connectSocket", () => {
  let child: ChildProcess | undefined;
  const extra: Socket[] = [];

  afterEach(() => {
    child?.kill("SIGKILL");
    for (const socket of extra.splice(0)) socket.destroy();
  });

  it("gives up with TimeoutError when the server never completes the handshake", async () => {
    // A listener whose accept queue is full and whose event loop is blocked: the kernel drops
    // further SYNs, so a connect hangs exactly like one to an unreachable host.
    const script = `
      const net = require("node:net");
      const server = net.createServer();
      server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
        process.stdout.write(String(server.address().port) + "\\n");
        setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0), 50);
      });`;
    child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const port = await new Promise<number>((resolve) =>
      child?.stdout?.once("data", (data) => resolve(Number(String(data)))),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 0; i < 8; i++) {
      const filler = connect({ port, host: "127.0.0.1" });
      filler.on("error", () => {});
      extra.push(filler);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    const attempt = connectSocket({ kind: "tcp", host: "127.0.0.1", port }, { connectTimeoutMs: 400 });
    await expect(attempt).rejects.toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
