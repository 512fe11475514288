import { describe, expect, it } from "vitest";
import { inferJsonColumns } from "./json-infer.ts";
import { parseJsonRows } from "./json-rows.ts";

function infer(json: string) {
  return inferJsonColumns(parseJsonRows(json).rows);
}

describe("inferJsonColumns", () => {
  it("infers scalar types and sorts columns alphabetically", () => {
    expect(
      infer(
        '[{"z": 1, "big": 3000000000, "f": 1.5, "whole": 1.0, "b": true, "d": "2024-02-29", "ts": "2024-01-02T03:04:05.123", "s": "hi"}]',
      ),
    ).toEqual([
      { name: "b", type: "BOOLEAN", nullable: false },
      { name: "big", type: "BIGINT", nullable: false },
      { name: "d", type: "DATE", nullable: false },
      { name: "f", type: "DOUBLE PRECISION", nullable: false },
      { name: "s", type: "TEXT", nullable: false },
      { name: "ts", type: "TIMESTAMP", nullable: false },
      { name: "whole", type: "DOUBLE PRECISION", nullable: false },
      { name: "z", type: "INTEGER", nullable: false },
    ]);
  });

  it("keeps integers beyond 2^53 exact and treats integers beyond 64 bits as doubles", () => {
    const { rows } = parseJsonRows('[{"a": 9007199254740993, "b": 99999999999999999999}]');
    expect(rows[0]?.a).toBe(9007199254740993n);
    expect(inferJsonColumns(rows).map((column) => column.type)).toEqual(["BIGINT", "DOUBLE PRECISION"]);
  });

  it("widens mixed numbers to the widest and makes other mixes TEXT", () => {
    expect(
      infer(
        '[{"n": 1, "m": 1, "x": 1, "y": "2024-01-01"}, {"n": 5000000000, "m": 2.5, "x": "a", "y": "2024-01-01T00:00:00"}]',
      ),
    ).toEqual([
      { name: "m", type: "DOUBLE PRECISION", nullable: false },
      { name: "n", type: "BIGINT", nullable: false },
      { name: "x", type: "TEXT", nullable: false },
      { name: "y", type: "TEXT", nullable: false },
    ]);
    expect(infer('[{"b": true}, {"b": 1}]')).toEqual([{ name: "b", type: "TEXT", nullable: false }]);
  });

  it("makes all-null columns TEXT and missing or null keys nullable", () => {
    expect(infer('[{"a": null, "b": 1, "c": 1}, {"a": null, "b": null}]')).toEqual([
      { name: "a", type: "TEXT", nullable: true },
      { name: "b", type: "INTEGER", nullable: true },
      { name: "c", type: "INTEGER", nullable: true },
    ]);
  });

  it("stores objects and arrays as TEXT", () => {
    expect(infer('[{"o": {"k": 1}, "a": [1, 2]}]')).toEqual([
      { name: "a", type: "TEXT", nullable: false },
      { name: "o", type: "TEXT", nullable: false },
    ]);
  });

  it("does not take impossible dates for dates", () => {
    expect(infer('[{"d": "2024-13-01"}]')[0]?.type).toBe("TEXT");
    expect(infer('[{"d": "2024-01-01T25:00:00"}]')[0]?.type).toBe("TEXT");
  });
});
