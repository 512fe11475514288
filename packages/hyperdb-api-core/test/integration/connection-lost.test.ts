import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, inject, it } from "vitest";
import { Connection, ConnectionLostError } from "../../src/index.ts";

/** A TCP proxy in front of the test hyperd whose connections the test can cut. */
async function startProxy(): Promise<{ server: Server; port: number; cut(): void }> {
  const { host, port: hyperdPort } = inject("hyperd");
  const pairs: [Socket, Socket][] = [];
  const server = createServer((client) => {
    const upstream = connect({ host, port: hyperdPort });
    client.pipe(upstream).pipe(client);
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
