import { copyBytes, decodeUtf8, readBigInt64BE, viewOf } from "./bytes.ts";
import { JULIAN_TO_PG_MICROS, PG_EPOCH_JULIAN_DAY } from "./calendar.ts";
import { formatDecimal, rescaleDecimal } from "./decimal.ts";
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
import { type HyperType, numericScale } from "./oids.ts";
import { decodePgNumeric } from "./pg-numeric.ts";

const bool: FieldDecoder = (buf, start, length) =>
  length === 1 ? buf[start] !== 0 : badLength("BOOLEAN", 1, length);
const int2: FieldDecoder = (buf, start, length) =>
  length === 2 ? viewOf(buf).getInt16(start) : badLength("SMALLINT", 2, length);
const int4: FieldDecoder = (buf, start, length) =>
  length === 4 ? viewOf(buf).getInt32(start) : badLength("INTEGER", 4, length);
const int8: FieldDecoder = (buf, start, length) =>
  length === 8 ? readBigInt64BE(buf, start) : badLength("BIGINT", 8, length);
const oid: FieldDecoder = (buf, start, length) =>
  length === 4 ? viewOf(buf).getUint32(start) : badLength("OID", 4, length);
const float4: FieldDecoder = (buf, start, length) =>
  length === 4 ? viewOf(buf).getFloat32(start) : badLength("REAL", 4, length);
const float8: FieldDecoder = (buf, start, length) =>
  length === 8 ? viewOf(buf).getFloat64(start) : badLength("DOUBLE PRECISION", 8, length);
const text: FieldDecoder = (buf, start, length) => decodeUtf8(buf, start, start + length);
const bytes: FieldDecoder = copyBytes;
const date: FieldDecoder = (buf, start, length) =>
  length === 4
    ? hyperDateFromJulianDayUnchecked(viewOf(buf).getInt32(start) + PG_EPOCH_JULIAN_DAY)
    : badLength("DATE", 4, length);
const time: FieldDecoder = (buf, start, length) =>
  length === 8
    ? hyperTimeFromMicrosecondsUnchecked(
        viewOf(buf).getInt32(start) * TWO_POW_32 + buf.readUInt32BE(start + 4),
      )
    : badLength("TIME", 8, length);
const timestamp: FieldDecoder = (buf, start, length) =>
  length === 8
    ? hyperTimestampFromJulianUnchecked(readBigInt64BE(buf, start) + JULIAN_TO_PG_MICROS, false)
    : badLength("TIMESTAMP", 8, length);
const timestamptz: FieldDecoder = (buf, start, length) =>
  length === 8
    ? hyperTimestampFromJulianUnchecked(readBigInt64BE(buf, start) + JULIAN_TO_PG_MICROS, true)
    : badLength("TIMESTAMP WITH TIME ZONE", 8, length);
const interval: FieldDecoder = (buf, start, length) =>
  length === 16
    ? hyperIntervalUnchecked(
        buf.readInt32BE(start + 12),
        buf.readInt32BE(start + 8),
        readBigInt64BE(buf, start),
      )
    : badLength("INTERVAL", 16, length);

/**
 * PostgreSQL binary NUMERIC, rendered with the typmod's scale, or with the value's own display
 * scale when the typmod is -1. NaN and ±Infinity come back as `"NaN"`, `"Infinity"`, `"-Infinity"`.
 */
function numeric(type: HyperType): FieldDecoder {
  const typedScale = type.typmod >= 4 ? numericScale(type.typmod) : undefined;
  return (buf, start, length) => {
    const parts = decodePgNumeric(buf, start, length);
    if (typeof parts === "string") return parts;
    if (typedScale === undefined) return formatDecimal(parts.unscaled, parts.scale);
    return formatDecimal(rescaleDecimal(parts.unscaled, parts.scale, typedScale), typedScale);
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

/** Decoder for format 1 (standard PostgreSQL binary: big-endian, 2000-01-01 epochs). */
export function pgBinaryDecoder(type: HyperType): FieldDecoder {
  return pickBinaryDecoder(DECODERS, type);
}
