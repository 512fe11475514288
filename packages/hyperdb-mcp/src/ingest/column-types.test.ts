import { describe, expect, it } from "vitest";
import { parseTypeName, sqlTypeOf } from "./column-types.ts";

describe("parseTypeName", () => {
  it.each([
    ["SMALLINT", "SMALLINT"],
    ["int2", "SMALLINT"],
    ["INT", "INTEGER"],
    ["integer", "INTEGER"],
    ["INT4", "INTEGER"],
    ["BIGINT", "BIGINT"],
    ["int8", "BIGINT"],
    ["FLOAT", "DOUBLE PRECISION"],
    ["float4", "DOUBLE PRECISION"],
    ["REAL", "DOUBLE PRECISION"],
    ["DOUBLE", "DOUBLE PRECISION"],
    ["double   precision", "DOUBLE PRECISION"],
    ["FLOAT8", "DOUBLE PRECISION"],
    ["TEXT", "TEXT"],
    ["varchar", "TEXT"],
    ["String", "TEXT"],
    ["BOOL", "BOOLEAN"],
    ["boolean", "BOOLEAN"],
    ["DATE", "DATE"],
    ["TIME", "TIME"],
    ["TIMESTAMP", "TIMESTAMP"],
    ["timestamptz", "TIMESTAMP WITH TIME ZONE"],
    ["TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE"],
    ["BYTEA", "BYTEA"],
    ["bytes", "BYTEA"],
    ["NUMERIC", "NUMERIC(38,0)"],
    ["numeric(10)", "NUMERIC(10,0)"],
    ["NUMERIC(12, 2)", "NUMERIC(12,2)"],
    [" numeric ( 5 , 5 ) ", "NUMERIC(5,5)"],
  ])("maps %j to %s", (spelling, expected) => {
    expect(parseTypeName(spelling)).toBe(expected);
  });

  it.each(["BLOB", "", "NUMERIC(0)", "NUMERIC(39,0)", "NUMERIC(5,6)", "INTEGER PRIMARY KEY", "VARCHAR(10)"])(
    "rejects %j",
    (spelling) => {
      expect(parseTypeName(spelling)).toBeUndefined();
    },
  );

  it("gives the API type of each canonical name", () => {
    expect(sqlTypeOf("NUMERIC(12,2)").toString().toUpperCase()).toBe("NUMERIC(12,2)");
    expect(sqlTypeOf("TIMESTAMP WITH TIME ZONE").toString().toUpperCase()).toBe("TIMESTAMP WITH TIME ZONE");
    expect(sqlTypeOf("DOUBLE PRECISION").toString().toUpperCase()).toBe("DOUBLE PRECISION");
  });
});
