import { describe, expect, it } from "vitest";
import { formatCell, formatTable } from "./format-table.ts";

describe("formatTable", () => {
  it("aligns columns, right-aligns numbers and counts rows", () => {
    const text = formatTable({
      columns: ["id", "name"],
      rows: [
        [1, "one"],
        [100n, null],
      ],
    });
    expect(text.split("\n")).toEqual(["id  | name", "----+-----", "  1 | one", "100 | NULL", "(2 rows)"]);
  });

  it("says (1 row) and (0 rows)", () => {
    expect(formatTable({ columns: ["x"], rows: [[1]] }).endsWith("(1 row)")).toBe(true);
    expect(formatTable({ columns: ["x"], rows: [] }).endsWith("(0 rows)")).toBe(true);
  });

  it("renders bytes as hex and escapes newlines", () => {
    expect(formatCell(new Uint8Array([1, 255]))).toBe("\\x01ff");
    expect(formatTable({ columns: ["t"], rows: [["a\nb"]] })).toContain("a\\nb");
  });
});
