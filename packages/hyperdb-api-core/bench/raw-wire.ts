/**
 * The raw-wire ceiling for SCAN: a bare socket sends the same statement through the extended
 * protocol with HyperBinary results (format 2) and only frames the reply (core's
 * MessageFramer), counting DataRow messages without decoding a single value. What our
 * Connection adds on top of this is decoding, row arrays, batching and async iteration.
 */

import { connect, type Socket } from "node:net";
import { HyperError } from "../src/index.ts";
import { parseServerMessageFields } from "../src/protocol/backend-messages.ts";
import { FrontendWriter } from "../src/protocol/frontend-writer.ts";
import { MessageFramer } from "../src/protocol/message-framer.ts";
import { BackendTag } from "../src/protocol/message-tags.ts";
import type { Measurement } from "./stats.ts";
import { timed } from "./stats.ts";

export class RawWireClient {
  private readonly socket: Socket;
  private readonly framer = new MessageFramer();
  private readonly writer = new FrontendWriter();
  private dataRows = 0;
  private waiter: { resolve: () => void; reject: (error: Error) => void } | null = null;
  private error: Error | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => this.framer.push(chunk, this.onMessage));
    socket.on("error", (error) => this.waiter?.reject(error));
  }

  static async connect(host: string, port: number, user: string, database: string): Promise<RawWireClient> {
    const socket = connect({ host, port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const client = new RawWireClient(socket);
    await client.roundTrip(client.writer.startup({ user, database }).flush());
    return client;
  }

  /** Runs `sql` with Parse/Bind(format 2)/Describe/Execute/Sync; resolves with the DataRow count. */
  async countRows(sql: string): Promise<number> {
    this.dataRows = 0;
    const w = this.writer;
    await this.roundTrip(
      w.parse("", sql, []).bind("", "", [], [2]).describe("P", "").execute("", 0).sync().flush(),
    );
    return this.dataRows;
  }

  get bytesRead(): number {
    return this.socket.bytesRead;
  }

  close(): void {
    this.socket.end(this.writer.terminate().flush());
  }

  /** Sends bytes and waits for ReadyForQuery. */
  private roundTrip(bytes: Buffer): Promise<void> {
    this.error = null;
    return new Promise<void>((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  private readonly onMessage = (tag: number, buffer: Buffer, start: number, end: number): void => {
    if (tag === BackendTag.DataRow) {
      this.dataRows++;
    } else if (tag === BackendTag.ErrorResponse) {
      this.error ??= new HyperError(parseServerMessageFields(buffer, start, end));
    } else if (tag === BackendTag.ReadyForQuery) {
      const waiter = this.waiter;
      this.waiter = null;
      if (this.error !== null) waiter?.reject(this.error);
      else waiter?.resolve();
    }
  };
}

export async function scanRawWire(client: RawWireClient, table: string): Promise<Measurement> {
  const before = client.bytesRead;
  const {
    value: rows,
    seconds,
    clientCpu,
    serverCpu,
  } = await timed(() => client.countRows(`SELECT i, b, d, t FROM ${table}`));
  return { rows, bytes: client.bytesRead - before, seconds, clientCpu, serverCpu };
}
