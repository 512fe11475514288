import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import { type Data, DataType, Field, makeData, RecordBatch, Schema, Struct, util } from "apache-arrow";
import { escapeIdentifier } from "../catalog/escape.ts";
import type { ColumnDefinition, TableDefinition } from "../catalog/table-definition.ts";
import { needsConversion, sendableType, toSendable } from "./arrow-conversions.ts";
import { HYPER_MAX_LENGTH_KEY, HYPER_TYPE_KEY, hyperFieldMetadata } from "./hyper-arrow-types.ts";

/**
 * Fits Arrow data to a table the way hyperd needs it: each field is matched to the column of
 * the same name (case-sensitive), its type made sendable (see `sendableType`), its nullability
 * set to the column's, and its metadata given hyperd's `hyper:*` keys for the column type
 * (without them hyperd refuses Utf8 for VARCHAR, CHARACTER and JSON columns). Batches are
 * checked for what hyperd would not catch or would reject late: NULLs in a NOT NULL column and
 * strings longer than a VARCHAR(n) / CHARACTER(n) allows (hyperd stores those unchecked).
 */
export class BatchAdapter {
  private readonly definition: TableDefinition;

  constructor(definition: TableDefinition) {
    this.definition = definition;
  }

  /**
   * The schema to send for data of `schema`.
   * @throws InvalidArgumentError for a field that names no column, a repeated field name, a
   *   NOT NULL column without a field, or a schema without fields.
   */
  targetSchema(schema: Schema): Schema {
    if (schema.fields.length === 0) throw new InvalidArgumentError("the Arrow data has no fields");
    const seen = new Set<string>();
    const fields = schema.fields.map((field) => {
      const column = this.columnFor(field.name);
      if (seen.has(field.name)) {
        throw new InvalidArgumentError(`the Arrow data has two fields named ${escapeIdentifier(field.name)}`);
      }
      seen.add(field.name);
      return new Field(field.name, sendableType(field.type), column.nullable, targetMetadata(field, column));
    });
    for (const column of this.definition.columns) {
      if (!column.nullable && !seen.has(column.name)) {
        throw new InvalidArgumentError(
          `column ${escapeIdentifier(column.name)} of ${this.definition.name.toString()} is NOT NULL, so the Arrow data needs a field for it`,
        );
      }
    }
    return new Schema(fields);
  }

  /** Whether record batches of `schema` can be sent as they are once the schema is replaced by `target`. */
  sendsUnchanged(schema: Schema, target: Schema): boolean {
    return schema.fields.every((field, index) => {
      const column = this.definition.column(field.name);
      const limited = column?.type.maxLength !== undefined;
      const sent = target.fields[index];
      return (
        !needsConversion(field.type) &&
        !limited &&
        sent !== undefined &&
        util.compareTypes(field.type, sent.type)
      );
    });
  }

  /**
   * The batch converted to `target` (which must come from `targetSchema` of a schema with the
   * same field names and types).
   * @throws InvalidArgumentError for a NULL in a NOT NULL column or a string too long for its column.
   */
  adapt(batch: RecordBatch, target: Schema): RecordBatch {
    const children = batch.data.children.map((data, index) => {
      const field = target.fields[index]!;
      const column = this.columnFor(field.name);
      const sendable = toSendable(data);
      checkColumn(sendable, column);
      return sendable;
    });
    const struct = makeData({
      type: new Struct(target.fields),
      length: batch.numRows,
      nullCount: 0,
      children,
    });
    return new RecordBatch(target, struct);
  }

  /**
   * Throws unless `schema` converts to `expected` (same field names in the same order, same
   * sendable types): the schema of an Arrow stream is sent once, so later data must match it.
   */
  checkSameSchema(schema: Schema, expected: Schema): void {
    const problem = schemaDifference(
      schema.fields.map((field) => new Field(field.name, sendableType(field.type))),
      expected.fields,
    );
    if (problem !== undefined) {
      throw new InvalidArgumentError(
        `the Arrow schema differs from the one sent first (${problem}); an Arrow stream has one schema, so insert this data with another ArrowInserter`,
      );
    }
  }

  /** The table's column named `name`. */
  columnFor(name: string): ColumnDefinition {
    const column = this.definition.column(name);
    if (column === undefined) {
      throw new InvalidArgumentError(
        `the Arrow field ${escapeIdentifier(name)} names no column of ${this.definition.name.toString()} (field names are matched to column names exactly)`,
      );
    }
    return column;
  }
}

function targetMetadata(field: Field, column: ColumnDefinition): Map<string, string> {
  const metadata = new Map<string, string>();
  for (const [key, value] of field.metadata) {
    if (key !== HYPER_TYPE_KEY && key !== HYPER_MAX_LENGTH_KEY) metadata.set(key, value);
  }
  for (const [key, value] of hyperFieldMetadata(column.type)) metadata.set(key, value);
  return metadata;
}

function schemaDifference(actual: readonly Field[], expected: readonly Field[]): string | undefined {
  if (actual.length !== expected.length) {
    return `${actual.length} fields instead of ${expected.length}`;
  }
  for (let index = 0; index < actual.length; index++) {
    const field = actual[index]!;
    const want = expected[index]!;
    if (field.name !== want.name) {
      return `field ${index} is ${escapeIdentifier(field.name)}, expected ${escapeIdentifier(want.name)}`;
    }
    if (!util.compareTypes(field.type, want.type)) {
      return `field ${escapeIdentifier(field.name)} is ${String(field.type)}, expected ${String(want.type)}`;
    }
  }
  return undefined;
}

function checkColumn(data: Data, column: ColumnDefinition): void {
  if (!column.nullable && data.nullCount > 0) {
    throw new InvalidArgumentError(
      `column ${escapeIdentifier(column.name)} is NOT NULL, but the Arrow data has ${data.nullCount} nulls in it`,
    );
  }
  const maxLength = column.type.maxLength;
  if (maxLength !== undefined && DataType.isUtf8(data.type)) checkLengths(data, column, maxLength);
}

/** Character (code point) lengths of a Utf8 column against a VARCHAR(n) / CHARACTER(n) limit. */
function checkLengths(data: Data, column: ColumnDefinition, maxLength: number): void {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  for (let i = 0; i < data.length; i++) {
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    // A character takes at least one byte, so only strings with more bytes than the limit can exceed it.
    if (end - start <= maxLength) continue;
    let characters = 0;
    for (let at = start; at < end; at++) if ((bytes[at]! & 0xc0) !== 0x80) characters++;
    if (characters > maxLength) {
      throw new InvalidArgumentError(
        `column ${escapeIdentifier(column.name)}: a string of ${characters} characters (row ${i} of its record batch) is too long for ${column.type.toString()}`,
      );
    }
  }
}
