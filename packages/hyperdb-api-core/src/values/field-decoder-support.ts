import { ProtocolError } from "../errors/index.ts";
import { type HyperType, TypeOid } from "./oids.ts";

/**
 * Decodes one non-NULL field value from `buf[start, start + length)`. The bytes are only valid
 * during the call (the buffer is reused), so results never alias them.
 */
export type FieldDecoder = (buf: Buffer, start: number, length: number) => unknown;

/** 2³², to assemble a 64-bit integer from two 32-bit halves without a bigint. */
export const TWO_POW_32 = 4_294_967_296;

/** Throws the ProtocolError for a fixed-width value that arrived with the wrong length. */
export function badLength(typeLabel: string, expected: number | string, actual: number): never {
  throw new ProtocolError(`expected ${expected} bytes for a ${typeLabel} value, got ${actual}`);
}

/** Throws the ProtocolError for a text value the server sent that cannot be parsed. */
export function badText(typeLabel: string, text: string): never {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  throw new ProtocolError(`cannot parse ${typeLabel} value ${JSON.stringify(shown)}`);
}

/** The decoders of one binary result format (PG binary or HyperBinary), one per kind of type. */
export interface BinaryDecoderSet {
  readonly bool: FieldDecoder;
  readonly int2: FieldDecoder;
  readonly int4: FieldDecoder;
  readonly int8: FieldDecoder;
  readonly oid: FieldDecoder;
  readonly float4: FieldDecoder;
  readonly float8: FieldDecoder;
  readonly numeric: (type: HyperType) => FieldDecoder;
  readonly text: FieldDecoder;
  readonly date: FieldDecoder;
  readonly time: FieldDecoder;
  readonly timestamp: FieldDecoder;
  readonly timestamptz: FieldDecoder;
  readonly interval: FieldDecoder;
  /** bytea, geography (Hyper's own serialization) and unknown types: raw bytes. */
  readonly bytes: FieldDecoder;
}

/** The decoder of `set` for a column of `type`. */
export function pickBinaryDecoder(set: BinaryDecoderSet, type: HyperType): FieldDecoder {
  switch (type.oid) {
    case TypeOid.bool:
      return set.bool;
    case TypeOid.int2:
      return set.int2;
    case TypeOid.int4:
      return set.int4;
    case TypeOid.int8:
      return set.int8;
    case TypeOid.oid:
      return set.oid;
    case TypeOid.float4:
      return set.float4;
    case TypeOid.float8:
      return set.float8;
    case TypeOid.numeric:
      return set.numeric(type);
    case TypeOid.text:
    case TypeOid.varchar:
    case TypeOid.bpchar:
    case TypeOid.char1:
    case TypeOid.json:
      return set.text;
    case TypeOid.date:
      return set.date;
    case TypeOid.time:
      return set.time;
    case TypeOid.timestamp:
      return set.timestamp;
    case TypeOid.timestamptz:
      return set.timestamptz;
    case TypeOid.interval:
      return set.interval;
    default:
      return set.bytes;
  }
}
