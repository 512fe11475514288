/**
 * Partial schema overrides: the `schema` argument of the ingest tools maps some column names to
 * type names, and only those columns change type; the others keep their inferred type and the
 * column order stays the data's.
 *
 * The argument is accepted as an object or as a JSON-encoded string of an object (some MCP
 * clients send every argument as a string); `null`, `undefined` and `""` mean no override.
 * Anything else, an unknown column or an unknown type name is `SCHEMA_MISMATCH`.
 *
 * @module
 */

import { errorMessage } from "../error-message.ts";
import { type ColumnSpec, parseTypeName } from "./column-types.ts";
import { schemaMismatch } from "./ingest-error.ts";

/** Column name → user-given type name. */
export type SchemaOverrides = ReadonlyMap<string, string>;

/** Reads the `schema` argument; undefined when there is no override (also for `{}`). */
export function parseSchemaArgument(value: unknown): SchemaOverrides | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  let object: unknown = value;
  if (typeof value === "string") {
    if (value.trim() === "") {
      return undefined;
    }
    try {
      object = JSON.parse(value);
    } catch (error) {
      throw schemaMismatch(
        `schema is not valid JSON: ${errorMessage(error)}`,
        'Pass schema as an object mapping column names to types, e.g. {"id": "BIGINT"}.',
      );
    }
  }
  if (typeof object !== "object" || object === null || Array.isArray(object)) {
    throw schemaMismatch(
      "schema must be a JSON object mapping column names to type names",
      'Pass schema as an object mapping column names to types, e.g. {"id": "BIGINT"}.',
    );
  }
  const overrides = new Map<string, string>();
  for (const [name, type] of Object.entries(object)) {
    if (typeof type !== "string") {
      throw schemaMismatch(`schema type for column '${name}' must be a string, got ${JSON.stringify(type)}`);
    }
    overrides.set(name, type);
  }
  return overrides.size === 0 ? undefined : overrides;
}

/**
 * Applies overrides to an inferred schema. Keys match column names case-sensitively.
 * @throws IngestError SCHEMA_MISMATCH for a key that is no column or a type name that is not
 *   accepted.
 */
export function applySchemaOverrides(
  columns: readonly ColumnSpec[],
  overrides: SchemaOverrides | undefined,
): ColumnSpec[] {
  if (overrides === undefined) {
    return [...columns];
  }
  const known = new Set(columns.map((column) => column.name));
  for (const [name, type] of overrides) {
    if (!known.has(name)) {
      throw schemaMismatch(
        `Schema override references unknown column '${name}'. Known columns: ${columns.map((column) => column.name).join(", ")}`,
        "Override only columns that exist in the data; call inspect_file to see the inferred columns.",
      );
    }
    if (parseTypeName(type) === undefined) {
      throw schemaMismatch(
        `Unknown type '${type}' for column '${name}'`,
        "Use one of SMALLINT, INT, BIGINT, DOUBLE, NUMERIC(p,s), TEXT, BOOL, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, BYTEA.",
      );
    }
  }
  return columns.map((column) => {
    const override = overrides.get(column.name);
    return override === undefined ? column : { ...column, type: parseTypeName(override) as string };
  });
}
