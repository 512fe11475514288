import { formatByteaHex } from "./bytes.ts";
import { formatDecimal } from "./decimal.ts";
import { hyperTimestampFromJulianUnchecked } from "./hyper-timestamp.ts";
import { characterLength, type HyperType, TypeOid, typeName } from "./oids.ts";
import {
  expectedError,
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

/** Renders one non-NULL bind parameter value as text. */
export type TextParamEncoder = (value: unknown) => string;

function formatFloat(value: number): string {
  return Object.is(value, -0) ? "-0" : String(value);
}

/**
 * The format-0 (text) encoder for a bind parameter of `type`: the SQL literal text without
 * quotes. BOOLEAN `true`/`false`; numbers in decimal (floats may be `NaN`, `Infinity`, `-0`);
 * NUMERIC exact decimal; BYTEA `\x…` hex; DATE `2024-06-15`; TIME `12:34:56.789`; TIMESTAMP
 * `2024-06-15 12:34:56.789` (TIMESTAMPTZ in UTC with `+00`, so the session time zone does not
 * matter); INTERVAL ISO 8601. Accepts the same JS values as the binary encoders, except that
 * GEOGRAPHY takes WKT text and an unknown OID takes a string sent as is.
 */
export function textParamEncoder(type: HyperType): TextParamEncoder {
  const label = typeName(type);
  switch (type.oid) {
    case TypeOid.bool:
      return (value) => (toBoolean(value, label) ? "true" : "false");
    case TypeOid.int2:
      return (value) => String(toInteger(value, label, -32_768, 32_767));
    case TypeOid.int4:
      return (value) => String(toInteger(value, label, -2_147_483_648, 2_147_483_647));
    case TypeOid.oid:
      return (value) => String(toInteger(value, label, 0, 4_294_967_295));
    case TypeOid.int8:
      return (value) => String(toInt64(value, label));
    case TypeOid.float4:
      return (value) => formatFloat(toFloat(value, label, true));
    case TypeOid.float8:
      return (value) => formatFloat(toFloat(value, label, false));
    case TypeOid.numeric:
      return numericParamEncoder(type, label, formatDecimal);
    case TypeOid.text:
    case TypeOid.json:
    case TypeOid.varchar:
    case TypeOid.bpchar:
    case TypeOid.char1: {
      const maxLength = characterLength(type);
      return (value) => toText(value, label, maxLength);
    }
    case TypeOid.bytea:
      return (value) => formatByteaHex(toBytes(value, label));
    case TypeOid.geography:
      return (value) => {
        if (typeof value === "string") return value;
        throw expectedError("WKT text", label, value);
      };
    case TypeOid.date:
      return (value) => toHyperDate(value, label).toString();
    case TypeOid.time:
      return (value) => toHyperTime(value, label).toString();
    case TypeOid.timestamp:
      return (value) => hyperTimestampFromJulianUnchecked(toJulianMicros(value, label), false).toString();
    case TypeOid.timestamptz:
      return (value) => hyperTimestampFromJulianUnchecked(toJulianMicros(value, label), true).toString();
    case TypeOid.interval:
      return (value) => toHyperInterval(value, label).toString();
    default:
      return (value) => {
        if (typeof value === "string") return value;
        throw expectedError("a string", label, value);
      };
  }
}
