/**
 * The client-side CPU cost of a scan, without hyperd and without the kernel: a fake server
 * (an in-memory Duplex given to `Connection.connect({ connect })`) answers the login and one
 * query with pre-built messages in 64 KiB chunks (the size Node reads from a TCP socket). Run
 * the same stream through (1) the MessageFramer alone, (2) framer + the core's row decoder,
 * (3) the whole Connection (`query().batches()`), to split the per-row cost into framing,
 * decoding, and dispatch/batching/async iteration.
 *
 *   node bench/micro-scan.ts
 */

import { Duplex } from "node:stream";
import { createRowDecoder } from "../src/connection/row-decoder.ts";
import { Connection, fieldDecoder, TypeOid } from "../src/index.ts";
import { MessageFramer } from "../src/protocol/message-framer.ts";
import { makeRow } from "./rows.ts";

const ROWS = Number(process.env.BENCH_ROWS ?? 2_000_000);
const CHUNK = 65_536;

function message(tag: string, body: Buffer): Buffer {
  const header = Buffer.allocUnsafe(5);
  header[0] = tag.charCodeAt(0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function rowDescription(): Buffer {
  const parts: Buffer[] = [Buffer.from([0, 4])];
  for (const [name, oid, size] of [
    ["i", 23, 4],
    ["b", 20, 8],
    ["d", 701, 8],
    ["t", 25, -1],
  ] as const) {
    const field = Buffer.alloc(18);
    field.writeUInt32BE(0, 0);
    field.writeInt16BE(0, 4);
    field.writeUInt32BE(oid, 6);
    field.writeInt16BE(size, 10);
    field.writeInt32BE(-1, 12);
    field.writeInt16BE(0, 16);
    parts.push(Buffer.from(`${name}\0`), field);
  }
  return message("T", Buffer.concat(parts));
}

function dataRows(): Buffer {
  const parts: Buffer[] = [];
  for (let n = 0; n < ROWS; n++) {
    const [i, b, d, t] = makeRow(n);
    const text = Buffer.from(t, "utf8");
    const body = Buffer.allocUnsafe(2 + 16 + 4 + 8 + 8 + text.length);
    let o = body.writeInt16BE(4, 0);
    o = body.writeInt32BE(4, o);
    o = body.writeInt32LE(i, o);
    o = body.writeInt32BE(8, o);
    o = body.writeBigInt64LE(BigInt(b), o);
    o = body.writeInt32BE(8, o);
    o = body.writeDoubleLE(d, o);
    o = body.writeInt32BE(text.length, o);
    text.copy(body, o);
    parts.push(message("D", body));
  }
  return Buffer.concat(parts);
}

const ready = message("Z", Buffer.from("I"));
const rows = dataRows();
const reply = Buffer.concat([
  message("1", Buffer.alloc(0)),
  message("2", Buffer.alloc(0)),
  rowDescription(),
  rows,
  message("C", Buffer.from(`SELECT ${ROWS}\0`)),
  ready,
]);
const chunks: Buffer[] = [];
for (let o = 0; o < reply.length; o += CHUNK) chunks.push(reply.subarray(o, o + CHUNK));

/** A server that logs in anyone and answers every Sync with the prepared reply. */
function fakeServer(): Duplex {
  let started = false;
  const server: Duplex = new Duplex({
    read() {},
    final(callback) {
      callback();
      server.destroy();
    },
    write(chunk: Buffer, _encoding, callback) {
      if (!started) {
        started = true;
        server.push(Buffer.concat([message("R", Buffer.from([0, 0, 0, 0])), ready]));
      } else if (chunk.includes(0x53) && chunk[chunk.length - 5] === 0x53) {
        // Ends with Sync: stream the reply chunk by chunk, one per macrotask like a socket.
        let k = 0;
        const pump = () => {
          if (k < chunks.length) {
            server.push(chunks[k++]);
            setImmediate(pump);
          }
        };
        pump();
      }
      callback();
    },
  });
  return server;
}

function report(name: string, seconds: number): void {
  console.log(
    `${name.padEnd(60)} ${(ROWS / seconds / 1e6).toFixed(2).padStart(6)} M rows/s  ${((seconds / ROWS) * 1e9).toFixed(0).padStart(4)} ns/row`,
  );
}

function best(fn: () => void): number {
  let bestSeconds = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    fn();
    bestSeconds = Math.min(bestSeconds, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return bestSeconds;
}

const decodeRow = createRowDecoder(
  [TypeOid.int4, TypeOid.int8, TypeOid.float8, TypeOid.text].map((oid) =>
    fieldDecoder({ oid, typmod: -1 }, 2),
  ),
);
console.log(
  `${ROWS.toLocaleString("en-US")} rows, ${(reply.length / 1e6).toFixed(1)} MB in ${CHUNK / 1024} KiB chunks, best of 5`,
);
report(
  "MessageFramer, count DataRows",
  best(() => {
    const framer = new MessageFramer();
    let count = 0;
    for (const chunk of chunks)
      framer.push(chunk, (tag) => {
        if (tag === 0x44) count++;
      });
    if (count !== ROWS) throw new Error("lost rows");
  }),
);
report(
  "MessageFramer + createRowDecoder, rows into 4096-row arrays",
  best(() => {
    const framer = new MessageFramer();
    let batch: unknown[][] = [];
    let sum = 0;
    for (const chunk of chunks) {
      framer.push(chunk, (tag, buffer, start) => {
        if (tag !== 0x44) return;
        batch.push(decodeRow(buffer, start + 2));
        if (batch.length === 4096) {
          sum += batch.length;
          batch = [];
        }
      });
    }
    if (sum + batch.length !== ROWS) throw new Error("lost rows");
  }),
);

const connection = await Connection.connect({ connect: async () => fakeServer() });
let bestConnection = Number.POSITIVE_INFINITY;
for (let round = 0; round < 5; round++) {
  const start = process.hrtime.bigint();
  let count = 0;
  for await (const batch of connection.query("SELECT i, b, d, t FROM bench").batches()) count += batch.length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (count !== ROWS) throw new Error(`lost rows: ${count}`);
  bestConnection = Math.min(bestConnection, seconds);
}
report("Connection.query().batches() over an in-memory Duplex", bestConnection);
await connection.close();
