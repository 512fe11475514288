/**
 * The engine of one MCP session (see {@link Engine}): a local database file in a private temp
 * folder and a small pool of connections to the hyperd its {@link HyperdSource} provides.
 *
 * - Nothing starts at construction; the first {@link SessionEngine.use} creates the temp
 *   folder, asks the source for hyperd (starting a private one, or finding or spawning the
 *   daemon) and opens a connection.
 * - Every connection attaches the local database as `scratch` (the first one creates it) and
 *   makes it the primary database. The persistent database is attached as `persistent` only for
 *   the calls that use it (creating the file when missing) and detached when they end: hyperd
 *   writes a database file only when no session has it attached, so a database held only during
 *   calls is on disk whenever no call uses it, and a crash of hyperd loses nothing committed
 *   before. Attaching retries while another session attaches the same file. The client's
 *   attachments (`attach_database`) are held the same way: attached for the calls that name
 *   them, so a reconnect never loses one.
 * - The local database is a file, not a connection: a broken connection is replaced by a new
 *   one that attaches the same file, so the session's tables survive a reconnect.
 * - A tool call that fails because its connection broke triggers a check in the background: a
 *   fresh connection and a `SELECT 1`, together within a deadline. Only when that check fails as well
 *   is hyperd reported unhealthy to the source (one client's dead socket never restarts hyperd).
 * - A new connection that cannot connect reports hyperd unhealthy at once and tries once more
 *   at the hyperd the source recovers to, so the first call after hyperd (or the daemon) died
 *   succeeds instead of failing.
 * - {@link SessionEngine.close} closes the pool (each connection detaches its databases), lets
 *   the source go and deletes the temp folder.
 *
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Connection,
  ConnectionClosedError,
  ConnectionFailedError,
  ConnectionLostError,
  ConnectionPool,
  TimeoutError,
} from "@hyperdb-ts/hyperdb-api";
import { WatchdogProbe } from "../daemon/watchdog-probe.ts";
import { errorMessage } from "../error-message.ts";
import { type AttachRequest, attachForCall, detachAfterCall } from "./attach-for-call.ts";
import { attachWithRetry } from "./attach-with-retry.ts";
import { AttachmentRegistry } from "./attachments.ts";
import {
  type Engine,
  type EngineSnapshot,
  LOCAL_ALIAS,
  PERSISTENT_ALIAS,
  type UseOptions,
} from "./engine.ts";
import type { HyperdSource, HyperdTarget } from "./hyperd-source.ts";

/** Start of the name of every session's temp folder (`<prefix><pid>-<random>`). */
export const SESSION_DIR_PREFIX = "hyperdb-mcp-";

/** Options of {@link SessionEngine}. */
export interface SessionEngineOptions {
  /** Where hyperd comes from. */
  readonly source: HyperdSource;
  /** The persistent database file, `null` for none (`--ephemeral-only`). */
  readonly persistentPath: string | null;
  /** Most connections to hyperd at once. @default 4 */
  readonly maxConnections?: number;
  /** Reported to hyperd as `application_name`. @default "hyperdb-mcp" */
  readonly applicationName?: string;
  /** Lifecycle lines (to stderr in the server). */
  readonly log?: ((line: string) => void) | undefined;
}

const DEFAULT_MAX_CONNECTIONS = 4;
/** Connect timeout for connections to hyperd (it runs on this machine). */
const CONNECT_TIMEOUT_MS = 10_000;
/** How long a tool call waits for a free connection while all are busy. */
const ACQUIRE_TIMEOUT_MS = 120_000;
/** Idle connections are closed after this; the next call opens a fresh one. */
const IDLE_TIMEOUT_MS = 60_000;
/**
 * A connection back in the pool for less than this is lent without a ping: its last call just
 * showed it answering (a closed one is never lent), and a ping costs as much as a short
 * statement, which is what the fast tools (kv_get, kv_set) consist of.
 */
const HEALTH_CHECK_IDLE_MS = 1_000;
/** Deadline of attaching the local database when a connection is set up. */
const SETUP_DEADLINE_MS = 8_000;
/** Deadline of opening a connection, across attempts whose setup stalled. */
const OPEN_DEADLINE_MS = 40_000;
/** Pause before retrying a stalled setup on a fresh connection. */
const STALL_PAUSE_MS = 200;
/** Deadline of the health check after a broken connection (connecting and the probe query together; the daemon's watchdog allows the same). */
const HEALTH_CHECK_DEADLINE_MS = 5_000;

/** The SQL engine of one MCP session. */
export class SessionEngine implements Engine {
  readonly persistentPath: string | null;
  readonly attachments = new AttachmentRegistry();
  readonly #source: HyperdSource;
  readonly #maxConnections: number;
  readonly #applicationName: string;
  readonly #log: (line: string) => void;
  #sessionDir: Promise<string> | undefined;
  #localPath: string | null = null;
  #localCreated: Promise<void> | undefined;
  #pool: ConnectionPool | undefined;
  #checking: Promise<void> | undefined;
  /** A start or refresh under way, which calls wait for (see start and refresh). */
  #workAhead: Promise<void> | undefined;
  #closed = false;
  #localEpoch = 0;

  constructor(options: SessionEngineOptions) {
    this.#source = options.source;
    this.persistentPath = options.persistentPath;
    this.#maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.#applicationName = options.applicationName ?? "hyperdb-mcp";
    this.#log = options.log ?? (() => undefined);
  }

  /** The session's temp folder (created on first use); the private hyperd logs in it. */
  sessionDir(): Promise<string> {
    this.#sessionDir ??= mkdtemp(join(tmpdir(), `${SESSION_DIR_PREFIX}${process.pid}-`)).then((dir) => {
      this.#localPath = join(dir, `${LOCAL_ALIAS}.hyper`);
      return dir;
    });
    return this.#sessionDir;
  }

  get localEpoch(): number {
    return this.#localEpoch;
  }

  /**
   * Opens a connection and creates the local database now, ahead of the first call. A call that
   * comes meanwhile waits for it: opening a second connection beside it would have hyperd create
   * two sessions where a cold start's first call needs one.
   */
  start(): Promise<void> {
    return this.#ahead(this.#use(async () => undefined));
  }

  /**
   * Has the pool check its idle connection now, in the background, so that the first call of a
   * session taking an engine that was started ahead finds it checked instead of checking it
   * then (a round trip to hyperd). Calls wait for a refresh under way rather than open a second
   * connection beside it.
   */
  refresh(): void {
    if (this.#closed || this.#workAhead !== undefined) return;
    this.#ahead(this.#use(async () => undefined, { cacheAware: true })).catch(() => undefined);
  }

  async use<T>(work: (connection: Connection) => Promise<T>, options: UseOptions = {}): Promise<T> {
    if (this.#workAhead !== undefined) await this.#workAhead;
    return this.#use(work, options);
  }

  /** Records `work` (a start or a refresh) as the work calls wait for; returns it unchanged. */
  #ahead(work: Promise<void>): Promise<void> {
    const settled: Promise<void> = work
      .catch(() => undefined)
      .finally(() => {
        if (this.#workAhead === settled) this.#workAhead = undefined;
      });
    this.#workAhead = settled;
    return work;
  }

  async #use<T>(work: (connection: Connection) => Promise<T>, options: UseOptions = {}): Promise<T> {
    if (this.#closed) {
      throw new ConnectionClosedError("the engine is closed");
    }
    options.signal?.throwIfAborted();
    const mayChangeLocal = options.cacheAware !== true;
    if (mayChangeLocal) this.#localEpoch += 1;
    this.#pool ??= new ConnectionPool({
      connect: () => this.#openConnection(),
      maxSize: this.#maxConnections,
      acquireTimeoutMs: ACQUIRE_TIMEOUT_MS,
      idleTimeoutMs: IDLE_TIMEOUT_MS,
      healthCheck: true,
      healthCheckIdleMs: HEALTH_CHECK_IDLE_MS,
    });
    const lease = await this.#pool.acquire();
    const attached: string[] = [];
    try {
      for (const request of this.#attachRequests(options)) {
        await attachForCall(lease.connection, request);
        attached.push(request.alias);
      }
      return await work(lease.connection);
    } catch (error) {
      if (isConnectionBroken(error)) {
        this.#checkHyperdInBackground(error);
      }
      throw error;
    } finally {
      for (const alias of attached.reverse()) {
        await detachAfterCall(lease.connection, alias);
      }
      await lease.release();
      this.#source.touch();
      if (mayChangeLocal) this.#localEpoch += 1;
    }
  }

  /** The databases a call asks for: the persistent one, then attachments (unknown aliases are skipped). */
  #attachRequests(options: UseOptions): AttachRequest[] {
    const requests: AttachRequest[] = [];
    if (options.persistent === true && this.persistentPath !== null) {
      requests.push({ alias: PERSISTENT_ALIAS, path: this.persistentPath, createMode: "CreateIfNotExists" });
    }
    for (const alias of new Set(options.attach ?? [])) {
      const attachment = this.attachments.get(alias);
      if (attachment !== undefined) {
        requests.push({ alias: attachment.alias, path: attachment.path, readOnly: !attachment.writable });
      }
    }
    return requests;
  }

  snapshot(): EngineSnapshot {
    const target = this.#source.current();
    const pool = this.#pool;
    return {
      mode: this.#source.mode,
      started: target !== null,
      hyperdRunning: this.#source.isRunning(),
      hyperdPid: target?.pid ?? null,
      hyperdEndpoint: target?.endpoint ?? null,
      daemonHealthPort: this.#source.healthPort(),
      hyperdLogDir: target?.logDir ?? null,
      localPath: this.#localPath,
      persistentPath: this.persistentPath,
      connections: { open: pool?.size ?? 0, inUse: pool?.inUse ?? 0 },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    await this.#pool?.close().catch(() => undefined);
    await this.#checking?.catch(() => undefined);
    await this.#source.close().catch(() => undefined);
    const dir = await this.#sessionDir?.catch(() => undefined);
    if (dir !== undefined) {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  async #openConnection(): Promise<Connection> {
    await this.sessionDir();
    const localPath = this.#localPath;
    if (localPath === null) {
      throw new Error("the session folder has no local database path");
    }
    // hyperd can stall (not refuse) an ATTACH that races others attaching the same file (the
    // pool's connections all attach the session's local database).
    // Each attempt therefore has a deadline; a stalled attempt is cancelled, its connection
    // dropped, and a fresh connection tries again, within an overall deadline.
    const deadline = Date.now() + OPEN_DEADLINE_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#openConnectionOnce(localPath);
      } catch (error) {
        if (!(error instanceof SetupStalledError) || Date.now() + STALL_PAUSE_MS > deadline) {
          throw error;
        }
        this.#log(`${error.message}; retrying on a fresh connection (attempt ${attempt + 1})`);
        await new Promise((resolve) => setTimeout(resolve, STALL_PAUSE_MS * (0.5 + Math.random())));
      }
    }
  }

  async #openConnectionOnce(localPath: string): Promise<Connection> {
    const target = await this.#source.target();
    let connection: Connection;
    try {
      connection = await this.#connectTo(target);
    } catch (error) {
      if (!isConnectionBroken(error)) {
        throw error;
      }
      // hyperd died (a crash, or its daemon's): the report made the source recover it — a
      // restarted private hyperd, the daemon's replacement, or a new daemon — and the next
      // target() waits (bounded) for that one. Try once more there, so the call that first
      // meets the dead hyperd already succeeds. (A failing target() itself is not retried.)
      this.#log(`connecting to hyperd failed (${errorMessage(error)}); retrying on the recovered hyperd`);
      connection = await this.#connectTo(await this.#source.target());
    }
    const setup = this.#setUpConnection(connection, localPath);
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<"stalled">((resolve) => {
      timer = setTimeout(() => resolve("stalled"), SETUP_DEADLINE_MS);
    });
    try {
      const outcome = await Promise.race([setup, stalled]);
      if (outcome === "stalled") {
        setup.catch(() => undefined);
        await connection.cancel().catch(() => undefined);
        await connection.close().catch(() => undefined);
        throw new SetupStalledError(
          `opening the session's databases did not finish within ${SETUP_DEADLINE_MS} ms`,
        );
      }
      return connection;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A new connection to `target`; a failure to connect is reported to the source. */
  async #connectTo(target: HyperdTarget): Promise<Connection> {
    try {
      return await Connection.connect({
        endpoint: target.endpoint,
        applicationName: this.#applicationName,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
      });
    } catch (error) {
      if (isConnectionBroken(error)) {
        // A fresh connection failed: that is the check itself. Let the source recover
        // (restart a private hyperd, or ask the daemon to look) before the next attempt.
        this.#source.reportUnhealthy(`connecting to ${target.endpoint} failed: ${errorMessage(error)}`);
      }
      throw error;
    }
  }

  async #setUpConnection(connection: Connection, localPath: string): Promise<"ready"> {
    try {
      // The first connection creates the local database; the others wait for it and attach it.
      const creating = this.#localCreated;
      if (creating === undefined) {
        const created = attachWithRetry(connection, localPath, {
          alias: LOCAL_ALIAS,
          createMode: "CreateIfNotExists",
        });
        this.#localCreated = created.catch((error: unknown) => {
          this.#localCreated = undefined;
          throw error;
        });
        await created;
      } else {
        await creating.catch(() => undefined);
        await attachWithRetry(connection, localPath, { alias: LOCAL_ALIAS, createMode: "CreateIfNotExists" });
      }
      await connection.setPrimaryDatabase(LOCAL_ALIAS);
      this.#localEpoch += 1;
      return "ready";
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  #checkHyperdInBackground(cause: unknown): void {
    if (this.#checking !== undefined || this.#closed) {
      return;
    }
    this.#log(
      `a connection to hyperd broke (${errorMessage(cause)}); checking hyperd with a fresh connection`,
    );
    this.#checking = this.#checkHyperd().finally(() => {
      this.#checking = undefined;
    });
  }

  async #checkHyperd(): Promise<void> {
    const target = this.#source.current();
    if (target === null) {
      return;
    }
    // The daemon's watchdog probe, on a connection of its own: a fresh connection and `SELECT 1`.
    const probe = new WatchdogProbe(this.#applicationName);
    const outcome = await probe.probe(target.endpoint, HEALTH_CHECK_DEADLINE_MS);
    probe.reset();
    if (outcome.kind === "ok") {
      this.#log("hyperd answers on a fresh connection; only the broken connection is replaced");
      return;
    }
    const why = outcome.kind === "deadline" ? `no answer within ${outcome.deadlineMs} ms` : outcome.message;
    this.#source.reportUnhealthy(`a fresh connection and a probe query failed: ${why}`);
  }
}

/** Attaching the session's databases on a new connection did not finish in time. */
class SetupStalledError extends TimeoutError {}

/** Whether an error means the connection to hyperd broke (as opposed to a refused statement). */
export function isConnectionBroken(error: unknown): boolean {
  return (
    error instanceof ConnectionLostError ||
    error instanceof ConnectionClosedError ||
    error instanceof ConnectionFailedError ||
    error instanceof TimeoutError
  );
}
