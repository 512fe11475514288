/**
 * The `chart` tool: runs one read-only SQL statement and draws its rows as a bar, line,
 * scatter or histogram chart, returned as a PNG or SVG image and/or written to a file.
 *
 * - Arguments are validated before the engine is touched: unknown `chart_type` is
 *   `SCHEMA_MISMATCH`, an unknown `format` `UNSUPPORTED_FORMAT`; ranges must be two finite,
 *   strictly increasing numbers, `bar_orientation` is for bars only, `y_scale: "log"` is refused
 *   for histograms (all `INVALID_ARGUMENT`); sizes are clamped (see the constants); output path
 *   rules are in chart-output.ts. The SQL must pass the `query` tool's read-only guard
 *   (`SQL_ERROR`). Allowed under `--read-only`: it only reads (and writes an image file).
 * - The SQL runs like `query`'s: on the resolved database (search path redirected), cancelled
 *   with the request. No rows is `EMPTY_DATA`; more than {@link MAX_CHART_ROWS} rows is
 *   `INVALID_ARGUMENT` (reading stops at the first row over, which cancels the query).
 * - The result has no `structuredContent`: an image block (base64, only when inline), then a
 *   text block with the stats JSON, which also carries the Vega-Lite specification the image
 *   was rendered from (`vega_lite_spec`) so a client can re-render or restyle it. A
 *   specification whose data would be larger than {@link MAX_SPEC_DATA_CHARS} characters is
 *   returned without its rows (`data: {name: "table"}`), saying so in `vega_lite_spec_data`.
 * - An image too large for one MCP message is refused inline (`INVALID_ARGUMENT`, before any
 *   file is written) with a hint to write it to a file instead.
 *
 * @module
 */
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { type ChartColumn, type ChartValue, chartValue, columnKind } from "../chart/chart-data.ts";
import {
  type ChartDelivery,
  checkOverwrite,
  resolveDelivery,
  writeChartFile,
} from "../chart/chart-output.ts";
import { buildChartSpec, type ChartOptions, type ChartType, type VegaLiteSpec } from "../chart/chart-spec.ts";
import { CHART_FONT_FAMILY, renderChart } from "../chart/render-chart.ts";
import { checkReadOnly } from "../engine/read-only.ts";
import { withSearchPath } from "../engine/search-path.ts";
import { lazy } from "./lazy-schema.ts";
import { errorResult } from "./map-error.ts";
import { registerTool } from "./register-tool.ts";
import { databasesFor, resolveDatabase, routingOf } from "./resolve-database.ts";
import type { ToolContext } from "./tool-context.ts";
import { type ToolErrorCode, toolError } from "./tool-error.ts";

/** Most rows a chart plots. */
export const MAX_CHART_ROWS = 50_000;

/** Image size and bin bounds: [default, min, max]. */
export const CHART_WIDTH = [800, 200, 4096] as const;
export const CHART_HEIGHT = [480, 150, 4096] as const;
export const CHART_BINS = [20, 1, 500] as const;

/** Largest inline image: base64 of it stays well under a stdio client's 10 MiB message limit. */
export const MAX_INLINE_IMAGE_BYTES = 6 * 1024 * 1024;

/** Longest title drawn; longer ones are cut (a title is one line). */
export const MAX_TITLE_CHARS = 200;

/** Longest JSON of the specification's rows returned with the stats. */
export const MAX_SPEC_DATA_CHARS = 1024 * 1024;

const CHART_TYPES: Readonly<Record<string, ChartType>> = {
  bar: "bar",
  line: "line",
  scatter: "scatter",
  histogram: "histogram",
  hist: "histogram",
};

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** The `chart` arguments. */
export const chartInputSchema = lazy(() =>
  z.object({
    sql: z
      .string()
      .describe("One read-only SQL statement whose rows are plotted (long format: one row per point/bar)."),
    chart_type: z.string().describe('"bar", "line", "scatter" or "histogram" (alias "hist").'),
    x: z.string().describe("Column for the x axis (the binned column of a histogram)."),
    y: z.string().nullish().describe("Numeric column for the y axis (bar, line, scatter; not histogram)."),
    series: z.string().nullish().describe("Column whose values split the rows into coloured series."),
    title: z.string().nullish().describe("Chart title."),
    format: z
      .string()
      .nullish()
      .describe('"png" (default) or "svg"; else taken from output_path\'s extension.'),
    width: z
      .number()
      .nullish()
      .describe(
        `Image width in pixels, default ${CHART_WIDTH[0]}, clamped to ${CHART_WIDTH[1]}..${CHART_WIDTH[2]}.`,
      ),
    height: z
      .number()
      .nullish()
      .describe(
        `Image height in pixels, default ${CHART_HEIGHT[0]}, clamped to ${CHART_HEIGHT[1]}..${CHART_HEIGHT[2]}.`,
      ),
    bins: z
      .number()
      .nullish()
      .describe(`Histogram bins, default ${CHART_BINS[0]}, clamped to ${CHART_BINS[1]}..${CHART_BINS[2]}.`),
    x_as_category: z.boolean().nullish().describe("Treat a numeric or time x as categories (line, scatter)."),
    x_range: z.array(z.number()).nullish().describe("[min, max] of a numeric x axis."),
    y_range: z.array(z.number()).nullish().describe("[min, max] of the value axis."),
    color_map: z
      .record(z.string(), z.unknown())
      .nullish()
      .describe('Series name → "#rrggbb" (other values are ignored); without series, key the y column.'),
    label_points: z
      .boolean()
      .nullish()
      .describe("Print each point's y value (line, scatter); hides the legend."),
    output_path: z.string().nullish().describe("Absolute .png or .svg path to write the image to."),
    inline: z.boolean().nullish().describe("Return the image in the result (default true)."),
    overwrite: z.boolean().nullish().describe("Replace an existing output file (default true)."),
    database: z
      .string()
      .nullish()
      .describe(
        'Database that unqualified names resolve in; "local" (the session scratch database) by default.',
      ),
    bar_orientation: z.string().nullish().describe('"vertical" (default) or "horizontal"; bars only.'),
    label_values: z.boolean().nullish().describe("Print each bar's value beside it."),
    show_legend: z.boolean().nullish().describe("Show the series legend (default true)."),
    y_scale: z
      .string()
      .nullish()
      .describe('"linear" (default) or "log" (every value must be > 0; not histograms).'),
  }),
);

/** The `chart` arguments as received. */
export type ChartArguments = z.infer<ReturnType<typeof chartInputSchema>>;

/** A refused call. */
interface Refusal {
  readonly ok: false;
  readonly code: ToolErrorCode;
  readonly message: string;
  readonly suggestion?: string;
}

/** A validated call: what to draw and where it goes. */
export interface ChartRequest {
  readonly ok: true;
  readonly options: ChartOptions;
  readonly delivery: ChartDelivery;
}

/** Registers `chart` on `server`. */
export function registerChartTool(server: McpServer, context: ToolContext): void {
  registerTool(
    server,
    "chart",
    {
      title: "Draw a chart from a SQL query",
      description: `Runs one read-only SQL statement and draws its rows as a bar, line, scatter or histogram chart (PNG by default, or SVG). Rows are long format: x, a numeric y and optionally a series column that splits them into coloured series. At most ${MAX_CHART_ROWS} rows; aggregate in SQL for more. The image is returned inline (default) and/or written to output_path (inline: false without a path writes to a temporary file). The stats text block carries the Vega-Lite specification (vega_lite_spec) for re-rendering.`,
      inputSchema: chartInputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args, ctx) => runChart(context, args, ctx.mcpReq.signal),
  );
}

/** Validates the arguments that do not need the data. */
export function parseChartArguments(args: ChartArguments): ChartRequest | Refusal {
  const chartType = CHART_TYPES[args.chart_type.trim().toLowerCase()];
  if (chartType === undefined) {
    return refuse(
      "SCHEMA_MISMATCH",
      `Unknown chart_type '${args.chart_type}'.`,
      'Use "bar", "line", "scatter" or "histogram".',
    );
  }
  const delivery = resolveDelivery(args);
  if (!delivery.ok) {
    return delivery;
  }
  const xRange = parseRange("x_range", args.x_range);
  if (xRange !== undefined && !Array.isArray(xRange)) {
    return xRange as Refusal;
  }
  const yRange = parseRange("y_range", args.y_range);
  if (yRange !== undefined && !Array.isArray(yRange)) {
    return yRange as Refusal;
  }
  const orientation = args.bar_orientation?.trim().toLowerCase() ?? "";
  if (orientation !== "" && orientation !== "vertical" && orientation !== "horizontal") {
    return refuse(
      "INVALID_ARGUMENT",
      `bar_orientation must be "vertical" or "horizontal", not '${args.bar_orientation}'.`,
    );
  }
  if (orientation !== "" && chartType !== "bar") {
    return refuse("INVALID_ARGUMENT", `bar_orientation applies to bar charts only, not ${chartType}.`);
  }
  const yScale = args.y_scale?.trim().toLowerCase() || "linear";
  if (yScale !== "linear" && yScale !== "log") {
    return refuse("INVALID_ARGUMENT", `y_scale must be "linear" or "log", not '${args.y_scale}'.`);
  }
  if (yScale === "log" && chartType === "histogram") {
    return refuse("INVALID_ARGUMENT", 'y_scale "log" is not supported for histograms.');
  }
  return {
    ok: true,
    delivery,
    options: {
      chartType,
      x: args.x,
      y: nonEmpty(args.y),
      series: nonEmpty(args.series),
      title: shortened(nonEmpty(args.title), MAX_TITLE_CHARS),
      width: clamp(args.width, CHART_WIDTH),
      height: clamp(args.height, CHART_HEIGHT),
      bins: clamp(args.bins, CHART_BINS),
      xAsCategory: args.x_as_category ?? false,
      xRange: xRange as readonly [number, number] | undefined,
      yRange: yRange as readonly [number, number] | undefined,
      colorMap: hexColors(args.color_map),
      labelPoints: args.label_points ?? false,
      barOrientation: orientation === "horizontal" ? "horizontal" : "vertical",
      labelValues: args.label_values ?? false,
      showLegend: args.show_legend ?? true,
      yScale,
      fontFamily: CHART_FONT_FAMILY,
    },
  };
}

/** Runs the `chart` tool; exported for tests. */
export async function runChart(
  context: ToolContext,
  args: ChartArguments,
  signal?: AbortSignal,
): Promise<CallToolResult> {
  const started = performance.now();
  const request = parseChartArguments(args);
  if (!request.ok) {
    return toolError(request.code, request.message, request.suggestion);
  }
  const resolved = resolveDatabase(args.database, null, routingOf(context.engine, "read"));
  if (!resolved.ok) {
    return toolError("INVALID_ARGUMENT", resolved.message);
  }
  const verdict = checkReadOnly(args.sql);
  if (!verdict.ok) {
    return toolError(
      "SQL_ERROR",
      verdict.reason,
      "chart runs one read-only statement (SELECT/WITH/VALUES); change data with execute first.",
    );
  }
  const exists = checkOverwrite(request.delivery);
  if (exists !== undefined) {
    return toolError(exists.code, exists.message, exists.suggestion);
  }
  let columns: ChartColumn[] = [];
  const rows: ChartValue[][] = [];
  let tooMany = false;
  try {
    await context.engine.use(
      (connection) =>
        withSearchPath(connection, resolved.alias, async () => {
          const stream = connection.query<unknown[]>(args.sql, undefined, {
            rowMode: "array",
            ...(signal === undefined ? {} : { signal }),
          });
          columns = (await stream.columns()).map((column) => ({
            name: column.name,
            kind: columnKind(column.typeName),
          }));
          const kinds = columns.map((column) => column.kind);
          for await (const batch of stream.batches()) {
            if (rows.length + batch.length > MAX_CHART_ROWS) {
              // Leaving the loop cancels the rest of the query on the server.
              tooMany = true;
              break;
            }
            for (const row of batch) {
              rows.push(row.map((value, index) => chartValue(value, kinds[index] ?? "text")));
            }
          }
        }),
      { ...(signal === undefined ? {} : { signal }), ...databasesFor(context.engine, resolved, [args.sql]) },
    );
  } catch (error) {
    return errorResult(error);
  }
  if (tooMany) {
    return toolError(
      "INVALID_ARGUMENT",
      `The query returned more than ${MAX_CHART_ROWS} rows; a chart plots at most ${MAX_CHART_ROWS}.`,
      `Aggregate in SQL (GROUP BY, date_trunc, width_bucket) or add LIMIT ${MAX_CHART_ROWS} to plot a subset.`,
    );
  }
  if (rows.length === 0) {
    return toolError("EMPTY_DATA", "The query returned no rows; there is nothing to plot.");
  }
  const built = buildChartSpec({ columns, rows }, request.options);
  if (!built.ok) {
    return toolError(built.code, built.message, built.suggestion);
  }
  return deliver(request.delivery, built.spec, built.rowsPlotted, resolved.name, started);
}

/** Renders, writes and returns the chart. */
async function deliver(
  delivery: ChartDelivery,
  spec: VegaLiteSpec,
  rowsPlotted: number,
  resolvedDatabase: string,
  started: number,
): Promise<CallToolResult> {
  try {
    const image = await renderChart(spec, delivery.format);
    if (delivery.inline && image.bytes.length > MAX_INLINE_IMAGE_BYTES) {
      return toolError(
        "INVALID_ARGUMENT",
        `The rendered chart is ${image.bytes.length} bytes, too large to return inline (limit ${MAX_INLINE_IMAGE_BYTES}).`,
        'Pass inline: false (optionally with output_path) to write it to a file, use format "png", or plot fewer rows.',
      );
    }
    if (delivery.path !== undefined) {
      const refused = await writeChartFile(delivery.path, image.bytes, delivery.overwrite);
      if (refused !== undefined) {
        return toolError(refused.code, refused.message, refused.suggestion);
      }
    }
    const stats: Record<string, unknown> = {
      operation: "chart",
      rows_plotted: rowsPlotted,
      elapsed_ms: Math.round((performance.now() - started) * 1000) / 1000,
      format: delivery.format,
      bytes: image.bytes.length,
      width: image.width,
      height: image.height,
      inline: delivery.inline,
    };
    if (delivery.path !== undefined) {
      stats.output_path = delivery.path;
    }
    stats.resolved_database = resolvedDatabase;
    Object.assign(stats, specForClient(spec));
    const content: CallToolResult["content"] = [];
    if (delivery.inline) {
      content.push({
        type: "image",
        data: Buffer.from(image.bytes).toString("base64"),
        mimeType: image.mimeType,
      });
    }
    content.push({ type: "text", text: JSON.stringify(stats, null, 2) });
    return { content };
  } catch (error) {
    return errorResult(error);
  }
}

/** The specification as returned with the stats: without its rows when they are too large. */
function specForClient(spec: VegaLiteSpec): Record<string, unknown> {
  const data = spec.data as { values: unknown[] };
  if (JSON.stringify(data.values).length <= MAX_SPEC_DATA_CHARS) {
    return { vega_lite_spec: spec };
  }
  return {
    vega_lite_spec: { ...spec, data: { name: "table" } },
    vega_lite_spec_data: `omitted: the ${data.values.length} plotted rows are too large to return; bind them as the data set named "table" to re-render.`,
  };
}

/** `[min, max]` when valid, a refusal when not, undefined when absent. */
function parseRange(
  name: string,
  range: readonly number[] | null | undefined,
): readonly number[] | Refusal | undefined {
  if (range === null || range === undefined) {
    return undefined;
  }
  const [min, max] = range;
  if (
    range.length !== 2 ||
    min === undefined ||
    max === undefined ||
    !Number.isFinite(min) ||
    !Number.isFinite(max) ||
    !(min < max)
  ) {
    return refuse("INVALID_ARGUMENT", `${name} must be two finite numbers [min, max] with min < max.`);
  }
  return [min, max];
}

/** `value` truncated and clamped, or the default. */
function clamp(
  value: number | null | undefined,
  [fallback, min, max]: readonly [number, number, number],
): number {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return fallback;
  }
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

/** The `#rrggbb` entries of `color_map`; others are ignored. */
function hexColors(colorMap: Record<string, unknown> | null | undefined): Record<string, string> {
  const colors: Record<string, string> = {};
  for (const [name, color] of Object.entries(colorMap ?? {})) {
    if (typeof color === "string" && HEX_COLOR.test(color)) {
      colors[name] = color;
    }
  }
  return colors;
}

/** `text` cut to `max` characters with an ellipsis. */
function shortened(text: string | undefined, max: number): string | undefined {
  return text === undefined || text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === "" ? undefined : value;
}

function refuse(code: ToolErrorCode, message: string, suggestion?: string): Refusal {
  return suggestion === undefined ? { ok: false, code, message } : { ok: false, code, message, suggestion };
}
