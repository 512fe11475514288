import { describe, expect, it } from "vitest";
import { SqlType } from "../catalog/sql-type.ts";
import { TableDefinition } from "../catalog/table-definition.ts";
import { arrowSchemaFor, arrowTypeFor } from "./hyper-arrow-types.ts";

describe("arrowSchemaFor", () => {
  it("gives the schema hyperd exports for each type", () => {
    const definition = new TableDefinition("t")
      .addColumn("b", SqlType.bool())
      .addColumn("i2", SqlType.smallInt())
      .addColumn("i4", SqlType.int(), { nullable: false })
      .addColumn("i8", SqlType.bigInt())
      .addColumn("o", SqlType.oid())
      .addColumn("r", SqlType.float())
      .addColumn("d", SqlType.double())
      .addColumn("n", SqlType.numeric(10, 2))
      .addColumn("t", SqlType.text())
      .addColumn("v", SqlType.varchar(5))
      .addColumn("c", SqlType.char(3))
      .addColumn("c1", SqlType.char(1))
      .addColumn("j", SqlType.json())
      .addColumn("by", SqlType.bytes())
      .addColumn("g", SqlType.geography())
      .addColumn("dt", SqlType.date())
      .addColumn("tm", SqlType.time())
      .addColumn("ts", SqlType.timestamp())
      .addColumn("tz", SqlType.timestampTz())
      .addColumn("iv", SqlType.interval());
    const fields = arrowSchemaFor(definition).fields.map((field) => [
      field.name,
      String(field.type),
      field.nullable,
      Object.fromEntries(field.metadata),
    ]);
    expect(fields).toEqual([
      ["b", "Bool", true, {}],
      ["i2", "Int16", true, {}],
      ["i4", "Int32", false, {}],
      ["i8", "Int64", true, {}],
      ["o", "Uint32", true, { "hyper:type": "Oid" }],
      ["r", "Float32", true, {}],
      ["d", "Float64", true, {}],
      ["n", "Decimal[10e+2]", true, {}],
      ["t", "Utf8", true, {}],
      ["v", "Utf8", true, { "hyper:max_string_length": "5" }],
      ["c", "Utf8", true, { "hyper:type": "Char", "hyper:max_string_length": "3" }],
      ["c1", "Utf8", true, { "hyper:type": "Char1" }],
      ["j", "Utf8", true, { "hyper:type": "JSON" }],
      ["by", "Binary", true, {}],
      ["g", "Binary", true, { "hyper:type": "Geography" }],
      ["dt", "Date64<MILLISECOND>", true, {}],
      ["tm", "Time64<MICROSECOND>", true, {}],
      ["ts", "Timestamp<MICROSECOND>", true, {}],
      ["tz", "Timestamp<MICROSECOND, UTC>", true, {}],
      ["iv", "Interval<MONTH_DAY_NANO>", true, {}],
    ]);
  });

  it("refuses types a table cannot hold", () => {
    expect(() => arrowTypeFor(SqlType.fromOid(1007))).toThrow(/no Arrow type for oid 1007/);
  });
});
