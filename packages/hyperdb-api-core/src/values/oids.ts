/**
 * PostgreSQL type OIDs of the types hyperd reports in RowDescription / ParameterDescription.
 * `char1` is Hyper's `CHARACTER(1)` (PG's single-byte `"char"` OID); `geography` is Hyper-specific.
 */
export const TypeOid = {
  bool: 16,
  bytea: 17,
  char1: 18,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  numeric: 1700,
  geography: 5003,
} as const;

/** A type as the server describes a column or parameter: OID plus type modifier (-1 = none). */
export interface HyperType {
  readonly oid: number;
  readonly typmod: number;
}

/** Largest precision of Hyper's NUMERIC. */
export const MAX_NUMERIC_PRECISION = 38;

/** Precision of a NUMERIC typmod; 38 when the typmod is -1 (bare `NUMERIC`). */
export function numericPrecision(typmod: number): number {
  return typmod < 4 ? MAX_NUMERIC_PRECISION : ((typmod - 4) >>> 16) & 0xffff;
}

/** Scale of a NUMERIC typmod; 0 when the typmod is -1 (bare `NUMERIC`). */
export function numericScale(typmod: number): number {
  return typmod < 4 ? 0 : (typmod - 4) & 0xffff;
}

/** The typmod of `NUMERIC(precision, scale)`: `((precision << 16) | scale) + 4`. */
export function numericTypmod(precision: number, scale: number): number {
  return ((precision << 16) | scale) + 4;
}

/**
 * Declared length of a VARCHAR(n) / CHARACTER(n) typmod (`n + 4`), or undefined when unbounded
 * (typmod -1). CHARACTER(1) with OID 18 always has length 1.
 */
export function characterLength(type: HyperType): number | undefined {
  if (type.oid === TypeOid.char1) return 1;
  return type.typmod >= 4 ? type.typmod - 4 : undefined;
}

const fixedNames: ReadonlyMap<number, string> = new Map([
  [TypeOid.bool, "BOOLEAN"],
  [TypeOid.bytea, "BYTEA"],
  [TypeOid.char1, "CHARACTER(1)"],
  [TypeOid.int8, "BIGINT"],
  [TypeOid.int2, "SMALLINT"],
  [TypeOid.int4, "INTEGER"],
  [TypeOid.text, "TEXT"],
  [TypeOid.oid, "OID"],
  [TypeOid.json, "JSON"],
  [TypeOid.float4, "REAL"],
  [TypeOid.float8, "DOUBLE PRECISION"],
  [TypeOid.date, "DATE"],
  [TypeOid.time, "TIME"],
  [TypeOid.timestamp, "TIMESTAMP"],
  [TypeOid.timestamptz, "TIMESTAMP WITH TIME ZONE"],
  [TypeOid.interval, "INTERVAL"],
  [TypeOid.geography, "GEOGRAPHY"],
]);

/** The SQL spelling of a type, e.g. `INTEGER`, `NUMERIC(10,2)`, `VARCHAR(20)`; unknown OIDs give `oid <n>`. */
export function typeName(type: HyperType): string {
  switch (type.oid) {
    case TypeOid.numeric:
      return type.typmod < 4
        ? "NUMERIC"
        : `NUMERIC(${numericPrecision(type.typmod)},${numericScale(type.typmod)})`;
    case TypeOid.varchar:
      return type.typmod < 4 ? "VARCHAR" : `VARCHAR(${type.typmod - 4})`;
    case TypeOid.bpchar:
      return type.typmod < 4 ? "CHARACTER" : `CHARACTER(${type.typmod - 4})`;
    default:
      return fixedNames.get(type.oid) ?? `oid ${type.oid}`;
  }
}
