import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { InvalidArgumentError, TimeoutError } from "@hyperdb-ts/hyperdb-api-core/errors";
import { type CallbackConnection, CallbackListener } from "./callback-listener.ts";
import { HyperdStartError } from "./errors.ts";
import { buildHyperdArguments, type HyperdParameterValue } from "./hyperd-arguments.ts";
import { domainSocketDescriptor, type HyperdEndpoint, parseEndpointDescriptor } from "./hyperd-endpoint.ts";
import { readLogTail } from "./log-tail.ts";
import { resolveHyperdPath } from "./resolve-hyperd.ts";
import { type HyperdExitStatus, type SpawnedHyperd, spawnHyperd } from "./spawn-hyperd.ts";

/** Options of {@link HyperProcess.start}. */
export interface HyperProcessOptions {
  /**
   * Path to the hyperd executable (or a directory containing it). When omitted it is looked
   * up with {@link resolveHyperdPath}: `HYPERD_PATH`, the platform npm package, `.hyperd/current`.
   * @default undefined
   */
  readonly hyperdPath?: string | undefined;
  /**
   * What hyperd listens on: `"tcp"` (an ephemeral port on localhost), `"unix"` (a Unix domain
   * socket named `hyper` in {@link socketDirectory}) or `"tcp+unix"` (both at once: the TCP port
   * is the reported {@link HyperProcess.endpoint}, the socket is {@link HyperProcess.unixSocketPath}).
   * `"unix"` and `"tcp+unix"` are not available on Windows.
   * @default "tcp"
   */
  readonly listen?: "tcp" | "unix" | "tcp+unix" | undefined;
  /**
   * Directory for the Unix domain socket when `listen` is `"unix"` or `"tcp+unix"`. Keep it
   * short: socket paths are limited to about 100 bytes. A directory created by default is
   * removed on {@link HyperProcess.close}.
   * @default a fresh directory under os.tmpdir()
   */
  readonly socketDirectory?: string | undefined;
  /**
   * Directory for `hyperd.log` (JSON lines) and `hyperd-console.log` (what hyperd printed).
   * Created if missing; a directory given here is never removed. Without it, a fresh
   * directory under the OS temp folder is used and removed by `close()` (it is kept when
   * hyperd fails to start, and the error names it); pass a directory to keep the logs.
   * @default a fresh directory under os.tmpdir(), removed on close
   */
  readonly logDir?: string | undefined;
  /**
   * Storage format version of databases hyperd creates. Version 4 is needed for `REAL`
   * (32-bit float) columns — version 3 rejects `CREATE TABLE t (x REAL)` — while 128-bit
   * `NUMERIC` works in both; older Hyper versions cannot open version-4 files.
   * @default 4
   */
  readonly defaultDatabaseVersion?: number | undefined;
  /**
   * Extra hyperd settings, keys in `snake_case` or `kebab-case`, e.g. `{ log_connection: true }`.
   * Each becomes `--key-with-dashes=value`; an empty string gives a bare `--key`. A key hyperd
   * gets by default (e.g. `date_style`, `listen_connection`) replaces the default value.
   * `callback_connection` and `log_dir` cannot be set here. Unknown settings make hyperd
   * exit at startup.
   * @default {}
   */
  readonly parameters?: Readonly<Record<string, HyperdParameterValue>> | undefined;
  /**
   * How long hyperd may take to report its endpoint before it is killed and
   * {@link TimeoutError} is thrown, in milliseconds.
   * @default 30000
   */
  readonly startupTimeoutMs?: number | undefined;
  /**
   * How long {@link HyperProcess.close} waits for hyperd to shut down by itself before it sends
   * SIGTERM (then SIGKILL one second later), in milliseconds.
   * @default 5000
   */
  readonly shutdownTimeoutMs?: number | undefined;
  /**
   * Password of the login user (`tableau_internal_user`). When set, hyperd requires it
   * (SCRAM-SHA-256) from every connection; otherwise local logins are trusted.
   */
  readonly password?: string | undefined;
  /**
   * Environment of the hyperd process; `HYPERD_PATH` is also read from here.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv | undefined;
}

interface HyperProcessInit {
  readonly spawned: SpawnedHyperd;
  readonly callback: CallbackConnection;
  readonly endpoint: HyperdEndpoint;
  readonly unixSocketPath: string | null;
  readonly logDir: string;
  /** True when `start` created the log directory (removed again by `close`). */
  readonly ownsLogDir: boolean;
  readonly ownedSocketDirectory: string | undefined;
  readonly shutdownTimeoutMs: number;
}

const consoleLogName = "hyperd-console.log";
/** File name of hyperd's Unix domain socket inside the socket directory. */
const socketName = "hyper";
const killGraceMs = 1000;

/**
 * A hyperd server process owned by this process.
 *
 * hyperd is tied to its owner through a callback connection: when {@link close} is called —
 * or when the owner dies, even by SIGKILL — the connection closes and hyperd shuts down
 * gracefully. Neither the process nor the connection keeps Node's event loop alive.
 *
 * @example
 * ```ts
 * await using hyperd = await HyperProcess.start();
 * const { host, port } = hyperd.endpoint; // kind "tcp"
 * ```
 */
export class HyperProcess {
  /** Where hyperd accepts PostgreSQL-protocol connections. */
  readonly endpoint: HyperdEndpoint;
  /** The endpoint as hyperd reported it, e.g. `tab.tcp://127.0.0.1:17000`. */
  readonly endpointDescriptor: string;
  /**
   * Path of hyperd's Unix domain socket file (`<socketDirectory>/hyper`) when `listen` is
   * `"unix"` or `"tcp+unix"`; `null` for `"tcp"`. Usable as a connection endpoint. With
   * `"tcp+unix"` it is a second way in besides the TCP {@link endpoint}, e.g. for a health check
   * that must not depend on the network stack.
   */
  readonly unixSocketPath: string | null;
  /** Process id of hyperd. */
  readonly pid: number;
  /** Directory of hyperd's log files. */
  readonly logDir: string;
  /** hyperd's log file (JSON lines), `<logDir>/hyperd.log`. */
  readonly logPath: string;
  /** Resolves when hyperd has exited, for whatever reason; never rejects. */
  readonly exited: Promise<HyperdExitStatus>;
  readonly #child: ChildProcess;
  readonly #callbackSocket: Socket;
  readonly #ownedSocketDirectory: string | undefined;
  readonly #ownsLogDir: boolean;
  readonly #shutdownTimeoutMs: number;
  #exitStatus: HyperdExitStatus | undefined;
  #closing: Promise<void> | undefined;

  private constructor(init: HyperProcessInit) {
    this.endpoint = init.endpoint;
    this.endpointDescriptor = init.callback.descriptor;
    this.unixSocketPath = init.unixSocketPath;
    this.pid = init.spawned.pid;
    this.logDir = init.logDir;
    this.logPath = join(init.logDir, "hyperd.log");
    this.exited = init.spawned.exited;
    this.#child = init.spawned.child;
    this.#callbackSocket = init.callback.socket;
    this.#ownedSocketDirectory = init.ownedSocketDirectory;
    this.#ownsLogDir = init.ownsLogDir;
    this.#shutdownTimeoutMs = init.shutdownTimeoutMs;
    void this.exited.then((status) => {
      this.#exitStatus = status;
    });
  }

  /**
   * Starts hyperd and waits until it accepts connections.
   *
   * @throws {@link HyperdNotFoundError} if no hyperd executable is found.
   * @throws {@link HyperdStartError} if hyperd cannot be spawned or exits during startup; the
   *   message has the exit code and what hyperd printed, `logTail` the end of `hyperd.log`.
   * @throws TimeoutError if hyperd does not report its endpoint within `startupTimeoutMs`
   *   (hyperd is killed; the message has the end of its log).
   * @throws InvalidArgumentError for invalid options.
   */
  static async start(options: HyperProcessOptions = {}): Promise<HyperProcess> {
    const startupTimeoutMs = positiveNumber("startupTimeoutMs", options.startupTimeoutMs, 30_000);
    const shutdownTimeoutMs = positiveNumber("shutdownTimeoutMs", options.shutdownTimeoutMs, 5000);
    const defaultDatabaseVersion = options.defaultDatabaseVersion ?? 4;
    if (!Number.isInteger(defaultDatabaseVersion) || defaultDatabaseVersion < 1) {
      throw new InvalidArgumentError(
        `defaultDatabaseVersion must be a positive integer, got ${String(defaultDatabaseVersion)}`,
      );
    }
    const listen = options.listen ?? "tcp";
    if (listen !== "tcp" && listen !== "unix" && listen !== "tcp+unix") {
      throw new InvalidArgumentError(
        `listen must be "tcp", "unix" or "tcp+unix", got ${JSON.stringify(listen)}`,
      );
    }
    if (listen !== "tcp" && process.platform === "win32") {
      throw new InvalidArgumentError(`listen: ${JSON.stringify(listen)} is not supported on Windows`);
    }
    // Validates `parameters` before any directory or process is created.
    buildHyperdArguments({
      callbackDescriptor: "",
      listenDescriptor: "",
      logDir: "",
      defaultDatabaseVersion,
      parameters: options.parameters,
    });
    const env = options.env ?? process.env;
    const executable = resolveHyperdPath({ explicitPath: options.hyperdPath, env });
    const logDir = await prepareLogDir(options.logDir);

    let ownedSocketDirectory: string | undefined;
    try {
      const tcpDescriptor = "tab.tcp://localhost:0";
      let listenDescriptor = tcpDescriptor;
      let unixSocketPath: string | null = null;
      if (listen !== "tcp") {
        let socketDirectory = options.socketDirectory;
        if (socketDirectory === undefined) {
          ownedSocketDirectory = await mkdtemp(join(tmpdir(), "hyperd-sock-"));
          socketDirectory = ownedSocketDirectory;
        }
        const directory = resolve(socketDirectory);
        const domainDescriptor = domainSocketDescriptor(directory, socketName);
        unixSocketPath = join(directory, socketName);
        // hyperd listens on every descriptor of the comma-separated list and reports the first.
        listenDescriptor = listen === "unix" ? domainDescriptor : `${tcpDescriptor},${domainDescriptor}`;
      }

      const listener = await CallbackListener.open();
      try {
        const args = buildHyperdArguments({
          callbackDescriptor: listener.descriptor,
          listenDescriptor,
          logDir,
          defaultDatabaseVersion,
          parameters: options.parameters,
          requirePassword: options.password !== undefined,
        });
        const spawned = await spawnHyperd({
          executable,
          args,
          env,
          consoleLogPath: join(logDir, consoleLogName),
          password: options.password,
        });
        const { callback, endpoint } = await waitForEndpoint(listener, spawned, {
          executable,
          logDir,
          startupTimeoutMs,
        });
        return new HyperProcess({
          spawned,
          callback,
          endpoint,
          unixSocketPath,
          logDir,
          ownsLogDir: options.logDir === undefined,
          ownedSocketDirectory,
          shutdownTimeoutMs,
        });
      } finally {
        listener.close();
      }
    } catch (error) {
      if (ownedSocketDirectory !== undefined) {
        await rm(ownedSocketDirectory, { recursive: true, force: true });
      }
      throw error;
    }
  }

  /** Whether hyperd has exited (after {@link close}, or on its own). */
  get hasExited(): boolean {
    return this.#exitStatus !== undefined;
  }

  /**
   * Shuts hyperd down and waits until it has exited: closes the callback connection (hyperd
   * then stops gracefully), after `shutdownTimeoutMs` sends SIGTERM, one second later SIGKILL.
   * Removes the socket directory if it was created by {@link start}. Idempotent; never throws.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  /** Same as {@link close}; for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #shutdown(): Promise<void> {
    this.#callbackSocket.destroy();
    await stopProcess(this.#child, this.exited, this.#shutdownTimeoutMs);
    if (this.#ownedSocketDirectory !== undefined) {
      await rm(this.#ownedSocketDirectory, { recursive: true, force: true }).catch(() => undefined);
    }
    // A log directory this class made up would otherwise pile up in the temp folder.
    if (this.#ownsLogDir) await rm(this.logDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

interface StartupContext {
  readonly executable: string;
  readonly logDir: string;
  readonly startupTimeoutMs: number;
}

type StartupOutcome =
  | { readonly kind: "ready"; readonly callback: CallbackConnection }
  | { readonly kind: "callback-failed"; readonly error: unknown }
  | { readonly kind: "exited"; readonly status: HyperdExitStatus }
  | { readonly kind: "timeout" };

async function waitForEndpoint(
  listener: CallbackListener,
  spawned: SpawnedHyperd,
  context: StartupContext,
): Promise<{ callback: CallbackConnection; endpoint: HyperdEndpoint }> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race<StartupOutcome>([
    listener.connection.then(
      (callback) => ({ kind: "ready", callback }),
      (error: unknown) => ({ kind: "callback-failed", error }),
    ),
    spawned.exited.then((status) => ({ kind: "exited", status })),
    new Promise<StartupOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: "timeout" }), context.startupTimeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));

  switch (outcome.kind) {
    case "ready": {
      const endpoint = parseEndpointDescriptor(outcome.callback.descriptor);
      if (endpoint !== undefined) {
        return { callback: outcome.callback, endpoint };
      }
      outcome.callback.socket.destroy();
      await stopProcess(spawned.child, spawned.exited, killGraceMs);
      const report = await describeFailure(
        `hyperd (${context.executable}) reported an endpoint this library does not understand: ` +
          JSON.stringify(outcome.callback.descriptor),
        context.logDir,
      );
      throw new HyperdStartError(report.message, { logTail: report.logTail });
    }
    case "callback-failed": {
      // hyperd usually exits right after dropping the connection; report how it ended.
      const status = await settleWithin(spawned.exited, killGraceMs);
      if (status === undefined) {
        await stopProcess(spawned.child, spawned.exited, 0);
      }
      const report = await describeFailure(
        `hyperd (${context.executable}) failed during startup${status === undefined ? "" : ` and ${describeExit(status)}`}`,
        context.logDir,
      );
      throw new HyperdStartError(report.message, { logTail: report.logTail, cause: outcome.error });
    }
    case "exited": {
      const report = await describeFailure(
        `hyperd (${context.executable}) ${describeExit(outcome.status)} during startup`,
        context.logDir,
      );
      throw new HyperdStartError(report.message, { logTail: report.logTail });
    }
    case "timeout": {
      await stopProcess(spawned.child, spawned.exited, 0);
      const report = await describeFailure(
        `hyperd (${context.executable}, pid ${spawned.pid}) did not report its endpoint within ` +
          `${context.startupTimeoutMs} ms and was killed`,
        context.logDir,
      );
      throw new TimeoutError(report.message);
    }
  }
}

/**
 * Waits up to `graceMs` for the process to exit by itself, then sends SIGTERM, then SIGKILL.
 * Gives up waiting a while after SIGKILL (a process stuck in the kernel cannot be reaped).
 */
async function stopProcess(
  child: ChildProcess,
  exited: Promise<HyperdExitStatus>,
  graceMs: number,
): Promise<void> {
  if (graceMs > 0 && (await settleWithin(exited, graceMs)) !== undefined) {
    return;
  }
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    if (child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    child.kill(signal);
    if ((await settleWithin(exited, signal === "SIGTERM" ? killGraceMs : 5 * killGraceMs)) !== undefined) {
      return;
    }
  }
}

async function settleWithin<T>(promise: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

function describeExit(status: HyperdExitStatus): string {
  return status.signal !== null
    ? `was killed by ${status.signal}`
    : `exited with code ${String(status.code)}`;
}

const maxMessageLineLength = 400;

/** Builds an error message with what hyperd printed and the end of its log. */
async function describeFailure(
  headline: string,
  logDir: string,
): Promise<{ message: string; logTail: string }> {
  const logPath = join(logDir, "hyperd.log");
  const [consoleOutput, logTail] = await Promise.all([
    readLogTail(join(logDir, consoleLogName), { maxLines: 20, maxBytes: 8192 }),
    readLogTail(logPath),
  ]);
  const parts = [`${headline}.`];
  if (consoleOutput !== "") {
    parts.push(`hyperd printed:\n${indent(consoleOutput)}`);
  }
  parts.push(
    logTail === "" ? `No log was written to ${logPath}.` : `Last lines of ${logPath}:\n${indent(logTail)}`,
  );
  return { message: parts.join("\n"), logTail };
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) =>
      line.length > maxMessageLineLength ? `  ${line.slice(0, maxMessageLineLength)}…` : `  ${line}`,
    )
    .join("\n");
}

async function prepareLogDir(logDir: string | undefined): Promise<string> {
  try {
    if (logDir === undefined) {
      return await mkdtemp(join(tmpdir(), "hyperd-"));
    }
    const absolute = resolve(logDir);
    await mkdir(absolute, { recursive: true });
    return absolute;
  } catch (error) {
    throw new HyperdStartError(
      `cannot create the hyperd log directory ${logDir ?? tmpdir()}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

function positiveNumber(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`${name} must be a positive number of milliseconds, got ${String(value)}`);
  }
  return value;
}
