/**
 * `chart` end to end: over stdio against the built server (its private hyperd) for every chart
 * type, both formats, file output and the error codes; plus database routing and read-only mode
 * through `runChart` on session engines of the shared hyperd. One stdio server for the file.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { Resvg } from "@resvg/resvg-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChart } from "../../../src/tools/chart.ts";
import { runExecute } from "../../../src/tools/execute.ts";
import type { ToolContext } from "../../../src/tools/tool-context.ts";
import { errorOf, payload, testContext } from "../ingest/fixtures.ts";
import { type ServerUnderTest, startServer } from "./mcp-client.ts";

interface ChartStats {
  operation: string;
  rows_plotted: number;
  elapsed_ms: number;
  format: string;
  bytes: number;
  width: number;
  height: number;
  inline: boolean;
  output_path?: string;
  resolved_database: string;
  vega_lite_spec: Record<string, unknown>;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The stats JSON of a chart result (its last block). */
function statsOf(result: CallToolResult): ChartStats {
  if (result.isError === true) {
    throw new Error(`tool failed: ${JSON.stringify(result.structuredContent)}`);
  }
  const last = result.content.at(-1);
  if (last?.type !== "text") {
    throw new Error("the last block is not text");
  }
  return JSON.parse(last.text) as ChartStats;
}

/** The image block of a chart result. */
function imageOf(result: CallToolResult): { bytes: Buffer; mimeType: string } {
  const first = result.content[0];
  if (first?.type !== "image") {
    throw new Error(`expected an image block, got ${first?.type}`);
  }
  return { bytes: Buffer.from(first.data, "base64"), mimeType: first.mimeType };
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  expect(bytes.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Parses SVG text (resvg refuses malformed XML) and returns its declared size. */
function svgSize(text: string): { width: number; height: number } {
  expect(text.startsWith("<svg")).toBe(true);
  const parsed = new Resvg(text, { font: { loadSystemFonts: false } });
  return { width: parsed.width, height: parsed.height };
}

describe("chart over stdio", () => {
  let server: ServerUnderTest;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "chart-test-"));
    server = await startServer({ args: ["--ephemeral-only"] });
    const created = await call("execute", {
      sql: [
        "CREATE TABLE sales (region TEXT, year INTEGER, amount DOUBLE PRECISION, day DATE, at TIMESTAMPTZ)",
      ],
    });
    expect(created.isError).not.toBe(true);
    const inserted = await call("execute", {
      sql: [
        `INSERT INTO sales VALUES
          ('north', 2023, 10.5, DATE '2024-01-01', TIMESTAMPTZ '2024-01-01 10:00:00+00'),
          ('south', 2023, 20, DATE '2024-01-02', TIMESTAMPTZ '2024-01-01 11:00:00+00'),
          ('north', 2024, 15, DATE '2024-01-03', TIMESTAMPTZ '2024-01-01 12:00:00+00'),
          ('south', 2024, 30, DATE '2024-01-05', TIMESTAMPTZ '2024-01-01 13:30:00+00'),
          ('east', 2024, 5, DATE '2024-01-08', TIMESTAMPTZ '2024-01-01 15:00:00+00')`,
      ],
    });
    expect(inserted.isError).not.toBe(true);
  });

  afterAll(async () => {
    await server?.client.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    return (await server.client.callTool({ name, arguments: args })) as CallToolResult;
  }

  async function chart(args: Record<string, unknown>): Promise<CallToolResult> {
    return call("chart", args);
  }

  it("draws a PNG bar chart of the requested size with stats and the Vega-Lite spec", async () => {
    const result = await chart({
      sql: "SELECT region, SUM(amount) AS total FROM sales GROUP BY region ORDER BY region",
      chart_type: "bar",
      x: "region",
      y: "total",
      title: "Sales by region",
      width: 640,
      height: 400,
      label_values: true,
    });
    expect(result.structuredContent).toBeUndefined();
    expect(result.content).toHaveLength(2);
    const image = imageOf(result);
    expect(image.mimeType).toBe("image/png");
    expect(pngSize(image.bytes)).toEqual({ width: 640, height: 400 });
    const stats = statsOf(result);
    expect(stats).toMatchObject({
      operation: "chart",
      rows_plotted: 3,
      format: "png",
      bytes: image.bytes.length,
      width: 640,
      height: 400,
      inline: true,
      resolved_database: "local",
    });
    expect(stats.output_path).toBeUndefined();
    expect(stats.elapsed_ms).toBeGreaterThan(0);
    expect(stats.vega_lite_spec).toMatchObject({
      title: "Sales by region",
      data: { values: [{ x: "east" }, { x: "north" }, { x: "south" }] },
    });
  });

  it("draws an SVG line chart with series coloured by color_map", async () => {
    const result = await chart({
      sql: "SELECT day, amount, year FROM sales ORDER BY day",
      chart_type: "line",
      x: "day",
      y: "amount",
      series: "year",
      format: "svg",
      color_map: { "2024": "#ff0000", "2023": "not a colour" },
    });
    const image = imageOf(result);
    expect(image.mimeType).toBe("image/svg+xml");
    const svg = image.bytes.toString("utf8");
    expect(svgSize(svg)).toEqual({ width: 800, height: 480 });
    // The 2024 line takes the mapped colour; 2023 keeps the first palette colour.
    expect(svg).toContain('stroke="#ff0000"');
    expect(svg).toContain('stroke="#4c78a8"');
    expect(svg).toContain("2024-01-01");
    expect(statsOf(result)).toMatchObject({ format: "svg", rows_plotted: 5, width: 800, height: 480 });
  });

  it("draws scatter and histogram charts", async () => {
    const scatter = statsOf(
      await chart({
        sql: "SELECT at, amount, region FROM sales",
        chart_type: "scatter",
        x: "at",
        y: "amount",
        series: "region",
        label_points: true,
      }),
    );
    expect(scatter).toMatchObject({ rows_plotted: 5, format: "png" });
    const histogram = await chart({
      sql: "SELECT amount FROM sales",
      chart_type: "hist",
      x: "amount",
      bins: 5,
      width: 300,
      height: 200,
    });
    expect(pngSize(imageOf(histogram).bytes)).toEqual({ width: 300, height: 200 });
    const spec = statsOf(histogram).vega_lite_spec as { data: { values: { y: number }[] } };
    expect(spec.data.values).toHaveLength(5);
    expect(spec.data.values.reduce((sum, bin) => sum + bin.y, 0)).toBe(5);
  });

  it("draws text that XML cannot carry as replacement characters", async () => {
    const result = await chart({
      sql: "SELECT chr(1) || 'bell' AS k, 2 AS v",
      chart_type: "bar",
      x: "k",
      y: "v",
      title: "bad\u0000title",
      format: "svg",
    });
    const svg = imageOf(result).bytes.toString("utf8");
    expect(svgSize(svg)).toEqual({ width: 800, height: 480 });
    expect(svg).toContain("\uFFFDbell");
  });

  it("writes the file, refuses to overwrite it on request, and writes without inline", async () => {
    const path = join(dir, "out", "bars.svg");
    const args = { sql: "SELECT region, amount FROM sales", chart_type: "bar", x: "region", y: "amount" };
    const written = await chart({ ...args, output_path: path });
    const stats = statsOf(written);
    expect(stats).toMatchObject({ output_path: path, format: "svg", inline: true });
    expect(imageOf(written).mimeType).toBe("image/svg+xml");
    expect((await stat(path)).size).toBe(stats.bytes);
    expect(errorOf(await chart({ ...args, output_path: path, overwrite: false }))).toMatchObject({
      code: "PERMISSION_DENIED",
    });
    await writeFile(path, "old");
    statsOf(await chart({ ...args, output_path: path }));
    expect((await readFile(path, "utf8")).startsWith("<svg")).toBe(true);

    const fileOnly = await chart({ ...args, inline: false });
    expect(fileOnly.content).toHaveLength(1);
    const auto = statsOf(fileOnly);
    expect(auto).toMatchObject({ inline: false, format: "png" });
    expect(auto.output_path).toMatch(/hyperdb-charts[\\/]chart-\d+-\d+-\d+\.png$/);
    const autoPath = auto.output_path as string;
    try {
      expect(pngSize(await readFile(autoPath))).toEqual({ width: 800, height: 480 });
    } finally {
      await rm(autoPath, { force: true });
    }
  });

  it("reports the contract's error codes", async () => {
    const base = { chart_type: "bar", x: "region", y: "amount" };
    expect(
      errorOf(await chart({ ...base, sql: "SELECT region, amount FROM sales WHERE amount > 1000" })),
    ).toEqual({ code: "EMPTY_DATA", message: "The query returned no rows; there is nothing to plot." });
    expect(
      errorOf(await chart({ ...base, y: "nope", sql: "SELECT region, amount FROM sales" })),
    ).toMatchObject({
      code: "SCHEMA_MISMATCH",
      message: "Column 'nope' is not in the query result (columns: region, amount).",
    });
    expect(errorOf(await chart({ ...base, y: "region", sql: "SELECT region FROM sales" }))).toMatchObject({
      code: "SCHEMA_MISMATCH",
      message: "Column 'region' is missing or not numeric in at least one row",
    });
    expect(errorOf(await chart({ ...base, sql: "DELETE FROM sales" })).code).toBe("SQL_ERROR");
    expect(errorOf(await chart({ ...base, sql: "SELECT * FROM no_such_table" })).code).toBe("SQL_ERROR");
    const dotted = join(dir, "..", "escape.png");
    expect(
      errorOf(
        await chart({ ...base, sql: "SELECT region, amount FROM sales", output_path: `${dir}/../x.png` }),
      ),
    ).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(existsSync(dotted)).toBe(false);
    expect(errorOf(await chart({ ...base, sql: "SELECT 1", chart_type: "pie" })).code).toBe(
      "SCHEMA_MISMATCH",
    );
    expect(errorOf(await chart({ ...base, sql: "SELECT 1", format: "gif" })).code).toBe("UNSUPPORTED_FORMAT");
    const tooMany = errorOf(
      await chart({
        chart_type: "scatter",
        x: "g",
        y: "g",
        sql: "SELECT g FROM generate_series(1, 50001) AS s(g)",
      }),
    );
    expect(tooMany).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(tooMany.suggestion).toContain("LIMIT 50000");
    // The table is untouched by the refused DELETE.
    expect(
      (payload(await call("query", { sql: "SELECT COUNT(*) AS n FROM sales" })).result as unknown[])[0],
    ).toEqual({
      n: 5,
    });
  });
});

describe("chart routing and read-only mode", () => {
  let persistentDir: string;
  let context: ToolContext;
  let readOnly: ToolContext;

  beforeAll(async () => {
    persistentDir = await mkdtemp(join(tmpdir(), "chart-persistent-"));
    context = testContext(join(persistentDir, "persistent.hyper"));
    readOnly = testContext(null, { readOnly: true });
  });

  afterAll(async () => {
    await context?.engine.close();
    await readOnly?.engine.close();
    await rm(persistentDir, { recursive: true, force: true });
  });

  it("charts a table of the persistent database", async () => {
    payload(await runExecute(context, ["CREATE TABLE kept (k TEXT, v INTEGER)"], "persistent"));
    payload(await runExecute(context, ["INSERT INTO kept VALUES ('a', 1), ('b', 2)"], "persistent"));
    const stats = statsOf(
      await runChart(context, {
        sql: "SELECT k, v FROM kept",
        chart_type: "bar",
        x: "k",
        y: "v",
        database: "Persistent",
      }),
    );
    expect(stats).toMatchObject({ rows_plotted: 2, resolved_database: "persistent" });
  });

  it("is allowed in read-only mode", async () => {
    const result = await runChart(readOnly, {
      sql: "SELECT * FROM (VALUES ('a', 1.5), ('b', 2.5)) AS t(k, v)",
      chart_type: "bar",
      x: "k",
      y: "v",
      format: "svg",
    });
    expect(statsOf(result)).toMatchObject({ rows_plotted: 2, format: "svg", resolved_database: "local" });
  });
});
