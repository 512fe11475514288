import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import {
  Field,
  Int32,
  Int64,
  makeVector,
  Schema,
  Table,
  tableFromArrays,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { SqlType } from "../catalog/sql-type.ts";
import { TableDefinition } from "../catalog/table-definition.ts";
import { BatchAdapter } from "./batch-adapter.ts";

const definition = new TableDefinition("t")
  .addColumn("id", SqlType.int(), { nullable: false })
  .addColumn("code", SqlType.varchar(3))
  .addColumn("doc", SqlType.json())
  .addColumn("note", SqlType.text());
const adapter = new BatchAdapter(definition);

describe("BatchAdapter", () => {
  it("fits fields to their columns: type, nullability, hyperd's metadata", () => {
    const source = tableFromArrays({ note: ["n"], code: ["abc"], id: Int32Array.of(1), doc: ["{}"] });
    const target = adapter.targetSchema(source.schema);
    expect(
      target.fields.map((f) => [f.name, String(f.type), f.nullable, Object.fromEntries(f.metadata)]),
    ).toEqual([
      ["note", "Utf8", true, {}],
      ["code", "Utf8", true, { "hyper:max_string_length": "3" }],
      ["id", "Int32", false, {}],
      ["doc", "Utf8", true, { "hyper:type": "JSON" }],
    ]);
    const batch = adapter.adapt(source.batches[0]!, target);
    expect(batch.schema.fields.map((field) => field.name)).toEqual(["note", "code", "id", "doc"]);
    expect(new Table(batch).toArray().map((row) => row.toJSON())).toEqual([
      { note: "n", code: "abc", id: 1, doc: "{}" },
    ]);
  });

  it("keeps foreign metadata and replaces stale hyper:* keys", () => {
    const field = new Field(
      "note",
      new Utf8(),
      true,
      new Map([
        ["hyper:max_string_length", "9"],
        ["origin", "x"],
      ]),
    );
    const target = adapter.targetSchema(new Schema([new Field("id", new Int32()), field]));
    expect(Object.fromEntries(target.fields[1]!.metadata)).toEqual({ origin: "x" });
  });

  it("rejects unknown and repeated fields", () => {
    expect(() => adapter.targetSchema(tableFromArrays({ ID: Int32Array.of(1) }).schema)).toThrow(
      /field "ID" names no column of "t"/,
    );
    const twice = new Schema([new Field("id", new Int32()), new Field("id", new Int32())]);
    expect(() => adapter.targetSchema(twice)).toThrow(/two fields named "id"/);
    expect(() => adapter.targetSchema(new Schema([]))).toThrow(InvalidArgumentError);
    expect(() => adapter.targetSchema(tableFromArrays({ note: ["x"] }).schema)).toThrow(
      /"id" of "t" is NOT NULL, so the Arrow data needs a field for it/,
    );
  });

  it("rejects NULLs in NOT NULL columns and strings too long for VARCHAR(n)", () => {
    const nulls = new Table({
      id: vectorFromArray([1, null], new Int32()),
      note: vectorFromArray(["a", "b"]),
    });
    expect(() => adapter.adapt(nulls.batches[0]!, adapter.targetSchema(nulls.schema))).toThrow(
      /"id" is NOT NULL, but the Arrow data has 1 nulls/,
    );
    const id = makeVector(Int32Array.of(1, 2, 3));
    const ok = new Table({ id, code: vectorFromArray(["äöü", "abc", null], new Utf8()) });
    expect(adapter.adapt(ok.batches[0]!, adapter.targetSchema(ok.schema)).numRows).toBe(3);
    const long = new Table({ id: id.slice(0, 2), code: vectorFromArray(["abc", "abcd"], new Utf8()) });
    expect(() => adapter.adapt(long.batches[0]!, adapter.targetSchema(long.schema))).toThrow(
      /string of 4 characters \(row 1 of its record batch\) is too long for VARCHAR\(3\)/,
    );
  });

  it("compares later schemas after conversion", () => {
    const first = adapter.targetSchema(tableFromArrays({ id: Int32Array.of(1), note: ["a"] }).schema);
    const plain = new Table({ id: makeVector(Int32Array.of(2)), note: vectorFromArray(["b"], new Utf8()) });
    expect(() => adapter.checkSameSchema(plain.schema, first)).not.toThrow();
    const reordered = new Schema([new Field("note", new Utf8()), new Field("id", new Int32())]);
    expect(() => adapter.checkSameSchema(reordered, first)).toThrow(/field 0 is "note", expected "id"/);
    const retyped = new Schema([new Field("id", new Int64()), new Field("note", new Utf8())]);
    expect(() => adapter.checkSameSchema(retyped, first)).toThrow(/"id" is Int64, expected Int32/);
    expect(() => adapter.checkSameSchema(new Schema([new Field("id", new Int32())]), first)).toThrow(
      /1 fields instead of 2/,
    );
  });
});
