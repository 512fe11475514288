import { describe, expect, it } from "vitest";
import { parseJsonExact } from "./json-rows.ts";
import { converterFor, jsonRowsToArrays } from "./json-to-column.ts";

describe("converterFor", () => {
  it("fits JSON values to column types", () => {
    expect(converterFor("INTEGER")(5n)).toBe(5);
    expect(converterFor("BIGINT")(9007199254740993n)).toBe(9007199254740993n);
    expect(converterFor("BIGINT")(7)).toBe(7n);
    expect(converterFor("DOUBLE PRECISION")(3n)).toBe(3);
    expect(converterFor("TEXT")(parseJsonExact('{"a": [1, 2]}'))).toBe('{"a":[1,2]}');
    expect(converterFor("TEXT")(true)).toBe("true");
    expect(converterFor("TEXT")(12n)).toBe("12");
    expect(converterFor("BOOLEAN")("TRUE")).toBe(true);
    expect(converterFor("NUMERIC(38,0)")(12n)).toBe(12n);
    expect(converterFor("DATE")("2024-01-02")).toBe("2024-01-02");
    expect(converterFor("INTEGER")("42")).toBe(42);
  });

  it("refuses values that do not fit", () => {
    expect(() => converterFor("INTEGER")("abc")).toThrow(/does not fit INTEGER/);
    expect(() => converterFor("INTEGER")(1.5)).toThrow();
    expect(() => converterFor("BOOLEAN")(1n)).toThrow();
    expect(() => converterFor("DATE")(5n)).toThrow();
  });
});

describe("jsonRowsToArrays", () => {
  it("orders values by column, fills missing keys with NULL and names the bad row and column", () => {
    const columns = [
      { name: "a", type: "INTEGER" },
      { name: "b", type: "TEXT" },
    ];
    expect(jsonRowsToArrays([{ b: "x", a: 1n }, { a: null }], columns)).toEqual([
      [1, "x"],
      [null, null],
    ]);
    expect(() => jsonRowsToArrays([{ a: 1n }, { a: "no" }], columns)).toThrow(
      expect.objectContaining({
        code: "SCHEMA_MISMATCH",
        message: expect.stringMatching(/^Row 2, column 'a': /),
      }),
    );
  });
});
