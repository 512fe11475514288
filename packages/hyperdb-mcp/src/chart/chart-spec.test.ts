import { describe, expect, it } from "vitest";
import type { ChartTable } from "./chart-data.ts";
import { chartValue, columnKind } from "./chart-data.ts";
import {
  binValues,
  buildChartSpec,
  type ChartOptions,
  type ChartSpecOutcome,
  categoryLabel,
  formatNumber,
  plainText,
  SERIES_PALETTE,
  seriesColors,
  tickCount,
  timeFormat,
  type VegaLiteSpec,
} from "./chart-spec.ts";

const OPTIONS: ChartOptions = {
  chartType: "bar",
  x: "region",
  y: "sales",
  width: 800,
  height: 480,
  bins: 20,
  xAsCategory: false,
  colorMap: {},
  labelPoints: false,
  barOrientation: "vertical",
  labelValues: false,
  showLegend: true,
  yScale: "linear",
  fontFamily: "DejaVu Sans",
};

const SALES: ChartTable = {
  columns: [
    { name: "region", kind: "text" },
    { name: "sales", kind: "number" },
    { name: "year", kind: "text" },
    { name: "day", kind: "date" },
  ],
  rows: [
    ["north", 10, "2024", Date.UTC(2024, 0, 1)],
    ["south", 20, "2024", Date.UTC(2024, 0, 2)],
    ["north", 15, "2023", Date.UTC(2024, 0, 3)],
  ],
};

function spec(outcome: ChartSpecOutcome): VegaLiteSpec {
  if (!outcome.ok) {
    throw new Error(`expected a spec, got ${outcome.code}: ${outcome.message}`);
  }
  return outcome.spec;
}

function encoding(outcome: ChartSpecOutcome): Record<string, Record<string, unknown>> {
  return spec(outcome).encoding as Record<string, Record<string, unknown>>;
}

describe("buildChartSpec", () => {
  it("draws bars as categories in first-seen order at the requested size", () => {
    const built = buildChartSpec(SALES, OPTIONS);
    const result = spec(built);
    expect(built.ok && built.rowsPlotted).toBe(3);
    expect(result).toMatchObject({
      width: 800,
      height: 480,
      autosize: { type: "fit", contains: "padding" },
      mark: { type: "bar", color: SERIES_PALETTE[0] },
      config: { font: "DejaVu Sans" },
      data: {
        values: [
          { x: "north", y: 10 },
          { x: "south", y: 20 },
          { x: "north", y: 15 },
        ],
      },
    });
    expect(encoding(built).x).toMatchObject({ field: "x", type: "nominal", sort: null, title: "region" });
    expect(encoding(built).y).toMatchObject({
      field: "y",
      type: "quantitative",
      title: "sales",
      stack: null,
    });
    expect(result.title).toBeUndefined();
  });

  it("groups series with sorted names, palette colours and color_map overrides", () => {
    const built = buildChartSpec(SALES, {
      ...OPTIONS,
      series: "year",
      title: "Sales",
      colorMap: { "2024": "#112233" },
    });
    expect(spec(built).title).toBe("Sales");
    expect(encoding(built).xOffset).toMatchObject({ field: "series", sort: ["2023", "2024"] });
    expect(encoding(built).color).toMatchObject({
      field: "series",
      title: "year",
      scale: { domain: ["2023", "2024"], range: [SERIES_PALETTE[0], "#112233"] },
      legend: {},
    });
  });

  it("hides the legend on request and when points are labelled", () => {
    expect(
      encoding(buildChartSpec(SALES, { ...OPTIONS, series: "year", showLegend: false })).color?.legend,
    ).toBe(null);
    const labelled = buildChartSpec(SALES, {
      ...OPTIONS,
      chartType: "scatter",
      x: "sales",
      series: "year",
      labelPoints: true,
    });
    expect(encoding(labelled).color?.legend).toBe(null);
    const layers = spec(labelled).layer as VegaLiteSpec[];
    expect(layers.map((layer) => (layer.mark as { type: string }).type)).toEqual(["point", "text"]);
    expect((spec(labelled).data as { values: { label: string }[] }).values[0]?.label).toBe("10");
  });

  it("puts horizontal bars' categories on y in row order and labels values", () => {
    const built = buildChartSpec(SALES, { ...OPTIONS, barOrientation: "horizontal", labelValues: true });
    expect(encoding(built).y).toMatchObject({ field: "x", type: "nominal", sort: null });
    expect(encoding(built).x).toMatchObject({ field: "y", type: "quantitative" });
    const layers = spec(built).layer as VegaLiteSpec[];
    expect(layers[1]).toMatchObject({ mark: { type: "text", align: "left" } });
  });

  it("uses a numeric axis for numeric x and categories when forced", () => {
    const numeric = buildChartSpec(SALES, { ...OPTIONS, chartType: "line", x: "sales", xRange: [0, 50] });
    expect(encoding(numeric).x).toMatchObject({
      type: "quantitative",
      scale: { domain: [0, 50], nice: false },
    });
    const forced = buildChartSpec(SALES, { ...OPTIONS, chartType: "line", x: "sales", xAsCategory: true });
    expect(encoding(forced).x).toMatchObject({ type: "nominal", sort: null });
    expect((spec(forced).data as { values: { x: unknown }[] }).values[0]?.x).toBe("10");
  });

  it("uses a proportional UTC time axis for dates", () => {
    const built = buildChartSpec(SALES, { ...OPTIONS, chartType: "line", x: "day" });
    expect(encoding(built).x).toMatchObject({
      type: "temporal",
      scale: { type: "utc" },
      axis: { format: "%Y-%m-%d" },
    });
    expect((spec(built).data as { values: { x: unknown }[] }).values[0]?.x).toBe(Date.UTC(2024, 0, 1));
  });

  it("applies y_range and log scales", () => {
    const ranged = buildChartSpec(SALES, { ...OPTIONS, yRange: [5, 25] });
    expect(encoding(ranged).y).toMatchObject({ scale: { type: "linear", domain: [5, 25], nice: false } });
    const log = buildChartSpec(SALES, { ...OPTIONS, yScale: "log" });
    expect(encoding(log).y).toMatchObject({ scale: { type: "log" } });
  });

  it("refuses missing columns, non-numeric y and bad log data", () => {
    expect(buildChartSpec(SALES, { ...OPTIONS, x: "nope" })).toMatchObject({
      ok: false,
      code: "SCHEMA_MISMATCH",
      message: "Column 'nope' is not in the query result (columns: region, sales, year, day).",
    });
    expect(buildChartSpec(SALES, { ...OPTIONS, series: "nope" })).toMatchObject({ code: "SCHEMA_MISMATCH" });
    expect(buildChartSpec(SALES, { ...OPTIONS, y: "year" })).toMatchObject({
      code: "SCHEMA_MISMATCH",
      message: "Column 'year' is missing or not numeric in at least one row",
    });
    const withNull: ChartTable = { columns: SALES.columns, rows: [...SALES.rows, ["west", null, "2024", 0]] };
    expect(buildChartSpec(withNull, OPTIONS)).toMatchObject({ code: "SCHEMA_MISMATCH" });
    expect(buildChartSpec(SALES, { ...OPTIONS, y: undefined })).toMatchObject({ code: "INVALID_ARGUMENT" });
    const withZero: ChartTable = { columns: SALES.columns, rows: [...SALES.rows, ["west", 0, "2024", 0]] };
    expect(buildChartSpec(withZero, { ...OPTIONS, yScale: "log" })).toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    expect(buildChartSpec(SALES, { ...OPTIONS, yScale: "log", yRange: [0, 10] })).toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    expect(buildChartSpec(SALES, { ...OPTIONS, xRange: [0, 1] })).toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("bins histograms exactly and refuses non-numeric x", () => {
    const built = buildChartSpec(SALES, { ...OPTIONS, chartType: "histogram", x: "sales", bins: 2 });
    expect(built.ok && built.rowsPlotted).toBe(3);
    expect((spec(built).data as { values: unknown[] }).values).toEqual([
      { x: 10, x2: 15, y: 1 },
      { x: 15, x2: 20, y: 2 },
    ]);
    expect(encoding(built).x).toMatchObject({ bin: { binned: true }, scale: { domain: [10, 20] } });
    expect(buildChartSpec(SALES, { ...OPTIONS, chartType: "histogram", x: "region" })).toMatchObject({
      code: "SCHEMA_MISMATCH",
    });
  });
});

describe("binValues", () => {
  it("closes the last bin, drops values outside a range and splits series", () => {
    const values = [0, 1, 2, 3, 4].map((value) => ({ value, series: value % 2 === 0 ? "even" : "odd" }));
    const binned = binValues(values, 2, [0, 3]);
    expect(binned.plotted).toBe(4);
    expect(binned.data).toEqual([
      { x: 0, x2: 1.5, y: 1, series: "even" },
      { x: 1.5, x2: 3, y: 1, series: "even" },
      { x: 0, x2: 1.5, y: 1, series: "odd" },
      { x: 1.5, x2: 3, y: 1, series: "odd" },
    ]);
  });

  it("widens a single value into one unit-wide extent", () => {
    const binned = binValues([{ value: 5, series: undefined }], 1, undefined);
    expect(binned).toMatchObject({ start: 4.5, end: 5.5, data: [{ x: 4.5, x2: 5.5, y: 1 }] });
  });
});

describe("helpers", () => {
  it("formats time axes by their precision", () => {
    expect(timeFormat("date", [Date.UTC(2024, 0, 1)])).toBe("%Y-%m-%d");
    expect(timeFormat("timestamp", [Date.UTC(2024, 0, 1)])).toBe("%Y-%m-%d");
    expect(timeFormat("timestamp", [Date.UTC(2024, 0, 1, 10, 30)])).toBe("%Y-%m-%d %H:%M");
    expect(timeFormat("timestamptz", [Date.UTC(2024, 0, 1, 10, 30, 5)])).toBe("%Y-%m-%d %H:%M:%S");
  });

  it("labels categories without a zone suffix", () => {
    expect(categoryLabel(Date.UTC(2024, 0, 1, 10, 30), "timestamptz")).toBe("2024-01-01 10:30:00");
    expect(categoryLabel(Date.UTC(2024, 0, 1), "date")).toBe("2024-01-01");
    expect(categoryLabel(null, "text")).toBe("null");
    expect(categoryLabel(2.5, "number")).toBe("2.5");
  });

  it("replaces characters SVG cannot carry", () => {
    expect(plainText("a\u0000b\u001bc\td\ne")).toBe("a\uFFFDb\uFFFDc\td\ne");
    expect(plainText("x\ud800y 🦆 \udc00")).toBe("x\uFFFDy 🦆 \uFFFD");
    expect(categoryLabel("bad\u0001", "text")).toBe("bad\uFFFD");
  });

  it("derives tick counts from width and label length", () => {
    expect(tickCount(800, 10)).toBeGreaterThan(tickCount(300, 10));
    expect(tickCount(4096, 1)).toBe(12);
    expect(tickCount(200, 30)).toBe(2);
  });

  it("cycles the palette and formats labels compactly", () => {
    const names = Array.from({ length: 9 }, (_, index) => `s${index}`);
    expect(seriesColors(names, { s1: "#000000" })).toEqual([
      SERIES_PALETTE[0],
      "#000000",
      ...SERIES_PALETTE.slice(2),
      SERIES_PALETTE[0],
    ]);
    expect(formatNumber(3)).toBe("3");
    expect(formatNumber(1 / 3)).toBe("0.333333");
  });
});

describe("chart data", () => {
  it("classifies SQL types", () => {
    expect(columnKind("INTEGER")).toBe("number");
    expect(columnKind("NUMERIC(10,2)")).toBe("number");
    expect(columnKind("DOUBLE PRECISION")).toBe("number");
    expect(columnKind("DATE")).toBe("date");
    expect(columnKind("TIMESTAMP WITH TIME ZONE")).toBe("timestamptz");
    expect(columnKind("TEXT")).toBe("text");
  });

  it("converts values for plotting", () => {
    expect(chartValue(12n, "number")).toBe(12);
    expect(chartValue("1.50", "number")).toBe(1.5);
    expect(chartValue(Number.NaN, "number")).toBe(null);
    expect(chartValue(new Date(Date.UTC(2024, 0, 1)), "date")).toBe(Date.UTC(2024, 0, 1));
    expect(chartValue(true, "text")).toBe("true");
    expect(chartValue(null, "text")).toBe(null);
  });
});
