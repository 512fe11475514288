/**
 * Arrow IPC files (file format with the `ARROW1` magic, or a bare stream) read in-process with
 * apache-arrow, mapped to Hyper types and fitted to what hyperd accepts for them before the
 * bulk insert: Int8/Int16 SMALLINT, Int32/UInt16 INTEGER, Int64/UInt32/UInt64 BIGINT,
 * Float16/32/64 DOUBLE PRECISION, Utf8 TEXT, Binary BYTEA, Bool BOOLEAN, Date DATE, Time TIME,
 * Timestamp TIMESTAMP (TIMESTAMP WITH TIME ZONE with a zone), Decimal NUMERIC(p,s), anything
 * else TEXT (nested values as JSON text). Schema overrides are not supported for Arrow.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import {
  Table as ArrowTable,
  DataType,
  type Field,
  Float64,
  Int64,
  type Table,
  tableFromIPC,
  Utf8,
  type Vector,
  vectorFromArray,
} from "apache-arrow";
import { errorMessage } from "../error-message.ts";
import {
  BIGINT,
  BOOLEAN,
  BYTEA,
  type ColumnSpec,
  DATE,
  DOUBLE,
  INTEGER,
  numericType,
  SMALLINT,
  TEXT,
  TIME,
  TIMESTAMP,
  TIMESTAMPTZ,
} from "./column-types.ts";
import { emptyData, IngestError } from "./ingest-error.ts";

/** An Arrow file read into memory and fitted to its Hyper columns. */
export interface ArrowData {
  readonly table: Table;
  readonly columns: ColumnSpec[];
}

type Fit = "keep" | "double" | "int64" | "text";

function hyperTypeOf(type: DataType): { type: string; fit: Fit } {
  if (DataType.isDictionary(type)) {
    return hyperTypeOf(type.dictionary);
  }
  if (DataType.isInt(type)) {
    if (type.bitWidth <= 16)
      return { type: type.isSigned || type.bitWidth === 8 ? SMALLINT : INTEGER, fit: "keep" };
    if (type.bitWidth === 32)
      return type.isSigned ? { type: INTEGER, fit: "keep" } : { type: BIGINT, fit: "keep" };
    return { type: BIGINT, fit: type.isSigned ? "keep" : "int64" };
  }
  if (DataType.isFloat(type)) return { type: DOUBLE, fit: type.precision === 2 ? "keep" : "double" };
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return { type: TEXT, fit: "keep" };
  if (DataType.isBinary(type) || DataType.isLargeBinary(type)) return { type: BYTEA, fit: "keep" };
  if (DataType.isBool(type)) return { type: BOOLEAN, fit: "keep" };
  if (DataType.isDate(type)) return { type: DATE, fit: "keep" };
  if (DataType.isTime(type)) return { type: TIME, fit: "keep" };
  if (DataType.isTimestamp(type)) {
    return {
      type: type.timezone === null || type.timezone === undefined ? TIMESTAMP : TIMESTAMPTZ,
      fit: "keep",
    };
  }
  if (DataType.isDecimal(type) && type.precision <= 38) {
    return { type: numericType(type.precision, type.scale), fit: "keep" };
  }
  return { type: TEXT, fit: "text" };
}

function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "object" && "toJSON" in value && typeof value.toJSON === "function") {
    return JSON.stringify(value.toJSON(), (_key, item: unknown) =>
      typeof item === "bigint" ? item.toString() : item,
    );
  }
  return typeof value === "bigint" ? value.toString() : (JSON.stringify(value) ?? String(value));
}

function fitVector(vector: Vector, fit: Fit): Vector {
  const values = vector.toArray() as ArrayLike<unknown>;
  const out: unknown[] = new Array(vector.length);
  for (let index = 0; index < vector.length; index += 1) {
    const value = vector.isValid(index) ? (fit === "text" ? vector.get(index) : values[index]) : null;
    if (value === null || value === undefined) {
      out[index] = null;
    } else if (fit === "double") {
      out[index] = Number(value);
    } else if (fit === "int64") {
      const big = BigInt(value as bigint);
      if (big > 2n ** 63n - 1n) {
        throw new IngestError("SCHEMA_MISMATCH", `UInt64 value ${big} does not fit BIGINT`);
      }
      out[index] = big;
    } else {
      out[index] = textOf(value);
    }
  }
  if (fit === "double") return vectorFromArray(out as (number | null)[], new Float64());
  if (fit === "int64") return vectorFromArray(out as (bigint | null)[], new Int64());
  return vectorFromArray(out as (string | null)[], new Utf8());
}

/**
 * Reads an Arrow IPC file or stream and maps its schema.
 * @throws IngestError UNSUPPORTED_FORMAT when the bytes are no Arrow IPC; EMPTY_DATA without columns.
 */
export async function readArrowFile(path: string): Promise<ArrowData> {
  const bytes = await readFile(path);
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (error) {
    throw new IngestError(
      "UNSUPPORTED_FORMAT",
      `'${path}' is not a readable Arrow IPC file or stream: ${errorMessage(error)}`,
    );
  }
  if (table.schema.fields.length === 0) {
    throw emptyData(`The Arrow file '${path}' has no columns`);
  }
  const columns: ColumnSpec[] = [];
  const fitted: Record<string, Vector> = {};
  let changed = false;
  table.schema.fields.forEach((field: Field, index: number) => {
    const { type, fit } = hyperTypeOf(field.type);
    columns.push({ name: field.name, type, nullable: field.nullable });
    const vector = table.getChildAt(index) as Vector;
    if (fit === "keep") {
      fitted[field.name] = vector;
    } else {
      changed = true;
      fitted[field.name] = fitVector(vector, fit);
    }
  });
  return { table: changed ? new ArrowTable(fitted) : table, columns };
}
