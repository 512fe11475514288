import { copyBytes, decodeUtf8, readBigInt64LE, viewOf } from "./bytes.ts";
import { formatDecimal, formatDecimalDigits } from "./decimal.ts";
import {
  type BinaryDecoderSet,
  badLength,
  type FieldDecoder,
  pickBinaryDecoder,
  TWO_POW_32,
} from "./field-decoder-support.ts";
import { hyperDateFromJulianDayUnchecked } from "./hyper-date.ts";
import { hyperIntervalUnchecked } from "./hyper-interval.ts";
import { hyperTimeFromMicrosecondsUnchecked } from "./hyper-time.ts";
import { hyperTimestampFromJulianUnchecked } from "./hyper-timestamp.ts";
import { readInt128LE } from "./int128.ts";
import { type HyperType, numericScale, typeName } from "./oids.ts";

/** 2²¹: a 64-bit value whose high int32 half is within ±2²¹ is a safe JS integer. */
const SAFE_HIGH_LIMIT = 0x20_0000;

const bool: FieldDecoder = (buf, start, length) =>
  length === 1 ? buf[start] !== 0 : badLength("BOOLEAN", 1, length);
const int2: FieldDecoder = (buf, start, length) =>
  length === 2 ? viewOf(buf).getInt16(start, true) : badLength("SMALLINT", 2, length);
const int4: FieldDecoder = (buf, start, length) =>
  length === 4 ? viewOf(buf).getInt32(start, true) : badLength("INTEGER", 4, length);
const int8: FieldDecoder = (buf, start, length) =>
  length === 8 ? readBigInt64LE(buf, start) : badLength("BIGINT", 8, length);
const oid: FieldDecoder = (buf, start, length) =>
  length === 4 ? viewOf(buf).getUint32(start, true) : badLength("OID", 4, length);
const float4: FieldDecoder = (buf, start, length) =>
  length === 4 ? viewOf(buf).getFloat32(start, true) : badLength("REAL", 4, length);
const float8: FieldDecoder = (buf, start, length) =>
  length === 8 ? viewOf(buf).getFloat64(start, true) : badLength("DOUBLE PRECISION", 8, length);
const text: FieldDecoder = (buf, start, length) => decodeUtf8(buf, start, start + length);
const bytes: FieldDecoder = copyBytes;
const date: FieldDecoder = (buf, start, length) =>
  length === 4
    ? hyperDateFromJulianDayUnchecked(viewOf(buf).getInt32(start, true))
    : badLength("DATE", 4, length);
const time: FieldDecoder = (buf, start, length) =>
  length === 8
    ? hyperTimeFromMicrosecondsUnchecked(
        buf.readInt32LE(start + 4) * TWO_POW_32 + viewOf(buf).getUint32(start, true),
      )
    : badLength("TIME", 8, length);
const timestamp: FieldDecoder = (buf, start, length) =>
  length === 8
    ? hyperTimestampFromJulianUnchecked(readBigInt64LE(buf, start), false)
    : badLength("TIMESTAMP", 8, length);
const timestamptz: FieldDecoder = (buf, start, length) =>
  length === 8
    ? hyperTimestampFromJulianUnchecked(readBigInt64LE(buf, start), true)
    : badLength("TIMESTAMP WITH TIME ZONE", 8, length);
const interval: FieldDecoder = (buf, start, length) =>
  length === 16
    ? hyperIntervalUnchecked(
        buf.readInt32LE(start + 12),
        buf.readInt32LE(start + 8),
        readBigInt64LE(buf, start),
      )
    : badLength("INTERVAL", 16, length);

/**
 * NUMERIC arrives as an unscaled integer: 8 bytes (precision ≤ 18) or 16 bytes; the width is
 * taken from the value's length, the scale from the typmod.
 */
function numeric(type: HyperType): FieldDecoder {
  const scale = numericScale(type.typmod);
  const label = typeName(type);
  return (buf, start, length) => {
    if (length !== 8 && length !== 16) return badLength(label, "8 or 16", length);
    const high = buf.readInt32LE(start + 4);
    // Fast path without a bigint: the value fits in 53 bits (for 16 bytes, the upper half is
    // just the sign extension).
    if (
      high >= -SAFE_HIGH_LIMIT &&
      high < SAFE_HIGH_LIMIT &&
      (length === 8 ||
        (buf.readInt32LE(start + 8) === high >> 31 && buf.readInt32LE(start + 12) === high >> 31))
    ) {
      const value = high * TWO_POW_32 + viewOf(buf).getUint32(start, true);
      return value < 0
        ? formatDecimalDigits(true, String(-value), scale)
        : formatDecimalDigits(false, String(value), scale);
    }
    return formatDecimal(length === 8 ? readBigInt64LE(buf, start) : readInt128LE(buf, start), scale);
  };
}

/** This format's decoder of each kind of type. */
const DECODERS: BinaryDecoderSet = {
  bool,
  int2,
  int4,
  int8,
  oid,
  float4,
  float8,
  numeric,
  text,
  date,
  time,
  timestamp,
  timestamptz,
  interval,
  bytes,
};

/** Decoder for format 2 (HyperBinary: little-endian, Julian-day epochs, no inner framing). */
export function hyperBinaryDecoder(type: HyperType): FieldDecoder {
  return pickBinaryDecoder(DECODERS, type);
}
