/**
 * Micro-benchmark behind the profile suggestions in the README: decodes the benchmark's
 * DataRow layout (HyperBinary INT, BIGINT, DOUBLE, TEXT) from one in-memory buffer with
 * the core's row decoder and with variants of the field reads, to size each suggestion.
 *
 *   node bench/micro-decode.ts
 */

import { createRowDecoder } from "../src/connection/row-decoder.ts";
import { type FieldDecoder, fieldDecoder, TypeOid } from "../src/index.ts";
import { MessageFramer } from "../src/protocol/message-framer.ts";
import { makeRow } from "./rows.ts";

const ROWS = 1_000_000;

/** The DataRow messages hyperd sends for rows 0 … ROWS-1 (format 2). */
function buildStream(): Buffer {
  const parts: Buffer[] = [];
  for (let n = 0; n < ROWS; n++) {
    const [i, b, d, t] = makeRow(n);
    const text = Buffer.from(t, "utf8");
    const size = 4 + 2 + 4 * 4 + 4 + 8 + 8 + text.length;
    const m = Buffer.allocUnsafe(1 + size);
    let o = 0;
    m[o++] = 0x44;
    o = m.writeInt32BE(size, o);
    o = m.writeInt16BE(4, o);
    o = m.writeInt32BE(4, o);
    o = m.writeInt32LE(i, o);
    o = m.writeInt32BE(8, o);
    o = m.writeBigInt64LE(BigInt(b), o);
    o = m.writeInt32BE(8, o);
    o = m.writeDoubleLE(d, o);
    o = m.writeInt32BE(text.length, o);
    text.copy(m, o);
    parts.push(m);
  }
  return Buffer.concat(parts);
}

const stream = buildStream();
/** Row start offsets (after tag, length and field count). */
const offsets: number[] = [];
for (let o = 0; o < stream.length; ) {
  offsets.push(o + 7);
  o += 1 + stream.readInt32BE(o + 1);
}

const dec = (oid: number): FieldDecoder => fieldDecoder({ oid, typmod: -1 }, 2);
const core = createRowDecoder([dec(TypeOid.int4), dec(TypeOid.int8), dec(TypeOid.float8), dec(TypeOid.text)]);

let viewed: Buffer | null = null;
let view: DataView = new DataView(new ArrayBuffer(8));
function viewOf(buf: Buffer): DataView {
  if (buf !== viewed) {
    viewed = buf;
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return view;
}
/** Node's unchecked slice methods (present on Buffer.prototype, not in the typings). */
interface SliceBuffer {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}
const utf8 = (buf: Buffer, start: number, end: number): string =>
  (buf as unknown as SliceBuffer).utf8Slice(start, end);
const latin1 = (buf: Buffer, start: number, end: number): string =>
  (buf as unknown as SliceBuffer).latin1Slice(start, end);

const int4View: FieldDecoder = (buf, start) => viewOf(buf).getInt32(start, true);
const float8View: FieldDecoder = (buf, start) => viewOf(buf).getFloat64(start, true);
const int8View: FieldDecoder = (buf, start) => viewOf(buf).getBigInt64(start, true);
/** ASCII fast path for short strings, utf8Slice otherwise. */
const textShortAscii: FieldDecoder = (buf, start, length) => {
  if (length <= 24) {
    let s = "";
    const end = start + length;
    for (let k = start; k < end; k++) {
      const c = buf[k]!;
      if (c >= 0x80) return utf8(buf, start, end);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8(buf, start, start + length);
};
const textLatin1IfAscii: FieldDecoder = (buf, start, length) => {
  const end = start + length;
  for (let k = start; k < end; k++) if (buf[k]! >= 0x80) return utf8(buf, start, end);
  return latin1(buf, start, end);
};

/** Row decoder with DataView length words, like createRowDecoder's generated code. */
function viewRowDecoder(d0: FieldDecoder, d1: FieldDecoder, d2: FieldDecoder, d3: FieldDecoder) {
  return (buf: Buffer, offset: number): unknown[] => {
    const v = viewOf(buf);
    let length = v.getInt32(offset);
    offset += 4;
    let a = null;
    if (length >= 0) {
      a = d0(buf, offset, length);
      offset += length;
    }
    length = v.getInt32(offset);
    offset += 4;
    let b = null;
    if (length >= 0) {
      b = d1(buf, offset, length);
      offset += length;
    }
    length = v.getInt32(offset);
    offset += 4;
    let c = null;
    if (length >= 0) {
      c = d2(buf, offset, length);
      offset += length;
    }
    length = v.getInt32(offset);
    offset += 4;
    let d = null;
    if (length >= 0) {
      d = d3(buf, offset, length);
      offset += length;
    }
    return [a, b, c, d];
  };
}

function time(name: string, decode: (buf: Buffer, offset: number) => unknown[]): void {
  let best = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let round = 0; round < 7; round++) {
    const start = process.hrtime.bigint();
    for (let k = 0; k < offsets.length; k++) {
      const row = decode(stream, offsets[k]!);
      sink += (row[3] as string).length;
    }
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  if (sink === 0) throw new Error("unreachable");
  console.log(
    `${name.padEnd(58)} ${(ROWS / best / 1e6).toFixed(2).padStart(6)} M rows/s  ${((best / ROWS) * 1e9).toFixed(0).padStart(4)} ns/row`,
  );
}

function timeFramer(name: string, chunkSize: number): void {
  let best = Number.POSITIVE_INFINITY;
  const chunks: Buffer[] = [];
  for (let o = 0; o < stream.length; o += chunkSize) chunks.push(stream.subarray(o, o + chunkSize));
  for (let round = 0; round < 7; round++) {
    const framer = new MessageFramer();
    let count = 0;
    const start = process.hrtime.bigint();
    for (const chunk of chunks)
      framer.push(chunk, () => {
        count++;
      });
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
    if (count !== ROWS) throw new Error("framing lost rows");
  }
  console.log(
    `${name.padEnd(58)} ${(ROWS / best / 1e6).toFixed(2).padStart(6)} M rows/s  ${((best / ROWS) * 1e9).toFixed(0).padStart(4)} ns/row`,
  );
}

console.log(
  `${ROWS.toLocaleString("en-US")} rows, ${(stream.length / 1e6).toFixed(1)} MB of DataRow messages, best of 7`,
);
timeFramer("MessageFramer only, 64 KiB chunks (Buffer.concat per split)", 65_536);
timeFramer("MessageFramer only, one chunk (no split message)", stream.length);
time("core createRowDecoder (readInt32BE, readDoubleLE, utf8Slice)", core);
time(
  "  … float8 via cached DataView",
  createRowDecoder([dec(TypeOid.int4), dec(TypeOid.int8), float8View, dec(TypeOid.text)]),
);
time(
  "  … int4 + float8 via DataView",
  createRowDecoder([int4View, dec(TypeOid.int8), float8View, dec(TypeOid.text)]),
);
time(
  "  … text: short-ASCII JS fast path",
  createRowDecoder([dec(TypeOid.int4), dec(TypeOid.int8), dec(TypeOid.float8), textShortAscii]),
);
time(
  "  … text: latin1Slice when ASCII",
  createRowDecoder([dec(TypeOid.int4), dec(TypeOid.int8), dec(TypeOid.float8), textLatin1IfAscii]),
);
time(
  "all DataView (lengths too) + short-ASCII text",
  viewRowDecoder(int4View, int8View, float8View, textShortAscii),
);
time(
  "all DataView (lengths too) + utf8Slice text",
  viewRowDecoder(int4View, int8View, float8View, dec(TypeOid.text)),
);
time(
  "no text decode (t left as length) — upper bound",
  createRowDecoder([int4View, int8View, float8View, (_b, _s, l) => "x".repeat(0) + l]),
);
