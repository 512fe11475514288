/**
 * The stdio relay: how a `hyperdb-mcp` process starts in a few milliseconds when the daemon
 * already runs.
 *
 * Loading the server (the MCP SDK, zod, the tools) costs a Node process about 70 ms, and a new
 * session then connects to hyperd and creates its local database. The daemon has all of that
 * loaded and hosts sessions on its session socket (session-host.ts). So before loading anything
 * else, the command looks for a daemon of its own version in `daemon.json` and, when one answers
 * the hello, only copies bytes: stdin to the socket, the socket to stdout.
 *
 * Nothing of stdin is read until the daemon has accepted the session, so whenever the relay
 * cannot be had (no daemon, another version, Windows, `--no-daemon`, `HYPERDB_RELAY=0`) the
 * process simply serves the client itself.
 *
 * If the daemon goes away during the session, the client is not left without a server: the
 * relay starts the server in this process, replays the client's `initialize` handshake to it
 * (the answer is not passed on: the client has had one), answers the calls that were in flight
 * with an error that says what happened, and passes everything after that to the new server. The
 * tables of the lost session's local database are gone, as after a crash of hyperd.
 *
 * @module
 */
import type { Socket } from "node:net";
import type { PassThrough, Readable, Writable } from "node:stream";
import { parseArgs } from "../cli/parse-args.ts";
import { parseDaemonInfoJson } from "../daemon/daemon-info.ts";
import { isProcessAlive } from "../daemon/process-alive.ts";
import { DAEMON_FILE_NAME, homedirOf, stateDirLocation } from "../daemon/state-dir-location.ts";
import { packageVersion } from "../server/package-info.ts";
import { parseRelayReply, RELAY_PROTOCOL, type RelayHello } from "./relay-protocol.ts";
import { SessionTranscript } from "./session-transcript.ts";

// Start-up path: builtins come from process.getBuiltinModule, which skips the ES module facade
// an `import` of a builtin builds (a few milliseconds per start on a small machine).
const { readFileSync } = process.getBuiltinModule("node:fs");
const { connect } = process.getBuiltinModule("node:net");
const { join } = process.getBuiltinModule("node:path");
const streams = process.getBuiltinModule("node:stream");

/** Set to `0` to never relay (the process then always runs the server itself). */
export const RELAY_ENV = "HYPERDB_RELAY";

/** How long connecting and the daemon's answer to the hello may take before serving alone. */
const HELLO_DEADLINE_MS = 1_000;
/** How long the daemon may take to close the session after stdin ended. */
const CLOSE_DEADLINE_MS = 5_000;
/** The id the replayed `initialize` is sent with; its answer is dropped. */
const REPLAY_ID = "hyperdb-mcp-relay-replay";

/** Options of {@link relayStdio}. */
export interface RelayOptions {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /**
   * The command's entry script (`process.argv[1]`). A daemon is spawned with the built daemon
   * entry beside this module, or with this script where there is none (see daemon-entry-path.ts).
   */
  readonly entryPath: string;
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly log: (line: string) => void;
}

/**
 * Relays stdio to a daemon that hosts the session. Resolves `true` once the daemon has accepted
 * it (the process then lives on as the relay), `false` when the process must serve the client
 * itself (nothing has been read from stdin then).
 */
export async function relayStdio(options: RelayOptions): Promise<boolean> {
  const target = relayTarget(options);
  if (target.kind === "no-daemon" && options.entryPath !== "") {
    // A cold start: the daemon starts now, while this process loads the server.
    const [{ spawnDaemonEarly }, { daemonEntryPath }] = await Promise.all([
      import("../daemon/early-daemon.ts"),
      import("../daemon/daemon-entry-path.ts"),
    ]);
    await spawnDaemonEarly({
      entryPath: daemonEntryPath(options.entryPath),
      stateDir: target.stateDir,
      env: options.env,
    });
    return false;
  }
  if (target.kind !== "socket") return false;
  const socket = await openSession(target.path, helloOf(options)).catch(() => undefined);
  if (socket === undefined) return false;
  runRelay(socket, options);
  return true;
}

/** What the launcher found: a daemon to relay to, no daemon at all, or neither (serve alone). */
type RelayTarget =
  | { readonly kind: "socket"; readonly path: string }
  | { readonly kind: "no-daemon"; readonly stateDir: string }
  | { readonly kind: "none" };

/** Where this process may relay to, or whether a daemon must be started (see {@link RelayTarget}). */
function relayTarget(options: RelayOptions): RelayTarget {
  if (options.env[RELAY_ENV] === "0") return { kind: "none" };
  const parsed = parseArgs(options.argv);
  if (!parsed.ok || parsed.command.kind !== "serve" || parsed.flags.noDaemon) return { kind: "none" };
  const stateDir = stateDirLocation(options.env, homedirOf(options.env));
  if (stateDir === undefined) return { kind: "none" };
  let text: string;
  try {
    text = readFileSync(join(stateDir, DAEMON_FILE_NAME), "utf8");
  } catch {
    return { kind: "no-daemon", stateDir };
  }
  const info = parseDaemonInfoJson(text);
  if (info !== undefined && !isProcessAlive(info.pid)) return { kind: "no-daemon", stateDir };
  if (
    process.platform === "win32" ||
    info?.version !== packageVersion() ||
    info.session_socket === undefined
  ) {
    return { kind: "none" };
  }
  return { kind: "socket", path: info.session_socket };
}

function helloOf(options: RelayOptions): RelayHello {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) {
    if (value !== undefined) env[key] = value;
  }
  return { relay: RELAY_PROTOCOL, version: packageVersion(), argv: options.argv, env, cwd: options.cwd };
}

/** Connects, sends the hello and resolves with the socket once the daemon accepted. */
function openSession(socketPath: string, hello: RelayHello): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let answer = "";
    const fail = (reason: string): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(reason));
    };
    const timer = setTimeout(() => fail("the daemon did not answer the hello"), HELLO_DEADLINE_MS);
    const onData = (chunk: Buffer): void => {
      answer += chunk.toString("utf8");
      const newline = answer.indexOf("\n");
      if (newline < 0) return;
      const reply = parseRelayReply(answer.slice(0, newline));
      if (reply?.ok !== true) {
        fail(reply === undefined ? "the daemon's answer is not a relay reply" : reply.reason);
        return;
      }
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("error", onError);
      socket.off("close", onClose);
      const rest = answer.slice(newline + 1);
      if (rest.length > 0) socket.unshift(Buffer.from(rest, "utf8"));
      resolve(socket);
    };
    const onError = (error: Error): void => fail(error.message);
    const onClose = (): void => fail("the daemon closed the session socket");
    socket.on("data", onData);
    socket.on("error", onError);
    socket.on("close", onClose);
    socket.write(`${JSON.stringify(hello)}\n`);
  });
}

function runRelay(socket: Socket, options: RelayOptions): void {
  const { stdin, stdout } = options;
  const transcript = new SessionTranscript();
  let stdinEnded = false;
  let lost = false;
  /** Where stdin goes: the socket, or after a loss the in-process server. */
  let sink: Writable = socket;

  stdin.on("data", (chunk: Buffer) => {
    if (!lost) transcript.fromClient(chunk);
    if (!sink.write(chunk)) {
      stdin.pause();
      sink.once("drain", () => stdin.resume());
    }
  });
  stdin.on("end", () => {
    stdinEnded = true;
    sink.end();
    if (!lost) setTimeout(() => process.exit(0), CLOSE_DEADLINE_MS).unref();
  });
  socket.on("data", (chunk: Buffer) => {
    // Passed on first: the transcript's bookkeeping is not on the client's critical path.
    stdout.write(chunk);
    transcript.fromServer(chunk);
  });
  socket.on("error", () => undefined);
  socket.on("close", () => {
    if (stdinEnded) {
      process.exit(0);
    }
    lost = true;
    stdin.pause();
    const input = new streams.PassThrough();
    sink = input;
    takeOver(transcript, input, options)
      .then(() => stdin.resume())
      .catch((error: unknown) => {
        options.log(`cannot serve the session in this process: ${String(error)}`);
        process.exit(1);
      });
  });
}

/**
 * Serves the rest of the session in this process after the daemon went away: answers the calls
 * in flight, replays the handshake into `input` and starts the server on it.
 */
async function takeOver(
  transcript: SessionTranscript,
  input: PassThrough,
  options: RelayOptions,
): Promise<void> {
  const { stdout, log } = options;
  log(
    "the daemon hosting this session went away; serving the session in this process (the tables of its local database are lost)",
  );
  const inFlight = transcript.inFlight();
  const initialize = transcript.initialize;
  const replayInitialize = initialize !== undefined && !inFlight.includes(initialize.idKey);
  for (const idKey of inFlight) {
    if (idKey === initialize?.idKey) continue;
    stdout.write(
      `${JSON.stringify({
        jsonrpc: "2.0",
        id: JSON.parse(idKey) as unknown,
        error: {
          code: -32603,
          message:
            "The hyperdb-mcp daemon that ran this call stopped before it finished. The session goes on in a new server; the tables of its local database are lost. Run the call again.",
        },
      })}\n`,
    );
  }
  if (initialize !== undefined) {
    input.write(
      replayInitialize
        ? `${JSON.stringify({ ...initialize.message, id: REPLAY_ID })}\n`
        : `${initialize.line}\n`,
    );
    if (transcript.initialized !== undefined) input.write(`${transcript.initialized}\n`);
  }
  input.write(transcript.clientPartial());
  const { serveInProcess } = await import("./serve-in-process.ts");
  await serveInProcess(options.argv, input, replayInitialize ? withoutReplayAnswer(stdout) : stdout);
}

/** `stdout` minus the one line answering the replayed `initialize`. */
function withoutReplayAnswer(stdout: Writable): Writable {
  const marker = `"id":"${REPLAY_ID}"`;
  let dropped = false;
  return new streams.Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      const text = typeof chunk === "string" ? chunk : chunk.toString("utf8");
      if (!dropped && text.includes(marker)) {
        dropped = true;
        callback();
        return;
      }
      stdout.write(text, () => callback());
    },
  });
}
