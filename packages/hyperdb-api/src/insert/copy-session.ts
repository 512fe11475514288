import { setImmediate as nextTurn } from "node:timers/promises";
import { type CopyInWriter, UsageError } from "@hyperdb-ts/hyperdb-api-core";
import type { Connection } from "../connection/connection.ts";

/** Bytes of encoded data per COPY data chunk, unless an inserter's `flushBytes` says otherwise: 16 MiB. */
export const DEFAULT_FLUSH_BYTES = 16 * 1024 * 1024;

/**
 * One `COPY … FROM STDIN` fed by an inserter: opened on the first chunk, chunks sent in order
 * with one in flight at a time (each write waits for the socket), and ended with CopyDone or
 * abandoned with CopyFail. The first error (from the server or the connection) is kept and
 * reported by every later call; by then the COPY is over and the connection is free again.
 *
 * @internal Shared by `Inserter` and `ArrowInserter`; not part of the public API.
 */
export class CopySession {
  private readonly connection: Connection;
  private readonly sql: string;
  private readonly queue: Buffer[] = [];
  private writer: CopyInWriter | null = null;
  /** The loop sending queued chunks; null when idle. */
  private pump: Promise<void> | null = null;
  private error: Error | null = null;
  private state: "open" | "ending" | "ended" | "aborted" = "open";
  private ending: Promise<number> | null = null;
  private waiters: (() => void)[] = [];

  constructor(connection: Connection, sql: string) {
    this.connection = connection;
    this.sql = sql;
  }

  /** The error that ended the COPY early, if any. */
  get failure(): Error | null {
    return this.error;
  }

  /** Whether the COPY statement was sent to the server. */
  get started(): boolean {
    return this.writer !== null || this.pump !== null;
  }

  /** Chunks waiting behind the one being written. */
  get waitingChunks(): number {
    return this.queue.length;
  }

  /** Queues a chunk; it is sent in the background. The chunk must not be modified afterwards. */
  send(chunk: Buffer): void {
    if (this.state !== "open" || this.error !== null) return;
    this.queue.push(chunk);
    this.pump ??= this.runPump();
  }

  /**
   * Resolves once at most `waiting` chunks wait behind the one in flight (backpressure), or
   * rejects with the COPY's failure.
   */
  async waitForRoom(waiting = 0): Promise<void> {
    while (this.queue.length > waiting && this.pump !== null && this.error === null) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.error !== null) await this.drain();
  }

  /** Resolves once every queued chunk was handed to the socket; rejects with the COPY's failure. */
  async drain(): Promise<void> {
    while (this.pump !== null) await this.pump;
    if (this.error !== null) throw this.error;
  }

  /**
   * Sends what is queued, then CopyDone, and resolves with the server's row count. Opens the
   * COPY if nothing was sent yet (an empty COPY).
   */
  async end(): Promise<number> {
    if (this.state !== "open") throw new UsageError("this COPY has already been ended or aborted");
    await this.drain();
    this.state = "ending";
    this.ending = this.finish();
    return this.ending;
  }

  /**
   * Drops what is queued and, if the COPY was opened, sends CopyFail so nothing is loaded.
   * Resolves once the connection is free. Harmless after `end()` or an error.
   */
  async abort(reason: string): Promise<void> {
    if (this.state === "ending") {
      // CopyDone is on its way; CopyFail may no longer follow it.
      await this.ending?.catch(() => {});
      return;
    }
    if (this.state === "ended" || this.state === "aborted") {
      await this.pump;
      return;
    }
    this.state = "aborted";
    this.queue.length = 0;
    this.wake();
    // A chunk being written is finished first: CopyFail must not land between its messages.
    while (this.pump !== null) await this.pump;
    await this.writer?.abort(reason);
  }

  private async finish(): Promise<number> {
    try {
      const writer = this.writer ?? (await this.open());
      return await writer.end();
    } catch (error) {
      this.error ??= asError(error);
      throw this.error;
    } finally {
      this.state = "ended";
    }
  }

  private async runPump(): Promise<void> {
    try {
      for (;;) {
        const chunk = this.queue.shift();
        if (chunk === undefined || this.isAborted()) break;
        this.wake();
        const writer = this.writer ?? (await this.open());
        if (this.isAborted()) break;
        await writer.write(chunk);
        // A write the socket takes at once resolves without I/O; without a turn of the event loop
        // the server's replies (an error, say) would not be read until everything was sent.
        await nextTurn();
      }
    } catch (error) {
      this.error ??= asError(error);
      this.queue.length = 0;
      // Wait until the server finished with the COPY, so the connection is free when this is reported.
      await this.writer?.abort("the client stopped after an error");
    } finally {
      this.pump = null;
      this.wake();
    }
  }

  /** Read through a call so the compiler keeps no narrowing across `await`. */
  private isAborted(): boolean {
    return this.state === "aborted";
  }

  private async open(): Promise<CopyInWriter> {
    this.writer = await this.connection.core.copyIn(this.sql);
    return this.writer;
  }

  private wake(): void {
    const waiters = this.waiters;
    if (waiters.length === 0) return;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
