/**
 * The column types the ingest layer creates tables with, spelled as Hyper's catalog spells them
 * (`INTEGER`, `DOUBLE PRECISION`, `TIMESTAMP WITH TIME ZONE`, `NUMERIC(p,s)`), so an inferred
 * schema reads the same as `describe` output, plus the parser of the type names users may give
 * in a schema override and the mapping to the API's `SqlType` for bulk inserts.
 *
 * @module
 */
import { SqlType } from "@hyperdb-ts/hyperdb-api";

/** `BOOLEAN`. */
export const BOOLEAN = "BOOLEAN";
/** `SMALLINT`. */
export const SMALLINT = "SMALLINT";
/** `INTEGER` (32-bit). */
export const INTEGER = "INTEGER";
/** `BIGINT` (64-bit). */
export const BIGINT = "BIGINT";
/** `DOUBLE PRECISION`. */
export const DOUBLE = "DOUBLE PRECISION";
/** `TEXT`. */
export const TEXT = "TEXT";
/** `DATE`. */
export const DATE = "DATE";
/** `TIME`. */
export const TIME = "TIME";
/** `TIMESTAMP` (without time zone). */
export const TIMESTAMP = "TIMESTAMP";
/** `TIMESTAMP WITH TIME ZONE`. */
export const TIMESTAMPTZ = "TIMESTAMP WITH TIME ZONE";
/** `BYTEA`. */
export const BYTEA = "BYTEA";
/** `NUMERIC(38,0)`: integers beyond 64 bits. */
export const NUMERIC_38_0 = "NUMERIC(38,0)";

/** One column of an inferred or overridden schema. */
export interface ColumnSpec {
  /** The column name, verbatim. */
  readonly name: string;
  /** The SQL type, in the spellings of this module. */
  readonly type: string;
  /** Whether the column accepts NULL. */
  readonly nullable: boolean;
}

/** `NUMERIC(p,s)` in catalog spelling. */
export function numericType(precision: number, scale: number): string {
  return `NUMERIC(${precision},${scale})`;
}

const SIMPLE_TYPES: ReadonlyMap<string, string> = new Map([
  ["SMALLINT", SMALLINT],
  ["INT2", SMALLINT],
  ["INT", INTEGER],
  ["INTEGER", INTEGER],
  ["INT4", INTEGER],
  ["BIGINT", BIGINT],
  ["INT8", BIGINT],
  ["FLOAT", DOUBLE],
  ["FLOAT4", DOUBLE],
  ["REAL", DOUBLE],
  ["DOUBLE", DOUBLE],
  ["DOUBLE PRECISION", DOUBLE],
  ["FLOAT8", DOUBLE],
  ["TEXT", TEXT],
  ["VARCHAR", TEXT],
  ["STRING", TEXT],
  ["BOOL", BOOLEAN],
  ["BOOLEAN", BOOLEAN],
  ["DATE", DATE],
  ["TIME", TIME],
  ["TIMESTAMP", TIMESTAMP],
  ["TIMESTAMPTZ", TIMESTAMPTZ],
  ["TIMESTAMP WITH TIME ZONE", TIMESTAMPTZ],
  ["BYTEA", BYTEA],
  ["BYTES", BYTEA],
]);

const NUMERIC_PATTERN = /^(?:NUMERIC|DECIMAL)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/;

/**
 * The canonical type for a user-given type name (case-insensitive, extra blanks ignored), or
 * undefined when the name is not one of the accepted spellings. `FLOAT`, `FLOAT4` and `REAL`
 * become `DOUBLE PRECISION`; `NUMERIC` alone is `NUMERIC(38,0)`; `NUMERIC(p)` has scale 0.
 */
export function parseTypeName(spelling: string): string | undefined {
  const normalized = spelling.trim().replace(/\s+/g, " ").toUpperCase();
  const simple = SIMPLE_TYPES.get(normalized);
  if (simple !== undefined) {
    return simple;
  }
  const numeric = NUMERIC_PATTERN.exec(normalized);
  if (numeric === null) {
    return undefined;
  }
  const precision = numeric[1] === undefined ? 38 : Number(numeric[1]);
  const scale = numeric[2] === undefined ? 0 : Number(numeric[2]);
  if (precision < 1 || precision > 38 || scale > precision) {
    return undefined;
  }
  return numericType(precision, scale);
}

/** Precision and scale of a `NUMERIC(p,s)` spelling, undefined for other types. */
export function numericParts(type: string): { precision: number; scale: number } | undefined {
  const match = /^NUMERIC\((\d+),(\d+)\)$/.exec(type);
  return match === null ? undefined : { precision: Number(match[1]), scale: Number(match[2]) };
}

/** The API type of a canonical type name (see {@link parseTypeName}); TEXT for anything else. */
export function sqlTypeOf(type: string): SqlType {
  switch (type) {
    case BOOLEAN:
      return SqlType.bool();
    case SMALLINT:
      return SqlType.smallInt();
    case INTEGER:
      return SqlType.int();
    case BIGINT:
      return SqlType.bigInt();
    case DOUBLE:
      return SqlType.double();
    case DATE:
      return SqlType.date();
    case TIME:
      return SqlType.time();
    case TIMESTAMP:
      return SqlType.timestamp();
    case TIMESTAMPTZ:
      return SqlType.timestampTz();
    case BYTEA:
      return SqlType.bytes();
    default: {
      const numeric = numericParts(type);
      return numeric === undefined ? SqlType.text() : SqlType.numeric(numeric.precision, numeric.scale);
    }
  }
}
