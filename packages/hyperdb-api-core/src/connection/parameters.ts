import { InvalidArgumentError } from "../errors/index.ts";
import type { WireParameter } from "../protocol/frontend-writer.ts";
import {
  HyperDate,
  HyperInterval,
  HyperTime,
  HyperTimestamp,
  pgBinaryParamEncoder,
  TypeOid,
  textParamEncoder,
} from "../values/index.ts";

/** JS values accepted as statement parameters. `null` and `undefined` are SQL NULL. */
export type ParameterValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Date
  | HyperDate
  | HyperTime
  | HyperTimestamp
  | HyperInterval;

/** Parameters ready for Parse (their type OIDs) and Bind (format and bytes). */
export interface EncodedParameters {
  readonly oids: readonly number[];
  readonly values: readonly WireParameter[];
  /** The JS values, kept for error reports. */
  readonly source: readonly unknown[];
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const binaryEncoders = new Map<number, (value: unknown) => Buffer>();
const textEncoders = new Map<number, (value: unknown) => string>();

function binary(oid: number, value: unknown): WireParameter {
  let encoder = binaryEncoders.get(oid);
  if (encoder === undefined) {
    encoder = pgBinaryParamEncoder({ oid, typmod: -1 });
    binaryEncoders.set(oid, encoder);
  }
  return { format: 1, value: encoder(value) };
}

function text(oid: number, value: unknown): WireParameter {
  let encoder = textEncoders.get(oid);
  if (encoder === undefined) {
    encoder = textParamEncoder({ oid, typmod: -1 });
    textEncoders.set(oid, encoder);
  }
  return { format: 0, value: encoder(value) };
}

/** Picks the SQL type of a parameter from its JS value. */
function inferOid(value: unknown, index: number): number {
  switch (typeof value) {
    case "boolean":
      return TypeOid.bool;
    case "number":
      if (Number.isInteger(value)) {
        if (value >= INT32_MIN && value <= INT32_MAX) return TypeOid.int4;
        if (Number.isSafeInteger(value)) return TypeOid.int8;
      }
      return TypeOid.float8;
    case "bigint":
      return value >= INT64_MIN && value <= INT64_MAX ? TypeOid.int8 : TypeOid.numeric;
    case "string":
      return 0;
  }
  if (value instanceof Uint8Array) return TypeOid.bytea;
  if (value instanceof HyperDate) return TypeOid.date;
  if (value instanceof HyperTime) return TypeOid.time;
  if (value instanceof HyperTimestamp) return value.withTimeZone ? TypeOid.timestamptz : TypeOid.timestamp;
  if (value instanceof HyperInterval) return TypeOid.interval;
  if (value instanceof Date) return TypeOid.timestamptz;
  const kind =
    value === null
      ? "null"
      : typeof value === "object"
        ? (value.constructor?.name ?? "object")
        : typeof value;
  throw new InvalidArgumentError(
    `parameter $${index + 1} has unsupported type ${kind}; use a boolean, number, bigint, string, Uint8Array, Date or a Hyper value class`,
  );
}

/**
 * Encodes statement parameters. Numbers, booleans, bigints, bytes and temporal values go
 * in PostgreSQL binary (format 1) with their OID; strings go as text with OID 0 so the
 * server types them from context. NUMERIC always travels as text with OID 0, because a
 * declared NUMERIC parameter is NUMERIC(38,0) in Hyper and would lose its fraction.
 */
export function encodeParameters(
  values: readonly unknown[],
  declaredTypes: readonly (number | undefined)[] = [],
): EncodedParameters {
  const oids: number[] = new Array(values.length);
  const wire: WireParameter[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const declared = declaredTypes[i] ?? 0;
    if (value === null || value === undefined) {
      oids[i] = declared === TypeOid.numeric ? 0 : declared;
      wire[i] = { format: 1, value: null };
      continue;
    }
    const oid = declared !== 0 ? declared : inferOid(value, i);
    try {
      if (oid === 0) {
        if (typeof value !== "string")
          throw new InvalidArgumentError(`cannot send ${typeof value} as untyped text`);
        oids[i] = 0;
        wire[i] = { format: 0, value };
      } else if (oid === TypeOid.numeric) {
        oids[i] = 0;
        wire[i] = text(oid, value);
      } else if (oid === TypeOid.geography && value instanceof Uint8Array) {
        // Hyper has no PostgreSQL-binary input for geography; its own bytes go as format 2.
        oids[i] = oid;
        wire[i] = { format: 2, value: Buffer.from(value.buffer, value.byteOffset, value.byteLength) };
      } else {
        oids[i] = oid;
        wire[i] = typeof value === "string" ? text(oid, value) : binary(oid, value);
      }
    } catch (error) {
      if (error instanceof InvalidArgumentError) {
        throw new InvalidArgumentError(`parameter $${i + 1}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
  return { oids, values: wire, source: values };
}
