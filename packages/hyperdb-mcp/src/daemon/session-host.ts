/**
 * MCP sessions hosted in the daemon, for the stdio relay.
 *
 * A client's `hyperdb-mcp` process that finds a running daemon of its own version does not load
 * the server: it connects to this Unix socket, sends its hello (relay-protocol.ts) and relays
 * stdio to the socket. The daemon serves the session as the process would have: the same server
 * (createServer), a session engine of its own (a local database in a private temp folder, a
 * small pool of connections) on the daemon's hyperd, the configuration resolved from the
 * relay's arguments, environment and working directory. A session ends when its socket closes;
 * its engine is closed then, which deletes the local database.
 *
 * The host keeps one engine started ahead (a connection open, the local database created) for
 * the next session, with the persistent database the last session had (first: the one of the
 * daemon's own environment), and the MCP server built for the last session's configuration. A
 * session that fits takes the engine, so its first SQL call finds hyperd ready (the idle
 * connection is checked during the handshake), and the server when its configuration is the
 * same; any other session's engine starts while the client is still in the handshake. The next
 * spare is started when the session ends, or half a second after it began, so that it does not
 * compete with the session's first call.
 *
 * The socket lives in the daemon's private socket folder (mode 0700): only the user reaches it.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { McpServer } from "@modelcontextprotocol/server";
import { StdioServerTransport, serveStdio } from "@modelcontextprotocol/server/stdio";
import { parseArgs } from "../cli/parse-args.ts";
import { processEnvironment, resolveServerConfig } from "../config/resolve-config.ts";
import { type ServerConfig, sessionPersistentPath } from "../config/server-config.ts";
import type { HyperdSource } from "../engine/hyperd-source.ts";
import { SESSION_DIR_PREFIX, SessionEngine } from "../engine/session-engine.ts";
import { errorMessage } from "../error-message.ts";
import {
  MAX_HELLO_BYTES,
  parseRelayHello,
  type RelayHello,
  type RelayReply,
} from "../relay/relay-protocol.ts";
import { createServer } from "../server/create-server.ts";
import { MAX_CLIENT_MESSAGE_BYTES } from "../server/run-stdio.ts";
import type { LogLine } from "./daemon-log.ts";
import { isProcessAlive } from "./process-alive.ts";
import { homedirOf } from "./state-dir-location.ts";

/** How long a new connection may take to send its hello. */
const HELLO_TIMEOUT_MS = 5_000;

/**
 * How long after a session took the engine started ahead the next one is started, unless the
 * session ends sooner: not at once, where its connection and local database would compete with
 * the new session's handshake and first call for the daemon, hyperd and the machine's cores.
 */
const NEXT_SPARE_DELAY_MS = 500;

/** Options of {@link startSessionHost}. */
export interface SessionHostOptions {
  /** Path of the Unix socket to listen on (replaced when it exists). */
  readonly socketPath: string;
  /** This daemon's version: only relays of the same version are served. */
  readonly version: string;
  /** This daemon's state directory: a relay that resolves another one is refused. */
  readonly stateDir: string;
  /** The daemon's hyperd, shared by every hosted session. */
  readonly source: HyperdSource;
  readonly log: LogLine;
}

/** The listening session host. */
export interface SessionHost {
  readonly socketPath: string;
  /** Sessions connected right now. */
  sessionCount(): number;
  /** Stops listening and ends every session (closing its engine). */
  close(): Promise<void>;
}

/**
 * An engine started ahead of the session that will use it and, when the configuration of that
 * session can be guessed (the one of the session before), its MCP server built ahead too.
 */
interface SpareEngine {
  readonly engine: SessionEngine;
  /** Redirects the engine's and the server's log lines to the session that takes them. */
  logTo(log: LogLine): void;
  /** The server built ahead, once, when it was built for exactly `config`. */
  takeServer(config: ServerConfig): McpServer | undefined;
}

/** What a new session is served with. */
interface SessionParts {
  readonly engine: SessionEngine;
  readonly server: McpServer | undefined;
}

/** One hosted session. */
interface HostedSession {
  readonly id: string;
  close(): Promise<void>;
}

/** Listens on {@link SessionHostOptions.socketPath} and serves relays until closed. */
export async function startSessionHost(options: SessionHostOptions): Promise<SessionHost> {
  const sessions = new Set<HostedSession>();
  let spare: SpareEngine | undefined;
  let nextSpare: { readonly config: ServerConfig; readonly timer: NodeJS.Timeout } | undefined;
  let closed = false;
  const prepareSpare = (persistentPath: string | null, config?: ServerConfig): void => {
    clearTimeout(nextSpare?.timer);
    nextSpare = undefined;
    // A spare of another persistent database, left by a session that did not fit it, goes.
    void spare?.engine.close().catch(() => undefined);
    spare = closed ? undefined : startSpareEngine(options, persistentPath, config);
  };
  const prepareNextSpareNow = (): void => {
    if (nextSpare !== undefined) prepareSpare(sessionPersistentPath(nextSpare.config), nextSpare.config);
  };
  const partsFor = (config: ServerConfig, log: LogLine): SessionParts => {
    const persistentPath = sessionPersistentPath(config);
    const fitting = spare?.engine.persistentPath === persistentPath ? spare : undefined;
    const started = fitting ?? startSpareEngine(options, persistentPath);
    if (fitting !== undefined) {
      spare = undefined;
      fitting.engine.refresh();
    }
    // The next session most likely comes from the same client configuration.
    clearTimeout(nextSpare?.timer);
    const timer = setTimeout(prepareNextSpareNow, NEXT_SPARE_DELAY_MS);
    timer.unref();
    nextSpare = { config, timer };
    started.logTo(log);
    return { engine: started.engine, server: started.takeServer(config) };
  };
  await rm(options.socketPath, { force: true });
  void removeOrphanedSessionDirs(options.log);
  const server: Server = createNetServer((socket) => {
    readHello(socket)
      .then((hello) => {
        const admitted = typeof hello === "string" ? hello : admit(hello, options);
        if (typeof admitted === "string") {
          options.log(`refused a relayed session: ${admitted}`);
          reply(socket, { ok: false, reason: admitted });
          socket.end();
          return;
        }
        const session = hostSession(socket, admitted, options, partsFor, () => {
          sessions.delete(session);
          prepareNextSpareNow();
        });
        sessions.add(session);
      })
      .catch((error: unknown) => {
        options.log(`a relayed session failed to open: ${errorMessage(error)}`);
        socket.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (error) => options.log(`session socket: ${errorMessage(error)}`));
  prepareSpare(defaultPersistentPath());
  return {
    socketPath: options.socketPath,
    sessionCount: () => sessions.size,
    close: async () => {
      closed = true;
      clearTimeout(nextSpare?.timer);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([
        ...[...sessions].map((session) => session.close()),
        spare?.engine.close().catch(() => undefined),
      ]);
      await stopped;
      await rm(options.socketPath, { force: true });
    },
  };
}

/**
 * Deletes the session folders (`hyperdb-mcp-<pid>-*` in the temp folder) of processes that no
 * longer run: what a killed server or daemon could not clean up. Folders of other users stay.
 */
async function removeOrphanedSessionDirs(log: LogLine): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names) {
    const pid = name.startsWith(SESSION_DIR_PREFIX)
      ? /^(\d+)-/.exec(name.slice(SESSION_DIR_PREFIX.length))?.[1]
      : undefined;
    if (pid === undefined || isProcessAlive(Number(pid))) continue;
    await rm(join(tmpdir(), name), { recursive: true, force: true })
      .then(() => log(`removed the session folder of ended process ${pid}: ${name}`))
      .catch(() => undefined);
  }
}

function reply(socket: Socket, message: RelayReply): void {
  socket.write(`${JSON.stringify(message)}\n`);
}

/** Reads the hello line; leaves whatever followed it unread on the (paused) socket. */
function readHello(socket: Socket): Promise<RelayHello | string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => finish(new Error("no hello within the deadline")), HELLO_TIMEOUT_MS);
    const finish = (outcome: RelayHello | string | Error): void => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("error", onEnd);
      socket.off("end", onEnd);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onEnd = (): void => finish(new Error("the relay left before its hello"));
    const onData = (chunk: Buffer): void => {
      const newline = chunk.indexOf(0x0a);
      if (newline < 0) {
        chunks.push(chunk);
        size += chunk.length;
        if (size > MAX_HELLO_BYTES) finish("the hello is too long");
        return;
      }
      socket.pause();
      chunks.push(chunk.subarray(0, newline));
      const rest = chunk.subarray(newline + 1);
      if (rest.length > 0) socket.unshift(rest);
      finish(parseRelayHello(Buffer.concat(chunks).toString("utf8")));
    };
    socket.on("data", onData);
    socket.on("error", onEnd);
    socket.on("end", onEnd);
  });
}

/** The session's configuration when the daemon hosts it, else why it will not. */
function admit(hello: RelayHello, options: SessionHostOptions): ServerConfig | string {
  if (hello.version !== options.version) {
    return `the daemon runs version ${options.version}, the relay ${hello.version}`;
  }
  const parsed = parseArgs(hello.argv);
  if (!parsed.ok || parsed.command.kind !== "serve" || parsed.flags.noDaemon) {
    return "only the stdio server in daemon mode is hosted";
  }
  let config: ServerConfig;
  try {
    config = resolveServerConfig(parsed.flags, {
      env: hello.env,
      homedir: homedirOf(hello.env),
      platform: process.platform,
      cwd: hello.cwd,
    });
  } catch (error) {
    return errorMessage(error);
  }
  if (config.stateDir !== options.stateDir) {
    return `the relay's state directory is ${config.stateDir}, the daemon's ${options.stateDir}`;
  }
  return config;
}

/** The persistent database a session of the daemon's own environment would have. */
function defaultPersistentPath(): string | null {
  const config = resolveServerConfig(
    {
      persistentDb: undefined,
      ephemeralOnly: false,
      readOnly: false,
      noDaemon: false,
      usedWorkspaceAlias: false,
    },
    processEnvironment(),
  );
  return config.persistentPath;
}

/** Whether two resolved configurations are the same (they are plain data). */
function sameConfig(a: ServerConfig, b: ServerConfig): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A session engine, started now (for the next session, or for one that no spare fits), with its
 * server built for `config` when given.
 */
function startSpareEngine(
  options: SessionHostOptions,
  persistentPath: string | null,
  config?: ServerConfig,
): SpareEngine {
  let log: LogLine = options.log;
  const relayedLog: LogLine = (line) => log(line);
  const engine = new SessionEngine({ source: options.source, persistentPath, log: relayedLog });
  engine.start().catch((error: unknown) => log(`starting the engine: ${errorMessage(error)}`));
  let server =
    config === undefined ? undefined : createServer({ engine, config, log: relayedLog, hosted: true });
  return {
    engine,
    logTo: (sessionLog) => {
      log = sessionLog;
    },
    takeServer: (sessionConfig) => {
      const built = config !== undefined && sameConfig(config, sessionConfig) ? server : undefined;
      server = undefined;
      return built;
    },
  };
}

function hostSession(
  socket: Socket,
  config: ServerConfig,
  options: SessionHostOptions,
  partsFor: (config: ServerConfig, log: LogLine) => SessionParts,
  onClosed: () => void,
): HostedSession {
  const id = randomUUID();
  const log = (line: string): void => options.log(`[session ${id.slice(0, 8)}] ${line}`);
  const parts = partsFor(config, log);
  const { engine } = parts;
  let builtAhead = parts.server;
  const transport = new StdioServerTransport(socket, socket, { maxBufferSize: MAX_CLIENT_MESSAGE_BYTES });
  reply(socket, { ok: true, session: id });
  // The SDK asks for a server per protocol era it settles on; the one built ahead serves the first.
  const serverForEra = (): McpServer => {
    const server = builtAhead ?? createServer({ engine, config, log, hosted: true });
    builtAhead = undefined;
    return server;
  };
  const connection = serveStdio(serverForEra, {
    transport,
    onerror: (error) => log(`MCP transport: ${error.message}`),
  });
  socket.on("error", () => undefined);
  socket.resume();
  log(builtAhead === undefined ? "session opened" : "session opened (its server was built ahead)");

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await connection.close().catch(() => undefined);
      await engine
        .close()
        .catch((error: unknown) => log(`closing the engine failed: ${errorMessage(error)}`));
      socket.destroy();
      onClosed();
      log("session closed");
    })();
    return closing;
  };
  const closeConnection = transport.onclose;
  transport.onclose = () => {
    closeConnection?.();
    void close();
  };
  return { id, close };
}
