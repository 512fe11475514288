/**
 * Renders a Vega-Lite specification to SVG (Vega, headless) and, for PNG, rasterizes the SVG
 * with resvg.
 *
 * - The rendering libraries are large and only charts need them: they are imported on first
 *   use, never at server start-up (and stay outside the server bundle).
 * - Text is drawn with the DejaVu Sans font shipped in this package's `assets/fonts/`; resvg
 *   loads only that file, never system fonts, so a PNG looks the same on every machine. The
 *   font is found by walking up from this module to the package root, which works from the
 *   sources and from a bundled build alike.
 * - Vega places text by estimated widths (no canvas to measure with), so labels may sit a few
 *   pixels off their ideal place; nothing is cut because layout leaves room for the estimate.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { VegaLiteSpec } from "./chart-spec.ts";

/** The family name of the shipped font, as charts ask for it. */
export const CHART_FONT_FAMILY = "DejaVu Sans";

/** The shipped font file, relative to the package root. */
const FONT_FILE = join("assets", "fonts", "DejaVuSans.ttf");

const PACKAGE_NAME = "@hyperdb-ts/hyperdb-mcp";

/** A rendered chart. */
export interface RenderedChart {
  readonly bytes: Uint8Array;
  readonly mimeType: "image/png" | "image/svg+xml";
  readonly width: number;
  readonly height: number;
}

let cachedFontPath: string | undefined;

/** The absolute path of the shipped font file. */
export function chartFontPath(): string {
  cachedFontPath ??= findFontFile(dirname(fileURLToPath(import.meta.url)));
  return cachedFontPath;
}

function findFontFile(startDir: string): string {
  let dir = startDir;
  for (;;) {
    if (isPackageRoot(dir)) {
      const path = join(dir, FONT_FILE);
      if (existsSync(path)) {
        return path;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`the chart font ${FONT_FILE} was not found in the ${PACKAGE_NAME} package`);
    }
    dir = parent;
  }
}

function isPackageRoot(dir: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    return typeof parsed === "object" && parsed !== null && "name" in parsed && parsed.name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** Renders `spec` as SVG text. */
export async function renderSvg(spec: VegaLiteSpec): Promise<{ svg: string; width: number; height: number }> {
  const [vegaLite, vega] = await Promise.all([import("vega-lite"), import("vega")]);
  // Both libraries log warnings to the console by default; stdout carries the protocol.
  const logger = vega.logger(vega.None);
  const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0], { logger });
  const view = new vega.View(vega.parse(compiled.spec), { renderer: "none", logger });
  try {
    const svg = await view.toSVG();
    return { svg, ...svgSize(svg) };
  } finally {
    view.finalize();
  }
}

/** Rasterizes SVG text to PNG with the shipped font. */
export async function rasterizePng(svg: string): Promise<Uint8Array> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    font: {
      fontFiles: [chartFontPath()],
      loadSystemFonts: false,
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
    background: "white",
  });
  return resvg.render().asPng();
}

/** Renders `spec` in `format`. */
export async function renderChart(spec: VegaLiteSpec, format: "png" | "svg"): Promise<RenderedChart> {
  const { svg, width, height } = await renderSvg(spec);
  if (format === "svg") {
    return { bytes: Buffer.from(svg, "utf8"), mimeType: "image/svg+xml", width, height };
  }
  return { bytes: await rasterizePng(svg), mimeType: "image/png", width, height };
}

/** The size an SVG root element declares. */
function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1] ?? Number.NaN);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1] ?? Number.NaN);
  return { width: Math.round(width), height: Math.round(height) };
}
