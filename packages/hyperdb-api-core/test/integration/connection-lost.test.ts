import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, inject, it } from "vitest";
import { Connection, ConnectionLostError, InvalidArgumentError } from "../../src/index.ts";

/**
 * A TCP proxy in front of the test hyperd whose connections the test can cut (as a reset) or
 * silence (bytes stop flowing both ways, nothing is closed: a peer that vanished).
 */
async function startProxy(): Promise<{
  server: Server;
  port: number;
  cut(): void;
  silence(): void;
  close(): Promise<void>;
}> {
  const { host, port: hyperdPort } = inject("hyperd");
  const pairs: [Socket, Socket][] = [];
  const server = createServer((client) => {
    const upstream = connect({ host, port: hyperdPort });
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop);
    upstream.on("error", drop);
    pairs.push([client, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    server,
    port: typeof address === "object" && address !== null ? address.port : 0,
    cut() {
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
    },
    async close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    silence() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
  };
}

describe("a connection whose socket breaks", () => {
  let server: Server | undefined;

  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it("rejects the running query with ConnectionLostError and stays unusable", async () => {
    const proxy = await startProxy();
    server = proxy.server;
    const connection = await Connection.connect({ endpoint: `127.0.0.1:${proxy.port}` });
    const result = connection.query(
      "SELECT count(*) FROM (SELECT a.x FROM generate_series(1, 200000) a(x), generate_series(1, 20000) b(y)) s",
    );
    setTimeout(() => proxy.cut(), 200);
    const outcome = await result.all().catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(ConnectionLostError);
    expect(connection.isOpen).toBe(false);
    await expect(connection.query("SELECT 1").all()).rejects.toBeInstanceOf(ConnectionLostError);
    await connection.close();
  });

  it("rejects a query that is queued behind the broken one, too", async () => {
    const proxy = await startProxy();
    server = proxy.server;
    const connection = await Connection.connect({ endpoint: `127.0.0.1:${proxy.port}` });
    const first = connection
      .query(
        "SELECT count(*) FROM (SELECT a.x FROM generate_series(1, 200000) a(x), generate_series(1, 20000) b(y)) s",
      )
      .all();
    const second = connection.query("SELECT 2").all();
    setTimeout(() => proxy.cut(), 200);
    await expect(first).rejects.toBeInstanceOf(ConnectionLostError);
    await expect(second).rejects.toBeInstanceOf(ConnectionLostError);
  });
});

/** About 10 s of work for hyperd on a 2-core machine, with no row before the end. */
const LONG_STATEMENT =
  "SELECT count(DISTINCT md5(a::text || b::text)) FROM generate_series(1, 20000) a, generate_series(1, 700) b";

describe("a connection whose server goes silent", () => {
  const proxies: { close(): Promise<void> }[] = [];

  afterEach(async () => {
    for (const proxy of proxies.splice(0)) await proxy.close();
  });

  async function connectThroughProxy(silenceTimeoutMs: number) {
    const proxy = await startProxy();
    proxies.push(proxy);
    const connection = await Connection.connect({ endpoint: `127.0.0.1:${proxy.port}`, silenceTimeoutMs });
    return { proxy, connection };
  }

  it("ends a statement in flight with ConnectionLostError once the silence lasts silenceTimeoutMs", async () => {
    const { proxy, connection } = await connectThroughProxy(1500);
    const result = connection.query(LONG_STATEMENT).all();
    await new Promise((resolve) => setTimeout(resolve, 200));
    proxy.silence();
    const silencedAt = performance.now();
    const outcome = await result.catch((error: unknown) => error);
    const waitedMs = performance.now() - silencedAt;
    expect(outcome).toBeInstanceOf(ConnectionLostError);
    expect((outcome as Error).message).toMatch(/no data from .* for \d+ s/);
    expect(waitedMs).toBeGreaterThanOrEqual(1200);
    expect(waitedMs).toBeLessThan(4000);
    expect(connection.isOpen).toBe(false);
    await connection.close();
  });

  it("lets a statement that runs far longer than hyperd's alive interval finish", async () => {
    const { connection } = await connectThroughProxy(6000);
    const started = performance.now();
    const { rows } = await connection.query(LONG_STATEMENT).all();
    const tookMs = performance.now() - started;
    // Only a statement that outlasted the limit proves that hyperd's alive messages kept it going.
    console.log(`a ${Math.round(tookMs / 1000)} s statement finished under a 6 s silence limit`);
    expect(tookMs).toBeGreaterThan(6000);
    expect(rows).toHaveLength(1);
    await connection.close();
  }, 60_000);

  it("does not count the time the application holds results back", async () => {
    const { connection } = await connectThroughProxy(500);
    const result = connection.query("SELECT x, x * 2 AS y FROM generate_series(1, 2000000) t(x)");
    let rows = 0;
    let paused = false;
    for await (const batch of result.batches()) {
      rows += batch.length;
      if (!paused) {
        paused = true;
        await new Promise((resolve) => setTimeout(resolve, 1500));
      }
    }
    expect(rows).toBe(2_000_000);
    expect(connection.isOpen).toBe(true);
    await connection.close();
  });

  it("does not count the time the application takes to produce COPY data", async () => {
    const { connection } = await connectThroughProxy(500);
    await connection.execute("CREATE TEMPORARY TABLE silence_copy (x int)");
    const writer = await connection.copyIn("COPY silence_copy FROM STDIN WITH (FORMAT csv)");
    await writer.write(Buffer.from("1\n2\n"));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await writer.write(Buffer.from("3\n"));
    expect(await writer.end()).toBe(3);
    expect(connection.isOpen).toBe(true);
    await connection.close();
  });

  it("rejects a negative silenceTimeoutMs before connecting", async () => {
    const { host, port } = inject("hyperd");
    await expect(
      Connection.connect({ endpoint: `${host}:${port}`, silenceTimeoutMs: -1 }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
