/**
 * INSERT: load `count` generated rows. Generating the rows and encoding them are inside the
 * timed region for both sides.
 *
 * - ours: `Connection.copyIn` with `COPY … WITH (FORMAT hyperbinary)`, rows encoded by
 *   `HyperBinaryRowEncoder` into a reused ~16 MB `ByteWriter`, one `write()` per chunk;
 * - node-postgres: `pg-copy-streams` with `COPY … WITH (FORMAT csv)`, rows formatted as CSV
 *   lines and written in string chunks with the stream's backpressure;
 * - raw wire (a ceiling, not a client): the same HyperBinary bytes encoded before the clock
 *   starts, so only the COPY exchange and hyperd's ingestion are timed.
 */

import { once } from "node:events";
import type { Socket } from "node:net";
import { finished } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { ByteWriter, type Connection, HyperBinaryRowEncoder } from "../src/index.ts";
import { COPY_COLUMNS, csvLine, makeRow } from "./rows.ts";
import type { Measurement } from "./stats.ts";
import { timed } from "./stats.ts";

/** Bytes of HyperBinary per `CopyInWriter.write` call (BENCH_COPY_CHUNK overrides, in bytes). */
export const OUR_CHUNK_BYTES = Number(process.env.BENCH_COPY_CHUNK ?? 16 * 1024 * 1024);
/** Characters of CSV per `stream.write` call for node-postgres (BENCH_PG_CHUNK overrides). */
export const PG_CHUNK_CHARS = Number(process.env.BENCH_PG_CHUNK ?? 1024 * 1024);

export async function insertOurs(conn: Connection, table: string, count: number): Promise<Measurement> {
  const socket = conn.rawSocket;
  const before = socket?.bytesWritten ?? 0;
  const encoder = new HyperBinaryRowEncoder(COPY_COLUMNS);
  const {
    value: loaded,
    seconds,
    clientCpu,
    serverCpu,
  } = await timed(async () => {
    const copy = await conn.copyIn(`COPY ${table} FROM STDIN WITH (FORMAT hyperbinary)`);
    // Room for a whole chunk plus the row that crosses the threshold: the writer never grows.
    const out = new ByteWriter(OUR_CHUNK_BYTES + 64 * 1024);
    encoder.writeHeader(out);
    for (let n = 0; n < count; n++) {
      encoder.encodeRow(makeRow(n), out);
      if (out.length >= OUR_CHUNK_BYTES) {
        // write() resolves once the socket took the bytes (a 16 MB write is above the socket's
        // high-water mark, so it waits for 'drain'): the view can be reused afterwards.
        await copy.write(out.view());
        out.reset();
      }
    }
    if (out.length > 0) await copy.write(out.view());
    return copy.end();
  });
  if (loaded !== count) throw new Error(`ours: COPY loaded ${loaded} rows, expected ${count}`);
  return { rows: loaded, bytes: (socket?.bytesWritten ?? 0) - before, seconds, clientCpu, serverCpu };
}

/** The HyperBinary COPY stream for `count` rows, in ~16 MB pieces (built outside any timing). */
export function preEncode(count: number): Buffer[] {
  const encoder = new HyperBinaryRowEncoder(COPY_COLUMNS);
  const pieces: Buffer[] = [];
  const out = new ByteWriter(OUR_CHUNK_BYTES + 64 * 1024);
  encoder.writeHeader(out);
  for (let n = 0; n < count; n++) {
    encoder.encodeRow(makeRow(n), out);
    if (out.length >= OUR_CHUNK_BYTES) {
      pieces.push(out.toBuffer());
      out.reset();
    }
  }
  if (out.length > 0) pieces.push(out.toBuffer());
  return pieces;
}

/** Sends pre-encoded bytes through our COPY: the insert ceiling of this hyperd and machine. */
export async function insertWire(
  conn: Connection,
  table: string,
  count: number,
  pieces: readonly Buffer[],
): Promise<Measurement> {
  const socket = conn.rawSocket;
  const before = socket?.bytesWritten ?? 0;
  const {
    value: loaded,
    seconds,
    clientCpu,
    serverCpu,
  } = await timed(async () => {
    const copy = await conn.copyIn(`COPY ${table} FROM STDIN WITH (FORMAT hyperbinary)`);
    for (const piece of pieces) await copy.write(piece);
    return copy.end();
  });
  if (loaded !== count) throw new Error(`raw wire: COPY loaded ${loaded} rows, expected ${count}`);
  return { rows: loaded, bytes: (socket?.bytesWritten ?? 0) - before, seconds, clientCpu, serverCpu };
}

export async function insertPg(client: pg.Client, table: string, count: number): Promise<Measurement> {
  const socket = (client as unknown as { connection: { stream: Socket } }).connection.stream;
  const before = socket.bytesWritten;
  const {
    value: loaded,
    seconds,
    clientCpu,
    serverCpu,
  } = await timed(async () => {
    const stream = client.query(copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT csv)`));
    let chunk = "";
    for (let n = 0; n < count; n++) {
      chunk += csvLine(makeRow(n));
      if (chunk.length >= PG_CHUNK_CHARS) {
        if (!stream.write(chunk)) await once(stream, "drain");
        chunk = "";
      }
    }
    stream.end(chunk);
    await finished(stream);
    return stream.rowCount;
  });
  if (loaded !== count) throw new Error(`pg: COPY loaded ${loaded} rows, expected ${count}`);
  return { rows: loaded, bytes: socket.bytesWritten - before, seconds, clientCpu, serverCpu };
}
