import { decodeUtf8, parseByteaText } from "./bytes.ts";
import { badText, type FieldDecoder } from "./field-decoder-support.ts";
import { tryParseDate } from "./hyper-date.ts";
import { tryParseInterval } from "./hyper-interval.ts";
import { tryParseTime } from "./hyper-time.ts";
import { tryParseTimestamp } from "./hyper-timestamp.ts";
import { type HyperType, TypeOid, typeName } from "./oids.ts";

const MAX_EXACT_DIGITS = 15;

/** Parses an optionally signed run of ASCII digits straight from the bytes; undefined if malformed. */
function parseAsciiInteger(buf: Buffer, start: number, length: number): number | undefined {
  const end = start + length;
  let i = start;
  const first = buf[i];
  const negative = first === 0x2d;
  if (negative || first === 0x2b) i++;
  if (i >= end) return undefined;
  let value = 0;
  for (; i < end; i++) {
    const digit = buf[i]! - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return negative ? 0 - value : value;
}

function integer(label: string): FieldDecoder {
  return (buf, start, length) =>
    parseAsciiInteger(buf, start, length) ?? badText(label, decodeUtf8(buf, start, start + length));
}

const bool: FieldDecoder = (buf, start, length) => {
  if (length === 1) {
    if (buf[start] === 0x74) return true;
    if (buf[start] === 0x66) return false;
  }
  const text = decodeUtf8(buf, start, start + length);
  if (text === "true") return true;
  if (text === "false") return false;
  return badText("BOOLEAN", text);
};

const int8: FieldDecoder = (buf, start, length) => {
  // Up to 15 digits (plus a sign) are exact as a double: skip the string.
  if (length <= MAX_EXACT_DIGITS) {
    const value = parseAsciiInteger(buf, start, length);
    if (value !== undefined) return BigInt(value);
  }
  const text = decodeUtf8(buf, start, start + length);
  if (!/^[+-]?\d+$/.test(text)) return badText("BIGINT", text);
  return BigInt(text);
};

const specialFloats: ReadonlyMap<string, number> = new Map([
  ["nan", Number.NaN],
  ["inf", Number.POSITIVE_INFINITY],
  ["+inf", Number.POSITIVE_INFINITY],
  ["infinity", Number.POSITIVE_INFINITY],
  ["+infinity", Number.POSITIVE_INFINITY],
  ["-inf", Number.NEGATIVE_INFINITY],
  ["-infinity", Number.NEGATIVE_INFINITY],
]);

/**
 * REAL (`single`) text is the shortest decimal that identifies the float32 (`1e-45`, `0.1`);
 * parsed as a double it is a different number, so it is rounded back to float32 to give the
 * same value as the binary formats.
 */
function float(label: string, single: boolean): FieldDecoder {
  return (buf, start, length) => {
    const text = decodeUtf8(buf, start, start + length);
    const value = Number(text);
    if (!Number.isNaN(value) && length > 0) return single ? Math.fround(value) : value;
    return specialFloats.get(text.toLowerCase()) ?? badText(label, text);
  };
}

const text: FieldDecoder = (buf, start, length) => decodeUtf8(buf, start, start + length);

const bytea: FieldDecoder = (buf, start, length) =>
  parseByteaText(buf, start, length) ?? badText("BYTEA", decodeUtf8(buf, start, start + length));

const date: FieldDecoder = (buf, start, length) => {
  const value = decodeUtf8(buf, start, start + length);
  return tryParseDate(value) ?? badText("DATE", value);
};

const time: FieldDecoder = (buf, start, length) => {
  const value = decodeUtf8(buf, start, start + length);
  return tryParseTime(value) ?? badText("TIME", value);
};

const timestamp: FieldDecoder = (buf, start, length) => {
  const value = decodeUtf8(buf, start, start + length);
  return tryParseTimestamp(value, false) ?? badText("TIMESTAMP", value);
};

/** TIMESTAMPTZ text is rendered in the session time zone; its offset converts it back to UTC. */
const timestamptz: FieldDecoder = (buf, start, length) => {
  const value = decodeUtf8(buf, start, start + length);
  return tryParseTimestamp(value, true) ?? badText("TIMESTAMP WITH TIME ZONE", value);
};

const interval: FieldDecoder = (buf, start, length) => {
  const value = decodeUtf8(buf, start, start + length);
  return tryParseInterval(value) ?? badText("INTERVAL", value);
};

/**
 * Decoder for format 0 (PostgreSQL text), producing the same JS types as the binary formats.
 * NUMERIC text is returned as sent (Hyper prints exactly `scale` fraction digits); GEOGRAPHY and
 * unknown types come back as strings.
 */
export function textDecoder(type: HyperType): FieldDecoder {
  switch (type.oid) {
    case TypeOid.bool:
      return bool;
    case TypeOid.int2:
    case TypeOid.int4:
    case TypeOid.oid:
      return integer(typeName(type));
    case TypeOid.int8:
      return int8;
    case TypeOid.float4:
      return float(typeName(type), true);
    case TypeOid.float8:
      return float(typeName(type), false);
    case TypeOid.bytea:
      return bytea;
    case TypeOid.date:
      return date;
    case TypeOid.time:
      return time;
    case TypeOid.timestamp:
      return timestamp;
    case TypeOid.timestamptz:
      return timestamptz;
    case TypeOid.interval:
      return interval;
    default:
      // text, varchar, bpchar, char1, json, numeric, geography (WKT) and unknown types.
      return text;
  }
}
