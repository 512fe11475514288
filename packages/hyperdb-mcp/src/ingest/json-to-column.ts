/**
 * Fitting parsed JSON values to the column types of the table they go into, for the bulk
 * inserter: integers (bigint) become numbers for INTEGER/SMALLINT/DOUBLE, objects and arrays
 * compact JSON text for TEXT, numbers and booleans their text for TEXT, and so on. A value that
 * cannot fit (a word in an INTEGER column after an override) is `SCHEMA_MISMATCH` naming the row
 * and column.
 *
 * @module
 */

import { errorMessage } from "../error-message.ts";
import { schemaMismatch } from "./ingest-error.ts";
import { type JsonInput, stringifyJson } from "./json-rows.ts";

/** A value the inserter accepts for some column type. */
export type InsertValue = null | boolean | number | bigint | string | Uint8Array;

/** Converts one value for a column whose catalog type name (upper case) is `type`. */
export type ValueConverter = (value: JsonInput) => InsertValue;

function text(value: JsonInput): string {
  return typeof value === "string" ? value : typeof value === "object" ? stringifyJson(value) : String(value);
}

function toNumber(value: JsonInput): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function toInteger(value: JsonInput): bigint | undefined {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) return BigInt(value.trim());
  return undefined;
}

function failure(value: JsonInput, type: string): never {
  throw new TypeError(`value ${text(value).slice(0, 80)} does not fit ${type}`);
}

/** The converter for a column of `type` (catalog spelling, any case). */
export function converterFor(type: string): ValueConverter {
  const upper = type.toUpperCase();
  if (upper === "BOOLEAN" || upper === "BOOL") {
    return (value) => {
      if (typeof value === "boolean") return value;
      if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
      return failure(value, type);
    };
  }
  if (upper === "SMALLINT" || upper === "INTEGER") {
    return (value) => {
      const integer = toInteger(value);
      return integer === undefined ? failure(value, type) : Number(integer);
    };
  }
  if (upper === "BIGINT") {
    return (value) => toInteger(value) ?? failure(value, type);
  }
  if (upper === "DOUBLE PRECISION" || upper === "REAL") {
    return (value) => toNumber(value) ?? failure(value, type);
  }
  if (upper.startsWith("NUMERIC")) {
    return (value) =>
      typeof value === "bigint" || typeof value === "number" || typeof value === "string"
        ? value
        : failure(value, type);
  }
  if (upper === "BYTEA") {
    return (value) => Buffer.from(text(value), "utf8");
  }
  if (upper === "DATE" || upper.startsWith("TIME")) {
    return (value) => (typeof value === "string" ? value : failure(value, type));
  }
  return text;
}

/**
 * Builds the row arrays for the inserter: one array per row in column order, missing keys NULL.
 * @throws IngestError SCHEMA_MISMATCH for a value that does not fit its column.
 */
export function jsonRowsToArrays(
  rows: readonly { [key: string]: JsonInput }[],
  columns: readonly { readonly name: string; readonly type: string }[],
): InsertValue[][] {
  const converters = columns.map((column) => converterFor(column.type));
  const out: InsertValue[][] = new Array(rows.length);
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index] as { [key: string]: JsonInput };
    const values: InsertValue[] = new Array(columns.length);
    for (let column = 0; column < columns.length; column += 1) {
      const spec = columns[column] as { name: string; type: string };
      const value = row[spec.name];
      if (value === undefined || value === null) {
        values[column] = null;
        continue;
      }
      try {
        values[column] = (converters[column] as ValueConverter)(value);
      } catch (error) {
        throw schemaMismatch(
          `Row ${index + 1}, column '${spec.name}': ${errorMessage(error)}`,
          "Override the column's type with schema (e.g. TEXT) or fix the data.",
        );
      }
    }
    out[index] = values;
  }
  return out;
}
