import type { ByteWriter } from "../buffers/byte-writer.ts";
import { readBigInt64LE } from "./bytes.ts";

/** Reads a 16-byte little-endian two's-complement integer (HyperBinary NUMERIC with precision > 18). */
export function readInt128LE(buf: Buffer, start: number): bigint {
  const low = buf.readBigUInt64LE(start);
  const high = readBigInt64LE(buf, start + 8);
  return (high << 64n) | low;
}

/** Writes `value` (which must fit in 128 bits) as a 16-byte little-endian two's-complement integer. */
export function writeInt128LE(out: ByteWriter, value: bigint): void {
  out.int64le(BigInt.asIntN(64, value));
  out.int64le(BigInt.asIntN(64, value >> 64n));
}
