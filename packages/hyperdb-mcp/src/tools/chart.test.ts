import { describe, expect, it } from "vitest";
import { type ChartArguments, parseChartArguments } from "./chart.ts";

const BASE: ChartArguments = { sql: "SELECT 1 AS a, 2 AS b", chart_type: "bar", x: "a", y: "b" };

function options(args: Partial<ChartArguments>) {
  const parsed = parseChartArguments({ ...BASE, ...args });
  if (!parsed.ok) {
    throw new Error(`${parsed.code}: ${parsed.message}`);
  }
  return parsed.options;
}

function refusal(args: Partial<ChartArguments>) {
  const parsed = parseChartArguments({ ...BASE, ...args });
  return parsed.ok ? undefined : { code: parsed.code, message: parsed.message };
}

describe("parseChartArguments", () => {
  it("applies defaults", () => {
    expect(options({})).toMatchObject({
      chartType: "bar",
      width: 800,
      height: 480,
      bins: 20,
      xAsCategory: false,
      labelPoints: false,
      barOrientation: "vertical",
      labelValues: false,
      showLegend: true,
      yScale: "linear",
      colorMap: {},
    });
    const parsed = parseChartArguments(BASE);
    expect(parsed.ok && parsed.delivery).toMatchObject({ format: "png", inline: true, overwrite: true });
  });

  it("accepts chart type spellings and refuses unknown ones", () => {
    expect(options({ chart_type: "HIST" }).chartType).toBe("histogram");
    expect(options({ chart_type: " Line " }).chartType).toBe("line");
    expect(refusal({ chart_type: "pie" })).toMatchObject({ code: "SCHEMA_MISMATCH" });
  });

  it("clamps sizes and bins", () => {
    expect(options({ width: 10, height: 99_999, bins: 0 })).toMatchObject({
      width: 200,
      height: 4096,
      bins: 1,
    });
    expect(options({ width: 640.9, bins: 1000 })).toMatchObject({ width: 640, bins: 500 });
    expect(options({ height: 100 }).height).toBe(150);
  });

  it("cuts long titles", () => {
    expect(options({ title: "t".repeat(5000) }).title).toBe(`${"t".repeat(199)}…`);
    expect(options({ title: "" }).title).toBeUndefined();
  });

  it("keeps only #rrggbb colours", () => {
    expect(options({ color_map: { a: "#A0b1C2", b: "red", c: "#fff", d: 3 } }).colorMap).toEqual({
      a: "#A0b1C2",
    });
  });

  it("validates ranges", () => {
    expect(options({ x_range: [0, 10], y_range: [-1, 1] })).toMatchObject({
      xRange: [0, 10],
      yRange: [-1, 1],
    });
    expect(refusal({ x_range: [10, 0] })).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(refusal({ y_range: [1, 1] })).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(refusal({ y_range: [1] })).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(refusal({ x_range: [0, 1, 2] })).toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("checks orientation and scale", () => {
    expect(options({ bar_orientation: "Horizontal" }).barOrientation).toBe("horizontal");
    expect(refusal({ bar_orientation: "diagonal" })).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(refusal({ chart_type: "line", bar_orientation: "horizontal" })).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: "bar_orientation applies to bar charts only, not line.",
    });
    expect(options({ y_scale: "LOG" }).yScale).toBe("log");
    expect(refusal({ y_scale: "sqrt" })).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(refusal({ chart_type: "histogram", y_scale: "log" })).toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("checks the format and output path", () => {
    expect(refusal({ format: "gif" })).toMatchObject({ code: "UNSUPPORTED_FORMAT" });
    expect(refusal({ output_path: "/tmp/../etc/c.png" })).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(refusal({ output_path: "/tmp/c.png", format: "svg" })).toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});
