/**
 * The query result a chart is drawn from, in the shape chart building needs: each column's
 * kind (from its SQL type) and the rows' values converted for plotting.
 *
 * - Numeric SQL types (SMALLINT, INTEGER, BIGINT, REAL, DOUBLE PRECISION, NUMERIC) ⇒ `number`:
 *   values become JS numbers (BIGINT and NUMERIC through `Number`, so values beyond 2^53 are
 *   rounded, which a chart cannot show anyway); NaN and ±Infinity become `null`.
 * - DATE ⇒ `date`, TIMESTAMP ⇒ `timestamp`, TIMESTAMP WITH TIME ZONE ⇒ `timestamptz`: values
 *   become milliseconds since the epoch (UTC), so a time axis is proportional.
 * - Everything else ⇒ `text`: values are rendered as in query results ({@link toJsonValue}) and
 *   kept as strings (objects and arrays as compact JSON).
 *
 * @module
 */
import { HyperDate, HyperTimestamp } from "@hyperdb-ts/hyperdb-api";
import { toJsonValue } from "../engine/json-values.ts";

/** How a column can be plotted. */
export type ColumnKind = "number" | "date" | "timestamp" | "timestamptz" | "text";

/** One value ready for plotting: numbers for numeric and time columns, strings otherwise. */
export type ChartValue = number | string | null;

/** A result column. */
export interface ChartColumn {
  readonly name: string;
  readonly kind: ColumnKind;
}

/** A query result as charts read it; each row has one value per column, in column order. */
export interface ChartTable {
  readonly columns: readonly ChartColumn[];
  readonly rows: readonly (readonly ChartValue[])[];
}

const NUMERIC_TYPES = /^(SMALLINT|INTEGER|BIGINT|REAL|DOUBLE PRECISION|NUMERIC)\b/;

/** The kind of a column from the SQL type name the driver reports (e.g. `NUMERIC(10,2)`). */
export function columnKind(typeName: string): ColumnKind {
  if (NUMERIC_TYPES.test(typeName)) {
    return "number";
  }
  switch (typeName) {
    case "DATE":
      return "date";
    case "TIMESTAMP":
      return "timestamp";
    case "TIMESTAMP WITH TIME ZONE":
      return "timestamptz";
    default:
      return "text";
  }
}

/** Converts one value read from Hyper for a column of `kind`. */
export function chartValue(value: unknown, kind: ColumnKind): ChartValue {
  if (value === null || value === undefined) {
    return null;
  }
  switch (kind) {
    case "number":
      return toFiniteNumber(value);
    case "date":
    case "timestamp":
    case "timestamptz":
      return toEpochMillis(value);
    default:
      return toText(value);
  }
}

function toFiniteNumber(value: unknown): number | null {
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

function toEpochMillis(value: unknown): number | null {
  const date = value instanceof HyperDate || value instanceof HyperTimestamp ? value.toDate() : value;
  if (date instanceof Date) {
    // Beyond the range of a JS Date (about ±275,000 years) the time is NaN.
    const time = date.getTime();
    return Number.isFinite(time) ? time : null;
  }
  return null;
}

function toText(value: unknown): string | null {
  const json = toJsonValue(value);
  if (json === null) {
    return null;
  }
  return typeof json === "string" ? json : JSON.stringify(json);
}
