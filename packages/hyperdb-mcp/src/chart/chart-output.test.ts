import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  autoChartPath,
  checkOverwrite,
  resolveDelivery,
  resolveFormat,
  writeChartFile,
} from "./chart-output.ts";

describe("resolveFormat", () => {
  it("defaults to png and accepts either spelling source", () => {
    expect(resolveFormat(undefined, undefined)).toEqual({ ok: true, format: "png" });
    expect(resolveFormat("SVG", undefined)).toEqual({ ok: true, format: "svg" });
    expect(resolveFormat(null, "/tmp/a.SVG")).toEqual({ ok: true, format: "svg" });
    expect(resolveFormat("png", "/tmp/a.png")).toEqual({ ok: true, format: "png" });
  });

  it("refuses unknown formats, other extensions and disagreement", () => {
    expect(resolveFormat("jpeg", undefined)).toMatchObject({ ok: false, code: "UNSUPPORTED_FORMAT" });
    expect(resolveFormat(undefined, "/tmp/a.jpg")).toMatchObject({ ok: false, code: "INVALID_ARGUMENT" });
    expect(resolveFormat(undefined, "/tmp/chart")).toMatchObject({ ok: false, code: "INVALID_ARGUMENT" });
    expect(resolveFormat("svg", "/tmp/a.png")).toMatchObject({ ok: false, code: "INVALID_ARGUMENT" });
  });
});

describe("resolveDelivery", () => {
  it("is inline only by default", () => {
    expect(resolveDelivery({})).toEqual({
      ok: true,
      format: "png",
      inline: true,
      path: undefined,
      overwrite: true,
    });
  });

  it("writes to the given path and keeps inline unless told otherwise", () => {
    expect(resolveDelivery({ output_path: "/tmp/x/c.svg", overwrite: false })).toEqual({
      ok: true,
      format: "svg",
      inline: true,
      path: "/tmp/x/c.svg",
      overwrite: false,
    });
  });

  it("picks unique automatic paths when not inline", () => {
    const first = resolveDelivery({ inline: false, format: "svg" });
    const second = resolveDelivery({ inline: false });
    expect(first).toMatchObject({ ok: true, inline: false });
    const firstPath = first.ok ? first.path : undefined;
    const secondPath = second.ok ? second.path : undefined;
    expect(firstPath).toMatch(new RegExp(`hyperdb-charts[\\\\/]chart-\\d+-${process.pid}-\\d+\\.svg$`));
    expect(secondPath).toMatch(/\.png$/);
    expect(firstPath).not.toBe(secondPath);
    expect(autoChartPath("png")).not.toBe(autoChartPath("png"));
  });

  it("refuses relative paths and '..'", () => {
    expect(resolveDelivery({ output_path: "charts/a.png" })).toMatchObject({
      ok: false,
      code: "INVALID_ARGUMENT",
      message: "Output path 'charts/a.png' must be absolute",
    });
    expect(resolveDelivery({ output_path: "/tmp/a/../b.png" })).toMatchObject({
      ok: false,
      code: "INVALID_ARGUMENT",
    });
    expect(resolveDelivery({ output_path: "/tmp/a..b.png" })).toMatchObject({ ok: true });
  });
});

describe("writing", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "chart-output-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates parent folders and respects overwrite", async () => {
    const path = join(dir, "nested", "deeper", "c.png");
    expect(await writeChartFile(path, new Uint8Array([1, 2]), false)).toBeUndefined();
    expect([...(await readFile(path))]).toEqual([1, 2]);
    expect(await writeChartFile(path, new Uint8Array([3]), false)).toMatchObject({
      code: "PERMISSION_DENIED",
    });
    expect(await writeChartFile(path, new Uint8Array([3]), true)).toBeUndefined();
    expect([...(await readFile(path))]).toEqual([3]);
  });

  it("refuses an existing file up front without overwrite", async () => {
    const path = join(dir, "exists.svg");
    await writeFile(path, "x");
    const keep = resolveDelivery({ output_path: path, overwrite: false });
    const replace = resolveDelivery({ output_path: path });
    if (!keep.ok || !replace.ok) {
      throw new Error("delivery refused");
    }
    expect(checkOverwrite(keep)).toMatchObject({ code: "PERMISSION_DENIED" });
    expect(checkOverwrite(replace)).toBeUndefined();
  });
});
