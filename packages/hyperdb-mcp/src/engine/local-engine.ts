/**
 * The private ("local", `--no-daemon`) engine: one hyperd owned by this process and one
 * connection bound to a fresh scratch database.
 *
 * Nothing starts at construction or at MCP `initialize`: the first tool that needs SQL calls
 * {@link LocalEngine.connection}, which starts hyperd with `HyperProcess.start()`, creates
 * `$TMPDIR/hyperdb-mcp-XXXXXX/scratch.hyper` (mode `CreateAndReplace`) and connects to it as the
 * primary database, alias `scratch`, exposed to clients as `"local"`. Concurrent first calls share
 * one start. {@link LocalEngine.close} closes the connection, stops hyperd and deletes the temp
 * directory; {@link LocalEngine.reset} does the same but lets the next call start afresh (used
 * after a lost connection).
 *
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Connection, HyperProcess } from "@hyperdb-ts/hyperdb-api";

/** A running engine: hyperd, its scratch database and the connection to it. */
interface RunningEngine {
  readonly hyper: HyperProcess;
  readonly connection: Connection;
  readonly tempDir: string;
  readonly scratchPath: string;
}

/** What `status` reports about the engine; cheap, never starts anything. */
export interface EngineSnapshot {
  /** Whether hyperd has been started by a tool call (and not closed since). */
  readonly started: boolean;
  /** Whether the owned hyperd process is alive. */
  readonly hyperdRunning: boolean;
  /** Process id of hyperd, `null` before the start. */
  readonly hyperdPid: number | null;
  /** `host:port` or socket path hyperd listens on, `null` before the start. */
  readonly hyperdEndpoint: string | null;
  /** hyperd's log file, `null` before the start. */
  readonly hyperdLog: string | null;
  /** Path of the scratch `.hyper` file, `null` before the start. */
  readonly scratchPath: string | null;
}

/** Options of {@link LocalEngine}; the defaults are what the server uses. */
export interface LocalEngineOptions {
  /** Passed to `HyperProcess.start`; for tests. */
  readonly hyperdPath?: string | undefined;
  /** Reports engine lifecycle events (to stderr in the server). */
  readonly log?: ((line: string) => void) | undefined;
}

/** The lazily started private hyperd of one server process. */
export class LocalEngine {
  readonly #options: LocalEngineOptions;
  #starting: Promise<RunningEngine> | undefined;
  #running: RunningEngine | undefined;
  #closed = false;

  constructor(options: LocalEngineOptions = {}) {
    this.#options = options;
  }

  /** The connection to the scratch database, starting hyperd on the first call. */
  async connection(): Promise<Connection> {
    if (this.#closed) {
      throw new Error("the engine is closed");
    }
    this.#starting ??= this.#start();
    try {
      return (await this.#starting).connection;
    } catch (error) {
      this.#starting = undefined;
      throw error;
    }
  }

  /** A cheap description of the engine for `status`. */
  snapshot(): EngineSnapshot {
    const running = this.#running;
    if (running === undefined) {
      return {
        started: false,
        hyperdRunning: false,
        hyperdPid: null,
        hyperdEndpoint: null,
        hyperdLog: null,
        scratchPath: null,
      };
    }
    return {
      started: true,
      hyperdRunning: !running.hyper.hasExited,
      hyperdPid: running.hyper.pid,
      hyperdEndpoint: running.hyper.endpointDescriptor,
      hyperdLog: running.hyper.logPath,
      scratchPath: running.scratchPath,
    };
  }

  /** Drops the running engine (if any) so that the next call starts a new one. */
  async reset(): Promise<void> {
    const starting = this.#starting;
    this.#starting = undefined;
    this.#running = undefined;
    if (starting === undefined) {
      return;
    }
    const running = await starting.catch(() => undefined);
    if (running !== undefined) {
      await this.#stop(running);
    }
  }

  /** Stops hyperd and deletes the scratch directory. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.reset();
  }

  async #start(): Promise<RunningEngine> {
    const started = Date.now();
    const tempDir = await mkdtemp(join(tmpdir(), `hyperdb-mcp-${process.pid}-`));
    const scratchPath = join(tempDir, "scratch.hyper");
    let hyper: HyperProcess | undefined;
    try {
      // The private hyperd logs into the session's folder, which is removed at shutdown, so
      // sessions leave nothing behind in the temp directory.
      hyper = await HyperProcess.start({
        hyperdPath: this.#options.hyperdPath,
        logDir: join(tempDir, "logs"),
      });
      const connection = await Connection.connect({
        hyper,
        database: scratchPath,
        createMode: "CreateAndReplace",
        applicationName: "hyperdb-mcp",
      });
      const running: RunningEngine = { hyper, connection, tempDir, scratchPath };
      if (this.#closed) {
        await this.#stop(running);
        throw new Error("the engine was closed while starting");
      }
      this.#running = running;
      this.#options.log?.(
        `started hyperd pid ${hyper.pid} at ${hyper.endpointDescriptor} in ${Date.now() - started} ms; scratch ${scratchPath}`,
      );
      return running;
    } catch (error) {
      await hyper?.close().catch(() => undefined);
      await rm(tempDir, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
  }

  async #stop(running: RunningEngine): Promise<void> {
    await running.connection.close().catch(() => undefined);
    await running.hyper.close().catch(() => undefined);
    await rm(running.tempDir, { recursive: true, force: true }).catch(() => undefined);
    this.#options.log?.(`stopped hyperd pid ${running.hyper.pid}`);
  }
}
