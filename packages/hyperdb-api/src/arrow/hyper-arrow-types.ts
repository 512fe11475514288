import { InvalidArgumentError, TypeOid } from "@hyperdb-ts/hyperdb-api-core";
import {
  Binary,
  Bool,
  type DataType,
  DateMillisecond,
  Decimal,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  IntervalMonthDayNano,
  Schema,
  TimeMicrosecond,
  TimestampMicrosecond,
  Uint32,
  Utf8,
} from "apache-arrow";
import { escapeIdentifier } from "../catalog/escape.ts";
import type { SqlType } from "../catalog/sql-type.ts";
import type { ColumnDefinition, TableDefinition } from "../catalog/table-definition.ts";

/** Field metadata key hyperd uses for the Hyper type of a string, OID or geography column. */
export const HYPER_TYPE_KEY = "hyper:type";
/** Field metadata key hyperd uses for the declared length of a VARCHAR(n) or CHARACTER(n) column. */
export const HYPER_MAX_LENGTH_KEY = "hyper:max_string_length";

/**
 * The field metadata hyperd puts on (and requires of) a column of this type in Arrow streams:
 * VARCHAR(n) `hyper:max_string_length = n`; CHARACTER(n) also `hyper:type = Char`;
 * CHARACTER(1) `hyper:type = Char1`; JSON `JSON`; OID `Oid`; GEOGRAPHY `Geography`; none for
 * the other types.
 */
export function hyperFieldMetadata(type: SqlType): Map<string, string> {
  const metadata = new Map<string, string>();
  switch (type.oid) {
    case TypeOid.varchar:
      if (type.maxLength !== undefined) metadata.set(HYPER_MAX_LENGTH_KEY, String(type.maxLength));
      break;
    case TypeOid.bpchar:
      metadata.set(HYPER_TYPE_KEY, "Char");
      if (type.maxLength !== undefined) metadata.set(HYPER_MAX_LENGTH_KEY, String(type.maxLength));
      break;
    case TypeOid.char1:
      metadata.set(HYPER_TYPE_KEY, "Char1");
      break;
    case TypeOid.json:
      metadata.set(HYPER_TYPE_KEY, "JSON");
      break;
    case TypeOid.oid:
      metadata.set(HYPER_TYPE_KEY, "Oid");
      break;
    case TypeOid.geography:
      metadata.set(HYPER_TYPE_KEY, "Geography");
      break;
  }
  return metadata;
}

/**
 * The Arrow type hyperd produces for a Hyper type in `COPY … TO STDOUT WITH (FORMAT
 * arrowstream)` (TIMESTAMP WITH TIME ZONE with the time zone spelled `UTC`), which it also
 * accepts back (see the `@hyperdb-ts/hyperdb-api/arrow` module
 * documentation for the other types it accepts).
 * @throws InvalidArgumentError for a type a table cannot hold.
 */
export function arrowTypeFor(type: SqlType): DataType {
  switch (type.oid) {
    case TypeOid.bool:
      return new Bool();
    case TypeOid.int2:
      return new Int16();
    case TypeOid.int4:
      return new Int32();
    case TypeOid.int8:
      return new Int64();
    case TypeOid.oid:
      return new Uint32();
    case TypeOid.float4:
      return new Float32();
    case TypeOid.float8:
      return new Float64();
    case TypeOid.numeric:
      return new Decimal(type.scale ?? 0, type.precision ?? 38, 128);
    case TypeOid.text:
    case TypeOid.varchar:
    case TypeOid.bpchar:
    case TypeOid.char1:
    case TypeOid.json:
      return new Utf8();
    case TypeOid.bytea:
    case TypeOid.geography:
      return new Binary();
    case TypeOid.date:
      return new DateMillisecond();
    case TypeOid.time:
      return new TimeMicrosecond();
    case TypeOid.timestamp:
      return new TimestampMicrosecond();
    case TypeOid.timestamptz:
      // hyperd labels its own output "Utc"; the standard spelling reads the same in every tool.
      return new TimestampMicrosecond("UTC");
    case TypeOid.interval:
      return new IntervalMonthDayNano();
    default:
      throw new InvalidArgumentError(`no Arrow type for ${type.toString()}`);
  }
}

/** The Arrow field for a column: its name, {@link arrowTypeFor}, nullability and hyperd's metadata. */
export function arrowFieldFor(column: ColumnDefinition): Field {
  try {
    return new Field(
      column.name,
      arrowTypeFor(column.type),
      column.nullable,
      hyperFieldMetadata(column.type),
    );
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    throw new InvalidArgumentError(`column ${escapeIdentifier(column.name)}: ${error.message}`, {
      cause: error,
    });
  }
}

/**
 * The Arrow schema of a table as hyperd exports it, and accepts without any conversion: build
 * tables for `ArrowInserter` against it (e.g. `new Table(schema, …)` or `vectorFromArray(values,
 * schema.fields[i].type)`).
 */
export function arrowSchemaFor(definition: TableDefinition): Schema {
  return new Schema(definition.columns.map(arrowFieldFor));
}
