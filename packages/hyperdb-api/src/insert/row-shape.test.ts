import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import { describe, expect, it } from "vitest";
import { SqlType } from "../catalog/sql-type.ts";
import { RowShape } from "./row-shape.ts";

const shape = new RowShape([
  { name: "id", type: SqlType.int(), nullable: false },
  { name: "Name", type: SqlType.text(), nullable: true },
  { name: "note", type: SqlType.text(), nullable: true },
]);

describe("RowShape", () => {
  it("passes arrays of the right length through", () => {
    const row = [1, "a", null];
    expect(shape.values(row)).toBe(row);
    expect(() => shape.values([1, "a"])).toThrow(/row has 2 values, expected 3 \("id", "Name", "note"\)/);
  });

  it("orders object values by column and makes missing keys NULL", () => {
    expect(shape.values({ note: "n", id: 7 })).toEqual([7, undefined, "n"]);
    expect(shape.values({ id: 7, Name: undefined, note: null })).toEqual([7, undefined, null]);
  });

  it("names unknown keys, case-sensitively", () => {
    expect(() => shape.values({ id: 1, name: "x" })).toThrow(InvalidArgumentError);
    expect(() => shape.values({ id: 1, name: "x", extra: 2 })).toThrow(
      /keys that name no column: "name", "extra"/,
    );
  });

  it("requires a key for every NOT NULL column", () => {
    expect(() => shape.values({ Name: "x" })).toThrow(/no value for NOT NULL column "id"/);
  });

  it("rejects rows that are neither arrays nor objects", () => {
    expect(() => shape.values(null as never)).toThrow(/got null/);
    expect(() => shape.values(5 as never)).toThrow(/got number/);
  });

  it("ignores inherited properties", () => {
    const row = Object.assign(Object.create({ note: "inherited" }) as Record<string, unknown>, { id: 1 });
    expect(shape.values(row)).toEqual([1, undefined, undefined]);
  });
});
