/**
 * Builds the Vega-Lite specification of a chart from a query result and the validated chart
 * options, checking the data on the way (pure: no rendering, no I/O).
 *
 * Data rules:
 * - `x` (and `y`, `series` when given) must be columns of the result (`SCHEMA_MISMATCH`).
 * - bar, line and scatter need a numeric `y` in every row (`SCHEMA_MISMATCH`); a histogram bins
 *   a numeric `x` (its nulls are skipped).
 * - A log `y` scale needs every plotted value (and a `y_range` start) above 0 (`INVALID_ARGUMENT`).
 *
 * Layout rules:
 * - Bars are categorical on `x` in first-seen order; horizontal bars list the categories
 *   top-down in that order. Several series are drawn as grouped bars.
 * - line and scatter: a numeric `x` gets a numeric axis, DATE / TIMESTAMP / TIMESTAMPTZ a
 *   proportional UTC time axis (dates as `%Y-%m-%d`, times with hours, minutes and, when
 *   needed, seconds; no zone suffix), text a categorical axis; `x_as_category` forces
 *   categorical. Rows whose `x` is null cannot be placed on a numeric or time axis and are left
 *   out.
 * - Histograms are binned here (equal-width bins over the data's extent or `x_range`, the last
 *   bin closed), so the specification carries the counts and the bins are exactly `bins`.
 * - Series are coloured from an 8-colour palette in series-name order; `color_map` entries
 *   (already filtered to `#rrggbb`) override it; without series, a `color_map` entry for the `y`
 *   column (the `x` column for histograms) colours the marks.
 * - Tick counts of numeric and time axes follow the width and the label length; categorical
 *   labels are tilted when they do not fit and thinned when they overlap.
 * - `width` and `height` are the size of the whole image (axes, title and legend included).
 *
 * @module
 */
import type { ToolErrorCode } from "../tools/tool-error.ts";
import type { ChartColumn, ChartTable, ChartValue, ColumnKind } from "./chart-data.ts";

/** The chart kinds. */
export type ChartType = "bar" | "line" | "scatter" | "histogram";

/** Chart options after argument validation. */
export interface ChartOptions {
  readonly chartType: ChartType;
  readonly x: string;
  readonly y?: string | undefined;
  readonly series?: string | undefined;
  readonly title?: string | undefined;
  readonly width: number;
  readonly height: number;
  readonly bins: number;
  readonly xAsCategory: boolean;
  readonly xRange?: readonly [number, number] | undefined;
  readonly yRange?: readonly [number, number] | undefined;
  /** Series name (or column name) → `#rrggbb`. */
  readonly colorMap: Readonly<Record<string, string>>;
  readonly labelPoints: boolean;
  readonly barOrientation: "vertical" | "horizontal";
  readonly labelValues: boolean;
  readonly showLegend: boolean;
  readonly yScale: "linear" | "log";
  /** Font family of every text in the chart. */
  readonly fontFamily: string;
}

/** A Vega-Lite specification as plain JSON. */
export type VegaLiteSpec = Record<string, unknown>;

/** The outcome of {@link buildChartSpec}. */
export type ChartSpecOutcome =
  | { readonly ok: true; readonly spec: VegaLiteSpec; readonly rowsPlotted: number }
  | {
      readonly ok: false;
      readonly code: ToolErrorCode;
      readonly message: string;
      readonly suggestion?: string;
    };

/** The series palette (colour-blind friendly, distinct on white). */
export const SERIES_PALETTE = [
  "#4c78a8",
  "#f58518",
  "#54a24b",
  "#e45756",
  "#72b7b2",
  "#b279a2",
  "#eeca3b",
  "#9d755d",
] as const;

const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Approximate width of one label character in pixels at the default label size. */
const CHAR_WIDTH = 6.5;

/** One plotted datum: fixed field names keep arbitrary column names out of field expressions. */
type Datum = Record<string, ChartValue>;

type Failure = Extract<ChartSpecOutcome, { ok: false }>;

/** Builds the chart specification, or says why the data cannot be charted. */
export function buildChartSpec(table: ChartTable, options: ChartOptions): ChartSpecOutcome {
  const xIndex = columnIndex(table, options.x);
  if (typeof xIndex !== "number") {
    return xIndex;
  }
  const seriesIndex = options.series === undefined ? undefined : columnIndex(table, options.series);
  if (typeof seriesIndex === "object") {
    return seriesIndex;
  }
  if (options.chartType === "histogram") {
    return histogramSpec(table, options, xIndex, seriesIndex);
  }
  if (options.y === undefined) {
    return fail(
      "INVALID_ARGUMENT",
      `y is required for ${options.chartType} charts: name the numeric column to plot.`,
    );
  }
  const yIndex = columnIndex(table, options.y);
  if (typeof yIndex !== "number") {
    return yIndex;
  }
  const yColumn = table.columns[yIndex] as ChartColumn;
  const notNumeric = table.rows.some((row) => typeof row[yIndex] !== "number");
  if (yColumn.kind !== "number" || notNumeric) {
    return fail(
      "SCHEMA_MISMATCH",
      `Column '${options.y}' is missing or not numeric in at least one row`,
      `Plot a numeric column as y, cast it in SQL (e.g. CAST(col AS DOUBLE PRECISION)), or filter out NULLs (WHERE "${options.y}" IS NOT NULL).`,
    );
  }
  const xColumn = table.columns[xIndex] as ChartColumn;
  const categorical = options.chartType === "bar" || options.xAsCategory || xColumn.kind === "text";
  const data: Datum[] = [];
  for (const row of table.rows) {
    const x = row[xIndex] ?? null;
    if (!categorical && x === null) {
      continue;
    }
    const datum: Datum = {
      x: categorical ? categoryLabel(x, xColumn.kind) : x,
      y: row[yIndex] ?? null,
    };
    if (seriesIndex !== undefined) {
      datum.series = seriesLabel(row[seriesIndex] ?? null);
    }
    data.push(datum);
  }
  if (data.length === 0) {
    return fail("EMPTY_DATA", `Column '${options.x}' is NULL in every row; there is nothing to plot.`);
  }
  const logFailure = checkLogScale(options, data);
  if (logFailure !== undefined) {
    return logFailure;
  }
  if (options.xRange !== undefined && (categorical || xColumn.kind !== "number")) {
    return fail(
      "INVALID_ARGUMENT",
      "x_range needs a numeric x axis; it does not apply to categorical or time axes.",
      "Drop x_range, or filter the rows in SQL (WHERE) instead.",
    );
  }
  const xEncoding = categorical
    ? categoricalAxis(options, data, "x")
    : continuousXAxis(options, xColumn, data);
  return {
    ok: true,
    rowsPlotted: data.length,
    spec:
      options.chartType === "bar" ? barSpec(options, data, xEncoding) : pointSpec(options, data, xEncoding),
  };
}

/** The index of a column, or a `SCHEMA_MISMATCH` naming the columns there are. */
function columnIndex(table: ChartTable, name: string): number | Failure {
  const index = table.columns.findIndex((column) => column.name === name);
  if (index >= 0) {
    return index;
  }
  const names = table.columns.map((column) => column.name).join(", ");
  return fail(
    "SCHEMA_MISMATCH",
    `Column '${name}' is not in the query result (columns: ${names}).`,
    "Use a column name exactly as the query returns it (case-sensitive), or alias it in SQL (AS name).",
  );
}

function checkLogScale(options: ChartOptions, data: readonly Datum[]): Failure | undefined {
  if (options.yScale !== "log") {
    return undefined;
  }
  if (options.yRange !== undefined && options.yRange[0] <= 0) {
    return fail("INVALID_ARGUMENT", "y_range must start above 0 on a log scale.");
  }
  if (data.some((datum) => typeof datum.y !== "number" || datum.y <= 0)) {
    return fail(
      "INVALID_ARGUMENT",
      "y_scale 'log' needs every plotted value to be greater than 0.",
      'Filter out zero and negative values in SQL, or use y_scale "linear".',
    );
  }
  return undefined;
}

/** The x encoding of a bar chart or of a line/scatter chart. */
type Encoding = Record<string, unknown>;

function barSpec(options: ChartOptions, data: readonly Datum[], categoryEncoding: Encoding): VegaLiteSpec {
  const horizontal = options.barOrientation === "horizontal";
  const [categoryChannel, valueChannel, offsetChannel] = horizontal
    ? (["y", "x", "yOffset"] as const)
    : (["x", "y", "xOffset"] as const);
  const category = horizontal ? categoricalAxis(options, data, "y") : categoryEncoding;
  const encoding: Encoding = {
    [categoryChannel]: category,
    // Grouped, not stacked: a stack starts at 0, which a log scale cannot show.
    [valueChannel]: { ...valueAxis(options, options.y ?? "y"), stack: null },
  };
  const grouped = data.some((datum) => datum.series !== undefined);
  if (grouped) {
    encoding[offsetChannel] = { field: "series", type: "nominal", sort: seriesNames(data) };
  }
  Object.assign(encoding, colorEncoding(options, data, options.showLegend));
  const layers: VegaLiteSpec[] = [{ mark: { type: "bar", clip: true, ...markColor(options, data) } }];
  if (options.labelValues) {
    layers.push({
      mark: horizontal
        ? { type: "text", align: "left", baseline: "middle", dx: 3, color: "#333333" }
        : { type: "text", align: "center", baseline: "bottom", dy: -2, color: "#333333" },
      encoding: { text: { field: "label", type: "nominal" }, color: { value: "#333333" } },
    });
  }
  return topLevel(options, withLabels(data, options.labelValues), encoding, layers);
}

function pointSpec(options: ChartOptions, data: readonly Datum[], xEncoding: Encoding): VegaLiteSpec {
  const encoding: Encoding = {
    x: xEncoding,
    y: valueAxis(options, options.y ?? "y"),
    ...colorEncoding(options, data, options.showLegend && !options.labelPoints),
  };
  // Clipping only matters with a fixed range; without one it would cut points on the edges.
  const clip = options.xRange !== undefined || options.yRange !== undefined;
  const mark =
    options.chartType === "line"
      ? { type: "line", clip, point: data.length <= 200, ...markColor(options, data) }
      : { type: "point", clip, filled: true, opacity: 0.8, ...markColor(options, data) };
  const layers: VegaLiteSpec[] = [{ mark }];
  if (options.labelPoints) {
    layers.push({
      mark: { type: "text", align: "center", baseline: "bottom", dy: -5, fontSize: 9, clip },
      encoding: { text: { field: "label", type: "nominal" } },
    });
  }
  return topLevel(options, withLabels(data, options.labelPoints), encoding, layers);
}

function histogramSpec(
  table: ChartTable,
  options: ChartOptions,
  xIndex: number,
  seriesIndex: number | undefined,
): ChartSpecOutcome {
  const xColumn = table.columns[xIndex] as ChartColumn;
  if (xColumn.kind !== "number") {
    return fail(
      "SCHEMA_MISMATCH",
      `Column '${options.x}' is not numeric; a histogram bins a numeric x.`,
      "Histogram a numeric column, or use a bar chart of counts (SELECT x, COUNT(*) … GROUP BY x).",
    );
  }
  const values: { value: number; series: string | undefined }[] = [];
  for (const row of table.rows) {
    const value = row[xIndex];
    if (typeof value === "number") {
      values.push({
        value,
        series: seriesIndex === undefined ? undefined : seriesLabel(row[seriesIndex] ?? null),
      });
    }
  }
  if (values.length === 0) {
    return fail("EMPTY_DATA", `Column '${options.x}' is NULL in every row; there is nothing to bin.`);
  }
  const bins = binValues(values, options.bins, options.xRange);
  return {
    ok: true,
    rowsPlotted: bins.plotted,
    spec: topLevel(
      options,
      bins.data,
      {
        x: {
          field: "x",
          type: "quantitative",
          bin: { binned: true },
          title: plainText(options.x),
          scale: { domain: [bins.start, bins.end], nice: false, zero: false },
          axis: { tickCount: tickCount(options.width, 8) },
        },
        x2: { field: "x2" },
        y: {
          ...valueAxis(options, "count"),
          ...(seriesIndex === undefined ? {} : { stack: "zero" }),
        },
        ...colorEncoding(options, bins.data, options.showLegend),
      },
      [{ mark: { type: "bar", clip: true, binSpacing: 1, ...markColor(options, bins.data) } }],
    ),
  };
}

/** Equal-width bins over `[start, end]` (the last bin closed); counts per bin and series. */
export function binValues(
  values: readonly { value: number; series: string | undefined }[],
  binCount: number,
  range: readonly [number, number] | undefined,
): { data: Datum[]; start: number; end: number; plotted: number } {
  let start = range?.[0] ?? Number.POSITIVE_INFINITY;
  let end = range?.[1] ?? Number.NEGATIVE_INFINITY;
  if (range === undefined) {
    for (const { value } of values) {
      start = Math.min(start, value);
      end = Math.max(end, value);
    }
    if (start === end) {
      start -= 0.5;
      end += 0.5;
    }
  }
  const step = (end - start) / binCount;
  const counts = new Map<string | undefined, number[]>();
  let plotted = 0;
  for (const { value, series } of values) {
    if (value < start || value > end) {
      continue;
    }
    const bin = Math.min(binCount - 1, Math.floor((value - start) / step));
    let seriesCounts = counts.get(series);
    if (seriesCounts === undefined) {
      seriesCounts = new Array<number>(binCount).fill(0);
      counts.set(series, seriesCounts);
    }
    seriesCounts[bin] = (seriesCounts[bin] ?? 0) + 1;
    plotted += 1;
  }
  const data: Datum[] = [];
  const seriesKeys = [...counts.keys()].sort(compareSeries);
  for (const series of seriesKeys) {
    const seriesCounts = counts.get(series) ?? [];
    for (let bin = 0; bin < binCount; bin++) {
      const datum: Datum = {
        x: start + step * bin,
        x2: bin === binCount - 1 ? end : start + step * (bin + 1),
        y: seriesCounts[bin] ?? 0,
      };
      if (series !== undefined) {
        datum.series = series;
      }
      data.push(datum);
    }
  }
  return { data, start, end, plotted };
}

/** A categorical axis (`sort: null` keeps first-seen order) on `channel`. */
function categoricalAxis(options: ChartOptions, data: readonly Datum[], channel: "x" | "y"): Encoding {
  const labels = new Set(data.map((datum) => String(datum.x)));
  const longest = Math.max(...[...labels].map((label) => label.length));
  const axis: Record<string, unknown> = { labelOverlap: "greedy", labelLimit: 160 };
  if (channel === "x") {
    const perCategory = (options.width - 80) / Math.max(1, labels.size);
    axis.labelAngle = longest * CHAR_WIDTH + 4 <= perCategory ? 0 : -45;
  }
  return { field: "x", type: "nominal", sort: null, title: plainText(options.x), axis };
}

/** A numeric or time x axis, with the tick count following the width. */
function continuousXAxis(options: ChartOptions, column: ChartColumn, data: readonly Datum[]): Encoding {
  if (column.kind === "number") {
    const scale: Record<string, unknown> = { zero: false };
    if (options.xRange !== undefined) {
      scale.domain = [...options.xRange];
      scale.nice = false;
    }
    return {
      field: "x",
      type: "quantitative",
      title: plainText(options.x),
      scale,
      axis: { tickCount: tickCount(options.width, 8) },
    };
  }
  const format = timeFormat(
    column.kind,
    data.map((datum) => datum.x as number),
  );
  return {
    field: "x",
    type: "temporal",
    title: plainText(options.x),
    scale: { type: "utc" },
    axis: {
      format,
      tickCount: tickCount(options.width, format.length + 2),
      labelOverlap: "greedy",
      labelAngle: format.length > 8 ? -30 : 0,
    },
  };
}

/** The label format of a time axis: dates only when every value is at midnight UTC. */
export function timeFormat(kind: ColumnKind, millis: readonly number[]): string {
  if (kind === "date" || millis.every((value) => value % 86_400_000 === 0)) {
    return "%Y-%m-%d";
  }
  return millis.every((value) => value % 60_000 === 0) ? "%Y-%m-%d %H:%M" : "%Y-%m-%d %H:%M:%S";
}

/** Ticks that fit the width with labels of `labelChars` characters. */
export function tickCount(width: number, labelChars: number): number {
  const plotWidth = Math.max(100, width - 100);
  return Math.max(2, Math.min(12, Math.floor(plotWidth / (labelChars * CHAR_WIDTH + 24))));
}

/** The quantitative value axis (y of vertical bars, lines and points; x of horizontal bars). */
function valueAxis(options: ChartOptions, title: string): Encoding {
  const scale: Record<string, unknown> = { type: options.yScale };
  if (options.yRange !== undefined) {
    scale.domain = [...options.yRange];
    scale.nice = false;
  } else if (options.chartType === "line" || options.chartType === "scatter") {
    scale.zero = false;
  }
  return { field: "y", type: "quantitative", title: plainText(title), scale };
}

function colorEncoding(options: ChartOptions, data: readonly Datum[], showLegend: boolean): Encoding {
  const names = seriesNames(data);
  if (names.length === 0) {
    return {};
  }
  return {
    color: {
      field: "series",
      type: "nominal",
      title: plainText(options.series ?? "series"),
      scale: { domain: names, range: seriesColors(names, options.colorMap) },
      legend: showLegend ? {} : null,
    },
  };
}

/** Mark colour of a chart without series: a `color_map` entry for the plotted column, if any. */
function markColor(options: ChartOptions, data: readonly Datum[]): Record<string, string> {
  if (seriesNames(data).length > 0) {
    return {};
  }
  const column = options.chartType === "histogram" ? options.x : (options.y ?? options.x);
  return { color: options.colorMap[column] ?? SERIES_PALETTE[0] };
}

/** Colours of the series in `names` order: `color_map` first, then the palette in turn. */
export function seriesColors(names: readonly string[], colorMap: Readonly<Record<string, string>>): string[] {
  return names.map(
    (name, index) => colorMap[name] ?? (SERIES_PALETTE[index % SERIES_PALETTE.length] as string),
  );
}

/** The distinct series names, sorted. */
function seriesNames(data: readonly Datum[]): string[] {
  const names = new Set<string>();
  for (const datum of data) {
    if (typeof datum.series === "string") {
      names.add(datum.series);
    }
  }
  return [...names].sort(compareSeries);
}

function compareSeries(a: string | undefined, b: string | undefined): number {
  return (a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0;
}

function topLevel(
  options: ChartOptions,
  data: readonly Datum[],
  encoding: Encoding,
  layers: readonly VegaLiteSpec[],
): VegaLiteSpec {
  const spec: VegaLiteSpec = {
    $schema: VEGA_LITE_SCHEMA,
    width: options.width,
    height: options.height,
    autosize: { type: "fit", contains: "padding" },
    background: "white",
    config: { font: options.fontFamily, view: { stroke: null } },
  };
  if (options.title !== undefined && options.title !== "") {
    spec.title = plainText(options.title);
  }
  spec.data = { values: data };
  spec.encoding = encoding;
  if (layers.length === 1) {
    Object.assign(spec, layers[0]);
  } else {
    spec.layer = layers;
  }
  return spec;
}

/** Adds the `label` field (the y value as text) to every datum when labels are drawn. */
function withLabels(data: readonly Datum[], labelled: boolean): readonly Datum[] {
  if (!labelled) {
    return data;
  }
  return data.map((datum) => ({ ...datum, label: typeof datum.y === "number" ? formatNumber(datum.y) : "" }));
}

/** A compact label for a plotted value: integers as they are, others to 6 significant digits. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) {
    return String(value);
  }
  return String(Number(value.toPrecision(6)));
}

/** The label of a value on a categorical axis. */
export function categoryLabel(value: ChartValue, kind: ColumnKind): string {
  if (value === null) {
    return "null";
  }
  if (typeof value === "string") {
    return plainText(value);
  }
  if (kind !== "number" && kind !== "text") {
    const iso = new Date(value).toISOString();
    if (kind === "date" || value % 86_400_000 === 0) {
      return iso.slice(0, 10);
    }
    return iso.slice(0, 19).replace("T", " ");
  }
  return String(value);
}

function seriesLabel(value: ChartValue): string {
  return value === null ? "null" : plainText(String(value));
}

/**
 * What XML 1.0 does not allow (SVG is XML): C0 controls other than tab and newlines, U+FFFE,
 * U+FFFF and lone surrogates.
 */
const NON_XML_CHARACTERS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `text` as it can appear in SVG: characters XML does not allow and lone surrogates become
 * U+FFFD. Applies to every text drawn (titles, labels) and to the data values, which Vega also
 * writes into accessibility attributes.
 */
export function plainText(text: string): string {
  return text.replace(NON_XML_CHARACTERS, "\uFFFD");
}

function fail(code: ToolErrorCode, message: string, suggestion?: string): Failure {
  return suggestion === undefined ? { ok: false, code, message } : { ok: false, code, message, suggestion };
}
