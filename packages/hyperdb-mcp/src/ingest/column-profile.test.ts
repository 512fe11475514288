import { describe, expect, it } from "vitest";
import { ColumnProfiler, PREVIEW_CHARS, preview } from "./column-profile.ts";

describe("ColumnProfiler", () => {
  it("counts nulls, keeps the first distinct values and numeric min/max", () => {
    const profiler = new ColumnProfiler({ name: "n", type: "BIGINT", nullable: true });
    for (const value of ["5", null, "10", "5", "-3", "7", "8", "9"]) profiler.add(value);
    expect(profiler.result()).toEqual({
      name: "n",
      type: "BIGINT",
      nullable: true,
      null_count: 1,
      sample_values: ["5", "10", "-3", "7", "8"],
      min: "-3",
      max: "10",
      min_f64: -3,
      max_f64: 10,
    });
  });

  it("orders dates as text and gives TEXT columns no min/max", () => {
    const dates = new ColumnProfiler({ name: "d", type: "DATE", nullable: true });
    for (const value of ["2024-05-01", "2023-01-01"]) dates.add(value);
    expect(dates.result()).toMatchObject({ min: "2023-01-01", max: "2024-05-01" });
    const text = new ColumnProfiler({ name: "t", type: "TEXT", nullable: true });
    text.add("b");
    expect(text.result().min).toBeUndefined();
  });

  it("cuts long previews", () => {
    expect(preview("x".repeat(PREVIEW_CHARS + 5))).toBe(`${"x".repeat(PREVIEW_CHARS)}…`);
    expect(preview("short")).toBe("short");
  });
});
