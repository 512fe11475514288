import { connect, type Socket } from "node:net";
import { ConnectionFailedError, TimeoutError } from "../errors/index.ts";
import { type Endpoint, formatEndpoint } from "./endpoint.ts";

/** How TCP connections to hyperd are opened and kept healthy. */
export interface SocketOptions {
  /** Give up connecting after this long. @default 30000 (ms) */
  readonly connectTimeoutMs?: number;
  /** Idle time before the first keepalive probe. @default 60000 (ms) */
  readonly keepAliveIdleMs?: number;
  /**
   * Time between keepalive probes. Applied where Node can set it (Node ≥ 24 has the
   * four-argument `setKeepAlive`); elsewhere libuv's 1 s applies. @default 10000 (ms)
   */
  readonly keepAliveIntervalMs?: number;
  /** Unanswered probes before the peer counts as dead. Same caveat as the interval. @default 3 */
  readonly keepAliveCount?: number;
}

export const DEFAULT_SOCKET_OPTIONS = {
  connectTimeoutMs: 30_000,
  keepAliveIdleMs: 60_000,
  keepAliveIntervalMs: 10_000,
  keepAliveCount: 3,
} as const satisfies Required<SocketOptions>;

type SetKeepAliveWithProbes = (
  enable: boolean,
  initialDelay: number,
  interval: number,
  count: number,
) => Socket;

/**
 * Turns on TCP keepalive so a silently dead peer is noticed within
 * idle + interval × count (90 s with the defaults) instead of the OS's two hours.
 * Returns whether interval and count could be set.
 */
export function enableKeepAlive(socket: Socket, options: SocketOptions = {}): boolean {
  const idle = options.keepAliveIdleMs ?? DEFAULT_SOCKET_OPTIONS.keepAliveIdleMs;
  const interval = options.keepAliveIntervalMs ?? DEFAULT_SOCKET_OPTIONS.keepAliveIntervalMs;
  const count = options.keepAliveCount ?? DEFAULT_SOCKET_OPTIONS.keepAliveCount;
  if (socket.setKeepAlive.length >= 4) {
    (socket.setKeepAlive as unknown as SetKeepAliveWithProbes).call(socket, true, idle, interval, count);
    return true;
  }
  socket.setKeepAlive(true, idle);
  return false;
}

/** Size of the buffer a session socket reads into and reuses. */
const READ_BUFFER_BYTES = 256 * 1024;

/**
 * Receives the bytes of each socket read. The buffer is reused by the next read: anything
 * kept beyond the call must be copied.
 */
export type ReadHandler = (bytes: Buffer) => void;

/**
 * Opens a socket to a hyperd endpoint: TCP with TCP_NODELAY and keepalive, or a Unix
 * domain socket. Rejects with `TimeoutError` after `connectTimeoutMs` and with
 * `ConnectionFailedError` when the endpoint refuses or cannot be reached.
 *
 * With `onRead`, the socket reads into one reused buffer and hands each read to it (no
 * `data` events, no buffer allocated per read: less garbage on long scans).
 */
export function connectSocket(
  endpoint: Endpoint,
  options: SocketOptions = {},
  onRead?: ReadHandler,
): Promise<Socket> {
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_SOCKET_OPTIONS.connectTimeoutMs;
  return new Promise((resolve, reject) => {
    const onread =
      onRead === undefined
        ? undefined
        : {
            buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
            callback: (length: number, buffer: Uint8Array): boolean => {
              onRead(Buffer.from(buffer.buffer, buffer.byteOffset, length));
              return true; // pausing is the consumer's call, through socket.pause()
            },
          };
    const socket =
      endpoint.kind === "tcp"
        ? connect({ host: endpoint.host, port: endpoint.port, noDelay: true, ...(onread ? { onread } : {}) })
        : connect({ path: endpoint.path, ...(onread ? { onread } : {}) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TimeoutError(`connecting to ${formatEndpoint(endpoint)} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onError = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(
        new ConnectionFailedError(`cannot connect to ${formatEndpoint(endpoint)}: ${error.message}`, {
          cause: error,
        }),
      );
    };
    socket.once("error", onError);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.off("error", onError);
      if (endpoint.kind === "tcp") {
        socket.setNoDelay(true);
        enableKeepAlive(socket, options);
      }
      resolve(socket);
    });
  });
}
