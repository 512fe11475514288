/**
 * Micro-benchmark behind the insert suggestions in the README: encodes the benchmark's rows
 * (INT, BIGINT, DOUBLE, TEXT, all NOT NULL) into HyperBinary COPY bytes in memory, with the
 * core's HyperBinaryRowEncoder and with hand-written variants of the value writes, to size
 * each suggestion. Row generation (makeRow) is included everywhere, as in the benchmark.
 *
 *   node bench/micro-encode.ts
 */

import { ByteWriter, HyperBinaryRowEncoder, hyperBinaryCopyEncoder } from "../src/index.ts";
import { COPY_COLUMNS, makeRow } from "./rows.ts";

const ROWS = 2_000_000;
const CHUNK = 16 * 1024 * 1024;
const encoder = new HyperBinaryRowEncoder(COPY_COLUMNS);
const TWO_POW_32 = 4_294_967_296;

interface Utf8WriteBuffer {
  utf8Write(value: string, offset: number, length?: number): number;
}

/** The core path: encodeRow into a ByteWriter. */
function core(): number {
  const out = new ByteWriter(CHUNK + 65_536);
  let total = 0;
  for (let n = 0; n < ROWS; n++) {
    encoder.encodeRow(makeRow(n), out);
    if (out.length >= CHUNK) {
      total += out.length;
      out.reset();
    }
  }
  return total + out.length;
}

/**
 * The core's own value encoders and ByteWriter, but called from one call site per column
 * (as createRowDecoder does for decoding) instead of `encoders[index](…)` in a loop.
 */
const [e0, e1, e2, e3] = COPY_COLUMNS.map((column) => hyperBinaryCopyEncoder(column.type));
function unrolled(): number {
  const out = new ByteWriter(CHUNK + 65_536);
  let total = 0;
  for (let n = 0; n < ROWS; n++) {
    const row = makeRow(n);
    e0!(row[0], out);
    e1!(row[1], out);
    e2!(row[2], out);
    e3!(row[3], out);
    if (out.length >= CHUNK) {
      total += out.length;
      out.reset();
    }
  }
  return total + out.length;
}

/** Rows generated only (the floor: what makeRow alone costs). */
function generateOnly(): number {
  let total = 0;
  for (let n = 0; n < ROWS; n++) total += makeRow(n)[3].length;
  return total;
}

/**
 * The same bytes written straight into a Buffer: one capacity check per row, DataView for
 * numbers, and either `buf.utf8Write` (no argument checks) or a charCodeAt loop for text.
 */
function direct(
  textMode: "utf8Write" | "ascii-loop" | "buffer.write",
  numbers: "view" | "buffer" = "view",
): number {
  const buf = Buffer.allocUnsafe(CHUNK + 65_536);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  let total = 0;
  for (let n = 0; n < ROWS; n++) {
    const row = makeRow(n);
    const i = row[0];
    const b = row[1];
    const d = row[2];
    const t = row[3];
    if (!Number.isInteger(i) || !Number.isSafeInteger(b) || typeof d !== "number" || typeof t !== "string") {
      throw new TypeError("bad row");
    }
    const high = Math.floor(b / TWO_POW_32);
    if (numbers === "view") {
      view.setInt32(pos, i, true);
      view.setUint32(pos + 4, b - high * TWO_POW_32, true);
      view.setInt32(pos + 8, high, true);
      view.setFloat64(pos + 12, d, true);
    } else {
      buf.writeInt32LE(i, pos);
      buf.writeUInt32LE(b - high * TWO_POW_32, pos + 4);
      buf.writeInt32LE(high, pos + 8);
      buf.writeDoubleLE(d, pos + 12);
    }
    pos += 20;
    let written: number;
    if (textMode === "ascii-loop") {
      const length = t.length;
      let k = 0;
      for (; k < length; k++) {
        const c = t.charCodeAt(k);
        if (c >= 0x80) break;
        buf[pos + 4 + k] = c;
      }
      written = k === length ? length : (buf as unknown as Utf8WriteBuffer).utf8Write(t, pos + 4);
    } else if (textMode === "utf8Write") {
      written = (buf as unknown as Utf8WriteBuffer).utf8Write(t, pos + 4);
    } else {
      written = buf.write(t, pos + 4, "utf8");
    }
    if (numbers === "view") view.setUint32(pos, written, true);
    else buf.writeUInt32LE(written, pos);
    pos += 4 + written;
    if (pos >= CHUNK) {
      total += pos;
      pos = 0;
    }
  }
  return total + pos;
}

function time(name: string, fn: () => number): void {
  let best = Number.POSITIVE_INFINITY;
  let bytes = 0;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    bytes = fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  console.log(
    `${name.padEnd(62)} ${(ROWS / best / 1e6).toFixed(2).padStart(6)} M rows/s  ${((best / ROWS) * 1e9).toFixed(0).padStart(4)} ns/row  ${(bytes / 1e6).toFixed(1)} MB`,
  );
}

console.log(`${ROWS.toLocaleString("en-US")} rows, best of 5`);
time("makeRow only (generation floor)", generateOnly);
time("core HyperBinaryRowEncoder.encodeRow + ByteWriter", core);
time("core value encoders + ByteWriter, one call site per column", unrolled);
time("direct: Buffer.writeInt32LE/…DoubleLE numbers, buf.write text", () => direct("buffer.write", "buffer"));
time("direct: DataView numbers, buf.write(t, o, 'utf8')", () => direct("buffer.write"));
time("direct: DataView numbers, buf.utf8Write(t, o)", () => direct("utf8Write"));
time("direct: DataView numbers, charCodeAt loop for ASCII text", () => direct("ascii-loop"));
