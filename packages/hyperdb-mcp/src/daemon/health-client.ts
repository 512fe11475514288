/**
 * The front-process side of the health-port protocol: sending commands and classifying ports.
 *
 * @module
 */
import { connect, type Socket } from "node:net";
import {
  ConnectionClosedError,
  ConnectionFailedError,
  InvalidArgumentError,
  ProtocolError,
  TimeoutError,
} from "@hyperdb-ts/hyperdb-api/errors";
import { errorMessage } from "../error-message.ts";
import { type DaemonInfo, isPort, parseDaemonInfoJson } from "./daemon-info.ts";
import { HealthCommand, type HealthCommandName, parsePong } from "./health-protocol.ts";

/** Timeouts and address of a health-port exchange. */
export interface HealthClientOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Time allowed to establish the TCP connection; default 2000 ms. */
  readonly connectTimeoutMs?: number;
  /** Time allowed for each reply line; default 5000 ms. */
  readonly readTimeoutMs?: number;
}

/** Timeout of each step of an identity probe (connect, PING reply, STATUS reply). */
export const PROBE_TIMEOUT_MS = 300;

/** Longest reply line accepted; STATUS JSON is far shorter. */
const MAX_REPLY_BYTES = 64 * 1024;

/**
 * One open connection to a health port, for sending several commands in sequence.
 * Obtain it with {@link openHealthSession}; always {@link HealthSession.close} it.
 */
export interface HealthSession extends Disposable {
  /**
   * Sends one command and resolves with its reply line (without the line terminator).
   *
   * @throws TimeoutError when no full reply line arrives within the read timeout.
   * @throws ConnectionClosedError when the peer closes before replying.
   * @throws ProtocolError when the reply line is absurdly long.
   */
  send(command: HealthCommandName | (string & {})): Promise<string>;
  /** Closes the connection. Idempotent. */
  close(): void;
}

/**
 * Connects to a health port.
 *
 * @throws ConnectionFailedError when the connection cannot be made; its `cause` is the
 *   underlying Node error (`ECONNREFUSED` means nothing listens: see {@link isConnectionRefused}).
 * @throws TimeoutError when connecting takes longer than `connectTimeoutMs`.
 */
export async function openHealthSession(
  port: number,
  options: HealthClientOptions = {},
): Promise<HealthSession> {
  const host = options.host ?? "127.0.0.1";
  const connectTimeoutMs = options.connectTimeoutMs ?? 2000;
  const readTimeoutMs = options.readTimeoutMs ?? 5000;
  if (!isPort(port)) {
    throw new InvalidArgumentError(`health port must be an integer in 1..65535, got ${port}`);
  }
  checkTimeout("connectTimeoutMs", connectTimeoutMs);
  checkTimeout("readTimeoutMs", readTimeoutMs);
  const socket = await connectSocket(host, port, connectTimeoutMs);
  return new LineSession(socket, `${host}:${port}`, readTimeoutMs);
}

/**
 * Sends a single command on a fresh connection and returns the reply line.
 * Errors are those of {@link openHealthSession} and {@link HealthSession.send}.
 */
export async function sendCommand(
  port: number,
  command: HealthCommandName | (string & {}),
  options: HealthClientOptions = {},
): Promise<string> {
  using session = await openHealthSession(port, options);
  return await session.send(command);
}

/** Whether `error` (from this module) means the port refused the connection, i.e. is free. */
export function isConnectionRefused(error: unknown): boolean {
  return (
    error instanceof ConnectionFailedError &&
    (error.cause as NodeJS.ErrnoException | undefined)?.code === "ECONNREFUSED"
  );
}

/** Classification of one port. */
export type PortStatus = "ours" | "foreign" | "free";

/** Detailed result of {@link inspectPort}. */
export type PortInspection =
  | { readonly kind: "ours"; readonly port: number; readonly info: DaemonInfo; readonly version: string }
  | { readonly kind: "foreign"; readonly port: number; readonly reason: string }
  | { readonly kind: "free"; readonly port: number };

/** Options of {@link probePort} and {@link inspectPort}. */
export interface ProbeOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Timeout of connect and of each reply; default {@link PROBE_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/**
 * Classifies a port: `ours` when it answers PING with our identity AND its STATUS parses as a
 * DaemonInfo; `free` when the connection is refused; `foreign` for everything else (a different
 * program, the upstream daemon, a timeout, a bad STATUS). Never throws for network outcomes.
 */
export async function inspectPort(port: number, options: ProbeOptions = {}): Promise<PortInspection> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const clientOptions: HealthClientOptions = {
    ...(options.host === undefined ? {} : { host: options.host }),
    connectTimeoutMs: timeoutMs,
    readTimeoutMs: timeoutMs,
  };
  let session: HealthSession;
  try {
    session = await openHealthSession(port, clientOptions);
  } catch (error) {
    if (isConnectionRefused(error)) {
      return { kind: "free", port };
    }
    if (error instanceof InvalidArgumentError) {
      throw error;
    }
    return { kind: "foreign", port, reason: `connect failed: ${errorMessage(error)}` };
  }
  try {
    const pong = parsePong(await session.send(HealthCommand.ping));
    if (pong === undefined) {
      return { kind: "foreign", port, reason: "PING reply does not carry our identity" };
    }
    const info = parseDaemonInfoJson(await session.send(HealthCommand.status));
    if (info === undefined) {
      return { kind: "foreign", port, reason: "STATUS reply is not a valid daemon info" };
    }
    return { kind: "ours", port, info, version: pong.version };
  } catch (error) {
    return { kind: "foreign", port, reason: errorMessage(error) };
  } finally {
    session.close();
  }
}

/** {@link inspectPort}, reduced to its classification. */
export async function probePort(port: number, options: ProbeOptions = {}): Promise<PortStatus> {
  return (await inspectPort(port, options)).kind;
}

function checkTimeout(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new InvalidArgumentError(`${name} must be a positive number of milliseconds, got ${value}`);
  }
}

function connectSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TimeoutError(`connecting to health port ${host}:${port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.off("error", onError);
      resolve(socket);
    });
    const onError = (error: Error): void => {
      clearTimeout(timer);
      reject(
        new ConnectionFailedError(`cannot connect to health port ${host}:${port}: ${error.message}`, {
          cause: error,
        }),
      );
    };
    socket.once("error", onError);
  });
}

/** A connected socket read line by line, one pending command at a time. */
class LineSession implements HealthSession {
  readonly #socket: Socket;
  readonly #peer: string;
  readonly #readTimeoutMs: number;
  #buffered = "";
  #lines: string[] = [];
  #ended: Error | undefined;
  #waiter: (() => void) | undefined;
  #busy: Promise<unknown> = Promise.resolve();

  constructor(socket: Socket, peer: string, readTimeoutMs: number) {
    this.#socket = socket;
    this.#peer = peer;
    this.#readTimeoutMs = readTimeoutMs;
    socket.setEncoding("utf8");
    socket.setNoDelay(true);
    socket.on("data", (chunk: string) => this.#onData(chunk));
    socket.on("end", () =>
      this.#finish(new ConnectionClosedError(`health port ${peer} closed the connection`)),
    );
    socket.on("close", () =>
      this.#finish(new ConnectionClosedError(`health port ${peer} closed the connection`)),
    );
    socket.on("error", (error) =>
      this.#finish(
        new ConnectionClosedError(`health port ${peer} connection failed: ${error.message}`, {
          cause: error,
        }),
      ),
    );
  }

  send(command: string): Promise<string> {
    if (/[\r\n]/.test(command)) {
      return Promise.reject(new InvalidArgumentError("a health command must be a single line"));
    }
    const result = this.#busy.then(
      () => this.#exchange(command),
      () => this.#exchange(command),
    );
    this.#busy = result.catch(() => {});
    return result;
  }

  close(): void {
    this.#finish(new ConnectionClosedError(`health session to ${this.#peer} was closed`));
    this.#socket.destroy();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  async #exchange(command: string): Promise<string> {
    if (this.#ended !== undefined) {
      throw this.#ended;
    }
    this.#socket.write(`${command}\n`);
    return await this.#nextLine(command);
  }

  #nextLine(command: string): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const settle = (): boolean => {
        const line = this.#lines.shift();
        if (line !== undefined) {
          resolve(line);
          return true;
        }
        if (this.#ended !== undefined) {
          reject(this.#ended);
          return true;
        }
        return false;
      };
      if (settle()) {
        return;
      }
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        const error = new TimeoutError(
          `no reply to ${command} from health port ${this.#peer} within ${this.#readTimeoutMs} ms`,
        );
        this.#finish(error);
        this.#socket.destroy();
        reject(error);
      }, this.#readTimeoutMs);
      this.#waiter = () => {
        if (settle()) {
          clearTimeout(timer);
          this.#waiter = undefined;
        }
      };
    });
  }

  #onData(chunk: string): void {
    this.#buffered += chunk;
    let newline = this.#buffered.indexOf("\n");
    while (newline !== -1) {
      const line = this.#buffered.slice(0, newline);
      this.#lines.push(line.endsWith("\r") ? line.slice(0, -1) : line);
      this.#buffered = this.#buffered.slice(newline + 1);
      newline = this.#buffered.indexOf("\n");
    }
    if (this.#buffered.length > MAX_REPLY_BYTES) {
      this.#finish(new ProtocolError(`health port ${this.#peer} sent an over-long reply line`));
      this.#socket.destroy();
    }
    this.#waiter?.();
  }

  #finish(error: Error): void {
    this.#ended ??= error;
    this.#waiter?.();
  }
}
