import { InvalidArgumentError } from "../errors/index.ts";
import type { FieldDecoder } from "./field-decoder-support.ts";
import { hyperBinaryDecoder } from "./hyper-binary-decoders.ts";
import type { HyperType } from "./oids.ts";
import { pgBinaryDecoder } from "./pg-binary-decoders.ts";
import { textDecoder } from "./text-decoders.ts";

/** Result format codes of the PostgreSQL protocol as hyperd uses them; 2 is HyperBinary. */
export type ValueFormat = 0 | 1 | 2;

/**
 * The decoder for one column, chosen once from its type and format (never per value).
 *
 * JS results: BOOLEAN → boolean; SMALLINT, INTEGER, OID → number; BIGINT → bigint; REAL,
 * DOUBLE PRECISION → number; NUMERIC → exact decimal string with exactly `scale` fraction
 * digits; TEXT, VARCHAR, CHARACTER (blank-padded as sent), JSON → string; BYTEA → Uint8Array
 * (a copy); GEOGRAPHY → Uint8Array (Hyper's serialization) in binary formats, WKT string in text;
 * DATE → HyperDate; TIME → HyperTime; TIMESTAMP[TZ] → HyperTimestamp; INTERVAL → HyperInterval.
 * Unknown OIDs → string (text format) or Uint8Array copy (binary formats).
 *
 * Decoders throw ProtocolError for bytes they cannot interpret.
 */
export function fieldDecoder(type: HyperType, format: ValueFormat): FieldDecoder {
  switch (format) {
    case 2:
      return hyperBinaryDecoder(type);
    case 1:
      return pgBinaryDecoder(type);
    case 0:
      return textDecoder(type);
    default:
      throw new InvalidArgumentError(`unknown value format ${String(format)}`);
  }
}
