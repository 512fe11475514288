import type { ByteWriter } from "../buffers/byte-writer.ts";
import { InvalidArgumentError } from "../errors/index.ts";
import { writeInt128LE } from "./int128.ts";
import {
  characterLength,
  type HyperType,
  numericPrecision,
  numericScale,
  TypeOid,
  typeName,
} from "./oids.ts";
import { parseSmallDecimal, smallDecimalFromNumber } from "./small-decimal.ts";
import {
  toBoolean,
  toBytes,
  toDecimal,
  toFloat,
  toHyperDate,
  toHyperInterval,
  toHyperTime,
  toInt64,
  toInteger,
  toJulianMicros,
  toText,
} from "./value-coercion.ts";

/** Writes one non-NULL value in HyperBinary COPY format (the caller writes the null indicator). */
export type CopyValueEncoder = (value: unknown, out: ByteWriter) => void;

const TWO_POW_32 = 4_294_967_296;
/** NUMERIC columns up to this precision are 8 bytes wide in COPY, wider ones 16. */
const MAX_INT64_NUMERIC_PRECISION = 18;

/** Writes a safe integer as int64 LE from two 32-bit halves, avoiding a bigint. */
function writeSafeInt64LE(out: ByteWriter, value: number): void {
  const high = Math.floor(value / TWO_POW_32);
  out.uint32le(value - high * TWO_POW_32);
  out.int32le(high);
}

function integer(
  label: string,
  min: number,
  max: number,
  write: (out: ByteWriter, value: number) => void,
): CopyValueEncoder {
  return (value, out) => {
    write(out, toInteger(value, label, min, max));
  };
}

function numeric(type: HyperType, label: string): CopyValueEncoder {
  const precision = numericPrecision(type.typmod);
  const scale = numericScale(type.typmod);
  const wide = precision > MAX_INT64_NUMERIC_PRECISION;
  const limit = 10 ** precision;
  return (value, out) => {
    // Common case without bigints. NaN (the fast path cannot answer exactly) and values over the
    // precision fall through to the exact path, which also raises the errors.
    const small =
      typeof value === "string"
        ? parseSmallDecimal(value, scale)
        : typeof value === "number"
          ? smallDecimalFromNumber(value, scale)
          : Number.NaN;
    if (small < limit && small > -limit) {
      writeSafeInt64LE(out, small);
      if (wide) {
        const signExtension = small < 0 ? -1 : 0;
        out.int32le(signExtension);
        out.int32le(signExtension);
      }
      return;
    }
    const unscaled = toDecimal(value, label, precision, scale);
    if (wide) writeInt128LE(out, unscaled);
    else out.int64le(unscaled);
  };
}

function text(label: string, maxLength: number | undefined): CopyValueEncoder {
  return (value, out) => {
    const string = toText(value, label, maxLength);
    const lengthOffset = out.reserve(4);
    out.uint32leAt(lengthOffset, out.utf8(string));
  };
}

function bytes(label: string): CopyValueEncoder {
  return (value, out) => {
    const data = toBytes(value, label);
    out.uint32le(data.length);
    out.bytes(data);
  };
}

/**
 * The HyperBinary COPY encoder for a column: little-endian, Julian-day epochs, variable-width
 * values (TEXT, VARCHAR, CHARACTER, JSON, BYTEA, GEOGRAPHY) prefixed with a uint32 LE byte
 * length, NUMERIC as an unscaled int64 (precision ≤ 18) or int128 as the column's precision says.
 *
 * Accepted JS values: BOOLEAN boolean; SMALLINT/INTEGER/OID integral number or bigint in range;
 * BIGINT bigint or safe-integer number; REAL/DOUBLE PRECISION number; NUMERIC decimal string,
 * bigint or finite number (rounded half away from zero to the scale, checked against the
 * precision); text types string (at most n characters for VARCHAR(n)/CHARACTER(n)); BYTEA
 * Uint8Array; DATE HyperDate, Date (UTC day) or `YYYY-MM-DD`; TIME HyperTime or text;
 * TIMESTAMP[TZ] HyperTimestamp, Date or text; INTERVAL HyperInterval or ISO text; GEOGRAPHY
 * Uint8Array of Hyper's own serialization only (WKT must be sent as text and cast by SQL).
 * Anything else throws InvalidArgumentError; an unknown OID throws when the encoder is created.
 */
export function hyperBinaryCopyEncoder(type: HyperType): CopyValueEncoder {
  const label = typeName(type);
  switch (type.oid) {
    case TypeOid.bool:
      return (value, out) => {
        out.uint8(toBoolean(value, label) ? 1 : 0);
      };
    case TypeOid.int2:
      return integer(label, -32_768, 32_767, (out, v) => out.int16le(v));
    case TypeOid.int4:
      return integer(label, -2_147_483_648, 2_147_483_647, (out, v) => out.int32le(v));
    case TypeOid.oid:
      return integer(label, 0, 4_294_967_295, (out, v) => out.uint32le(v));
    case TypeOid.int8:
      return (value, out) => {
        const v = toInt64(value, label);
        if (typeof v === "number") writeSafeInt64LE(out, v);
        else out.int64le(v);
      };
    case TypeOid.float4:
      return (value, out) => {
        out.float32le(toFloat(value, label, true));
      };
    case TypeOid.float8:
      return (value, out) => {
        out.float64le(toFloat(value, label, false));
      };
    case TypeOid.numeric:
      return numeric(type, label);
    case TypeOid.text:
    case TypeOid.json:
      return text(label, undefined);
    case TypeOid.varchar:
    case TypeOid.bpchar:
    case TypeOid.char1:
      return text(label, characterLength(type));
    case TypeOid.bytea:
    case TypeOid.geography:
      return bytes(label);
    case TypeOid.date:
      return (value, out) => {
        out.int32le(toHyperDate(value, label).julianDay);
      };
    case TypeOid.time:
      return (value, out) => {
        writeSafeInt64LE(out, toHyperTime(value, label).microseconds);
      };
    case TypeOid.timestamp:
    case TypeOid.timestamptz:
      return (value, out) => {
        out.int64le(toJulianMicros(value, label));
      };
    case TypeOid.interval:
      return (value, out) => {
        const interval = toHyperInterval(value, label);
        out.int64le(interval.microseconds);
        out.int32le(interval.days);
        out.int32le(interval.months);
      };
    default:
      throw new InvalidArgumentError(`no HyperBinary COPY encoding for ${label}`);
  }
}
