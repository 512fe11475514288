/**
 * The daemon side of the health-port protocol: a loopback-only TCP server answering one reply
 * line per command line, several commands per connection.
 *
 * Binding the port is the daemon's single-instance lock: if the port is taken,
 * {@link startHealthServer} rejects with {@link HealthPortInUseError} and the daemon must exit
 * before starting hyperd or writing `daemon.json`.
 *
 * @module
 */
import { createServer, type Server, type Socket } from "node:net";
import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api/errors";
import { checkDaemonInfo, type DaemonInfo } from "./daemon-info.ts";
import { HealthPortInUseError } from "./health-port-in-use-error.ts";
import {
  formatPong,
  type HealthCommandName,
  HealthReply,
  MAX_COMMAND_LINE_BYTES,
  parseCommand,
} from "./health-protocol.ts";

/** Loopback addresses the health server may bind. */
export type LoopbackHost = "127.0.0.1" | "::1";

/** What the daemon does for each command (PING is answered by the server itself). */
export interface HealthHandlers {
  /** The current daemon description, returned for `STATUS`. */
  status(): DaemonInfo | Promise<DaemonInfo>;
  /** Called for `HEARTBEAT` (reset the idle timer). */
  heartbeat(): void | Promise<void>;
  /** Called for `STOP` (request shutdown); the `STOPPING` reply is sent afterwards. */
  stop(): void | Promise<void>;
  /** Called for `REPORT_HYPERD_ERROR` (request a hyperd restart). */
  reportHyperdError(): void | Promise<void>;
}

/** Options of {@link startHealthServer}. */
export interface HealthServerOptions {
  /** TCP port to bind; 0 picks a free one (tests). */
  readonly port: number;
  /** Loopback address to bind; default `127.0.0.1`. */
  readonly host?: LoopbackHost;
  /** Version announced in `PONG hyperdb-ts-mcp <version>`. */
  readonly version: string;
  readonly handlers: HealthHandlers;
  /** A connection idle this long (no data) is closed; default 5000 ms. */
  readonly idleTimeoutMs?: number;
  /**
   * Receives failures that cannot be reported to a client: a handler that threw (the client
   * gets `ERR internal error`) or a STATUS result that is not a valid DaemonInfo.
   */
  readonly onError?: (error: unknown) => void;
}

/** A running health server. */
export interface HealthServer extends AsyncDisposable {
  /** The bound port (useful when 0 was requested). */
  readonly port: number;
  readonly host: LoopbackHost;
  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void>;
}

/** Default idle read timeout per connection. */
export const HEALTH_IDLE_TIMEOUT_MS = 5000;

/**
 * Binds the health server and resolves once it is listening.
 *
 * @throws HealthPortInUseError when the port is already bound.
 * @throws InvalidArgumentError for a bad port, host or version.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const host = options.host ?? "127.0.0.1";
  const { port, version, handlers } = options;
  const idleTimeoutMs = options.idleTimeoutMs ?? HEALTH_IDLE_TIMEOUT_MS;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError(`health port must be an integer in 0..65535, got ${port}`);
  }
  if (host !== "127.0.0.1" && host !== "::1") {
    throw new InvalidArgumentError(`health server binds loopback only, got host ${String(host)}`);
  }
  if (/\s/.test(version) || version === "") {
    throw new InvalidArgumentError(`version must be a non-empty token without whitespace, got "${version}"`);
  }
  if (!(idleTimeoutMs > 0)) {
    throw new InvalidArgumentError(`idleTimeoutMs must be positive, got ${idleTimeoutMs}`);
  }
  const reportError = options.onError ?? (() => {});
  const sockets = new Set<Socket>();

  const answer = async (line: string): Promise<string> => {
    const command = parseCommand(line);
    if (command === undefined) {
      return HealthReply.unknownCommand;
    }
    try {
      return await dispatch(command, version, handlers);
    } catch (error) {
      reportError(error);
      return HealthReply.internalError;
    }
  };

  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    serveConnection(socket, answer, idleTimeoutMs);
  });

  await listen(server, host, port);
  const address = server.address();
  const boundPort = typeof address === "object" && address !== null ? address.port : port;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) {
        socket.destroy();
      }
    });
    return closing;
  };
  return { port: boundPort, host, close, [Symbol.asyncDispose]: close };
}

async function dispatch(
  command: HealthCommandName,
  version: string,
  handlers: HealthHandlers,
): Promise<string> {
  switch (command) {
    case "PING":
      return formatPong(version);
    case "STATUS": {
      const check = checkDaemonInfo(await handlers.status());
      if (!check.ok) {
        throw new InvalidArgumentError(`status handler returned invalid daemon info: ${check.reason}`);
      }
      return JSON.stringify(check.info);
    }
    case "HEARTBEAT":
      await handlers.heartbeat();
      return HealthReply.ok;
    case "STOP":
      await handlers.stop();
      return HealthReply.stopping;
    case "REPORT_HYPERD_ERROR":
      await handlers.reportHyperdError();
      return HealthReply.ok;
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off("listening", onListening);
      if (error.code === "EADDRINUSE") {
        reject(new HealthPortInUseError(host, port, { cause: error }));
      } else {
        reject(error);
      }
    };
    const onListening = (): void => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ port, host, exclusive: true });
  });
}

/** Reads lines from one connection and writes the replies in order. */
function serveConnection(
  socket: Socket,
  answer: (line: string) => Promise<string>,
  idleTimeoutMs: number,
): void {
  let buffered = "";
  let queue: Promise<void> = Promise.resolve();
  let finished = false;
  const enqueue = (step: () => Promise<void> | void): void => {
    queue = queue.then(step).catch(() => {
      socket.destroy();
    });
  };
  const write = (line: string): void => {
    if (!socket.destroyed && socket.writable) {
      socket.write(`${line}\n`);
    }
  };

  socket.setEncoding("utf8");
  socket.setNoDelay(true);
  socket.setTimeout(idleTimeoutMs, () => socket.destroy());
  socket.on("error", () => {
    // Client resets and similar are normal on a health port; the socket closes either way.
  });
  socket.on("data", (chunk: string) => {
    if (finished) {
      return;
    }
    buffered += chunk;
    let newline = buffered.indexOf("\n");
    while (newline !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      enqueue(async () => write(await answer(line)));
      newline = buffered.indexOf("\n");
    }
    if (Buffer.byteLength(buffered, "utf8") > MAX_COMMAND_LINE_BYTES) {
      finished = true;
      buffered = "";
      enqueue(() => {
        write(HealthReply.lineTooLong);
        socket.end();
      });
    }
  });
  socket.on("end", () => {
    if (finished) {
      return;
    }
    finished = true;
    enqueue(() => {
      socket.end();
    });
  });
}
