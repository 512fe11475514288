import { describe, expect, it } from "vitest";
import type { ColumnSpec } from "./column-types.ts";
import { applySchemaOverrides, parseSchemaArgument } from "./schema-override.ts";

const COLUMNS: ColumnSpec[] = [
  { name: "id", type: "INTEGER", nullable: false },
  { name: "Zip", type: "INTEGER", nullable: true },
  { name: "amount", type: "DOUBLE PRECISION", nullable: true },
];

describe("parseSchemaArgument", () => {
  it("accepts an object, a JSON string of one, and treats null, undefined, '' and {} as none", () => {
    expect(parseSchemaArgument({ id: "BIGINT" })).toEqual(new Map([["id", "BIGINT"]]));
    expect(parseSchemaArgument('{"id": "BIGINT"}')).toEqual(new Map([["id", "BIGINT"]]));
    expect(parseSchemaArgument(null)).toBeUndefined();
    expect(parseSchemaArgument(undefined)).toBeUndefined();
    expect(parseSchemaArgument("")).toBeUndefined();
    expect(parseSchemaArgument("  ")).toBeUndefined();
    expect(parseSchemaArgument({})).toBeUndefined();
  });

  it.each([["{bad json"], ['["id"]'], ['"text"'], ["42"], [42], [true], [["id"]], [{ id: 5 }]])(
    "rejects %j with SCHEMA_MISMATCH",
    (value) => {
      expect(() => parseSchemaArgument(value)).toThrow(expect.objectContaining({ code: "SCHEMA_MISMATCH" }));
    },
  );
});

describe("applySchemaOverrides", () => {
  it("changes only the listed columns and keeps the order and nullability", () => {
    expect(
      applySchemaOverrides(
        COLUMNS,
        new Map([
          ["Zip", "text"],
          ["id", "int8"],
        ]),
      ),
    ).toEqual([
      { name: "id", type: "BIGINT", nullable: false },
      { name: "Zip", type: "TEXT", nullable: true },
      { name: "amount", type: "DOUBLE PRECISION", nullable: true },
    ]);
  });

  it("is a no-op without overrides", () => {
    expect(applySchemaOverrides(COLUMNS, undefined)).toEqual(COLUMNS);
    expect(applySchemaOverrides(COLUMNS, parseSchemaArgument({}))).toEqual(COLUMNS);
  });

  it("rejects unknown columns (case-sensitive), listing the known ones", () => {
    expect(() => applySchemaOverrides(COLUMNS, new Map([["zip", "TEXT"]]))).toThrow(
      expect.objectContaining({
        code: "SCHEMA_MISMATCH",
        message: "Schema override references unknown column 'zip'. Known columns: id, Zip, amount",
      }),
    );
  });

  it("rejects unknown types", () => {
    expect(() => applySchemaOverrides(COLUMNS, new Map([["id", "UUID"]]))).toThrow(
      expect.objectContaining({ code: "SCHEMA_MISMATCH", message: "Unknown type 'UUID' for column 'id'" }),
    );
  });
});
