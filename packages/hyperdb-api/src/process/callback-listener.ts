import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { HyperdStartError } from "./errors.ts";

/** What hyperd sent on the callback connection, and that connection. */
export interface CallbackConnection {
  /** hyperd's endpoint descriptor, e.g. `tab.tcp://127.0.0.1:17000` (NUL and whitespace stripped). */
  readonly descriptor: string;
  /**
   * The callback connection. hyperd shuts down when it closes, so it must stay open for
   * hyperd's lifetime; it is `unref()`ed so it does not keep the event loop alive.
   */
  readonly socket: Socket;
}

/**
 * The TCP listener hyperd reports its endpoint to (`--callback-connection`).
 *
 * hyperd connects once and sends one length byte followed by that many ASCII bytes: its
 * endpoint descriptor, NUL-terminated. It then keeps the connection open and shuts down
 * gracefully as soon as the other side closes it — also when the owning process dies, since
 * the kernel closes the socket then.
 */
export class CallbackListener {
  /** Port on 127.0.0.1 the listener accepts on. */
  readonly port: number;
  /** Descriptor to pass as `--callback-connection`. */
  readonly descriptor: string;
  /**
   * Resolves when hyperd has connected and sent its endpoint; rejects if the first connection
   * ends or fails before a complete message arrived. Stays pending if hyperd never connects.
   */
  readonly connection: Promise<CallbackConnection>;
  readonly #server: Server;
  #pendingSocket: Socket | undefined;
  #closed = false;

  private constructor(server: Server, port: number) {
    this.#server = server;
    this.port = port;
    this.descriptor = `tab.tcp://127.0.0.1:${port}`;
    this.connection = new Promise<CallbackConnection>((resolve, reject) => {
      server.on("connection", (socket) => {
        if (this.#pendingSocket !== undefined || this.#closed) {
          socket.destroy();
          return;
        }
        this.#pendingSocket = socket;
        readDescriptor(socket).then(
          (descriptor) => {
            this.#pendingSocket = undefined;
            this.#stopListening();
            socket.unref();
            resolve({ descriptor, socket });
          },
          (error: unknown) => {
            socket.destroy();
            reject(error);
          },
        );
      });
    });
    // Callers may stop waiting (e.g. hyperd exited first); the rejection is then irrelevant.
    this.connection.catch(() => undefined);
  }

  /** Starts listening on an ephemeral port of 127.0.0.1. */
  static async open(): Promise<CallbackListener> {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    if (address === null || typeof address === "string") {
      server.close();
      throw new HyperdStartError(`callback listener has an unexpected address: ${String(address)}`);
    }
    return new CallbackListener(server, address.port);
  }

  /**
   * Stops listening and drops a connection that has not delivered its endpoint yet. A
   * connection already handed out through {@link connection} is left alone. Idempotent.
   */
  close(): void {
    this.#stopListening();
    this.#pendingSocket?.destroy();
    this.#pendingSocket = undefined;
  }

  #stopListening(): void {
    if (!this.#closed) {
      this.#closed = true;
      this.#server.close();
    }
  }
}

/** Reads one length-prefixed message from the socket and returns it as a trimmed string. */
function readDescriptor(socket: Socket): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let received = Buffer.alloc(0);
    const cleanup = (): void => {
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.off("close", onEnd);
      socket.off("error", onError);
      // Keep draining so the end of the connection (hyperd going away) is noticed.
      socket.on("error", () => undefined);
      socket.resume();
    };
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const length = received[0];
      if (length === undefined || received.length < 1 + length) {
        return;
      }
      cleanup();
      const descriptor = received
        .subarray(1, 1 + length)
        .toString("latin1")
        .replace(/^[\0\s]+|[\0\s]+$/g, "");
      if (descriptor === "") {
        reject(new HyperdStartError("hyperd sent an empty endpoint on the callback connection"));
      } else {
        resolve(descriptor);
      }
    };
    const onEnd = (): void => {
      cleanup();
      reject(
        new HyperdStartError(
          `hyperd closed the callback connection after ${received.length} bytes, before its endpoint`,
        ),
      );
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(
        new HyperdStartError(
          `the callback connection failed before hyperd sent its endpoint: ${error.message}`,
          { cause: error },
        ),
      );
    };
    socket.on("data", onData);
    socket.on("end", onEnd);
    socket.on("close", onEnd);
    socket.on("error", onError);
  });
}
