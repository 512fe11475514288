import { createServer, type Server, type Socket } from "node:net";

/** A message from the client: its tag (`startup` for the untagged first message) and payload. */
export interface ClientMessage {
  readonly tag: string;
  readonly body: Buffer;
}

/** Decides what the fake server answers to each client message. */
export type Script = (message: ClientMessage, socket: Socket) => void;

/**
 * A TCP server that speaks just enough of the protocol to drive the client through scenarios
 * a real hyperd will not produce on demand (other login methods, messages at odd moments).
 */
export async function startScriptedServer(
  script: Script,
  options: { allowHalfOpen?: boolean } = {},
): Promise<{ port: number; server: Server; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: options.allowHalfOpen ?? false }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let pending = Buffer.alloc(0);
    let started = false;
    socket.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (!started) {
          if (pending.length < 4) return;
          const length = pending.readInt32BE(0);
          if (pending.length < length) return;
          started = true;
          const body = pending.subarray(4, length);
          pending = pending.subarray(length);
          script({ tag: "startup", body }, socket);
          continue;
        }
        if (pending.length < 5) return;
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) return;
        const tag = String.fromCharCode(pending[0] as number);
        const body = pending.subarray(5, 1 + length);
        pending = pending.subarray(1 + length);
        script({ tag, body }, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address !== null ? address.port : 0,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
