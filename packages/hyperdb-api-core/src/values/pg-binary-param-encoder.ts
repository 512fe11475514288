import { InvalidArgumentError } from "../errors/index.ts";
import { JULIAN_TO_PG_MICROS, PG_EPOCH_JULIAN_DAY } from "./calendar.ts";
import { characterLength, type HyperType, TypeOid, typeName } from "./oids.ts";
import { encodePgNumeric } from "./pg-numeric.ts";
import {
  numericParamEncoder,
  toBoolean,
  toBytes,
  toFloat,
  toHyperDate,
  toHyperInterval,
  toHyperTime,
  toInt64,
  toInteger,
  toJulianMicros,
  toText,
} from "./value-coercion.ts";

/** Encodes one non-NULL bind parameter value to its wire bytes. */
export type ParamEncoder = (value: unknown) => Buffer;

const TWO_POW_32 = 4_294_967_296;

function fixed(
  size: number,
  write: (buf: Buffer, value: number) => void,
  convert: (value: unknown) => number,
) {
  return (value: unknown): Buffer => {
    const buf = Buffer.allocUnsafe(size);
    write(buf, convert(value));
    return buf;
  };
}

function int64(value: bigint | number): Buffer {
  const buf = Buffer.allocUnsafe(8);
  if (typeof value === "bigint") {
    buf.writeBigInt64BE(value, 0);
  } else {
    const high = Math.floor(value / TWO_POW_32);
    buf.writeInt32BE(high, 0);
    buf.writeUInt32BE(value - high * TWO_POW_32, 4);
  }
  return buf;
}

/**
 * The format-1 (standard PostgreSQL binary: big-endian, 2000-01-01 epochs) encoder for a bind
 * parameter of `type`. Accepts the same JS values as {@link hyperBinaryCopyEncoder}; NUMERIC is
 * sent as PostgreSQL base-10000 numeric (with typmod -1, as for parameters, at the value's own
 * scale). BYTEA/GEOGRAPHY results may share memory with the given Uint8Array.
 */
export function pgBinaryParamEncoder(type: HyperType): ParamEncoder {
  const label = typeName(type);
  switch (type.oid) {
    case TypeOid.bool:
      return fixed(
        1,
        (buf, v) => buf.writeUInt8(v, 0),
        (value) => (toBoolean(value, label) ? 1 : 0),
      );
    case TypeOid.int2:
      return fixed(
        2,
        (buf, v) => buf.writeInt16BE(v, 0),
        (value) => toInteger(value, label, -32_768, 32_767),
      );
    case TypeOid.int4:
      return fixed(
        4,
        (buf, v) => buf.writeInt32BE(v, 0),
        (value) => toInteger(value, label, -2_147_483_648, 2_147_483_647),
      );
    case TypeOid.oid:
      return fixed(
        4,
        (buf, v) => buf.writeUInt32BE(v, 0),
        (value) => toInteger(value, label, 0, 4_294_967_295),
      );
    case TypeOid.int8:
      return (value) => int64(toInt64(value, label));
    case TypeOid.float4:
      return fixed(
        4,
        (buf, v) => buf.writeFloatBE(v, 0),
        (value) => toFloat(value, label, true),
      );
    case TypeOid.float8:
      return fixed(
        8,
        (buf, v) => buf.writeDoubleBE(v, 0),
        (value) => toFloat(value, label, false),
      );
    case TypeOid.numeric:
      return numericParamEncoder(type, label, encodePgNumeric);
    case TypeOid.text:
    case TypeOid.json:
    case TypeOid.varchar:
    case TypeOid.bpchar:
    case TypeOid.char1: {
      const maxLength = characterLength(type);
      return (value) => Buffer.from(toText(value, label, maxLength), "utf8");
    }
    case TypeOid.bytea:
    case TypeOid.geography:
      return (value) => {
        const data = toBytes(value, label);
        return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      };
    case TypeOid.date:
      return fixed(
        4,
        (buf, v) => buf.writeInt32BE(v, 0),
        (value) => toHyperDate(value, label).julianDay - PG_EPOCH_JULIAN_DAY,
      );
    case TypeOid.time:
      return (value) => int64(toHyperTime(value, label).microseconds);
    case TypeOid.timestamp:
    case TypeOid.timestamptz:
      return (value) => int64(toJulianMicros(value, label) - JULIAN_TO_PG_MICROS);
    case TypeOid.interval:
      return (value) => {
        const interval = toHyperInterval(value, label);
        const buf = Buffer.allocUnsafe(16);
        buf.writeBigInt64BE(interval.microseconds, 0);
        buf.writeInt32BE(interval.days, 8);
        buf.writeInt32BE(interval.months, 12);
        return buf;
      };
    default:
      throw new InvalidArgumentError(`no binary parameter encoding for ${label}`);
  }
}
