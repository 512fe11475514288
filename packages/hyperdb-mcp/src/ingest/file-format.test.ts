import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectFileFormat, formatByExtension, sniffFormat } from "./file-format.ts";

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "hyperdb-mcp-format-"));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("format detection", () => {
  it.each([
    ["x.parquet", "parquet"],
    ["x.PQ", "parquet"],
    ["x.arrow", "arrow_ipc"],
    ["x.ipc", "arrow_ipc"],
    ["x.feather", "arrow_ipc"],
    ["x.json", "json"],
    ["x.jsonl", "json"],
    ["x.ndjson", "json"],
  ])("knows %s by its extension", (name, format) => {
    expect(formatByExtension(`/data/${name}`)).toBe(format);
  });

  it("sniffs the first non-whitespace byte, skipping a BOM", () => {
    const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
    expect(sniffFormat(bytes("  \n[1]"))).toBe("json");
    expect(sniffFormat(bytes('\uFEFF{"a":1}'))).toBe("json");
    expect(sniffFormat(bytes("a,b\n"))).toBe("csv");
    expect(sniffFormat(bytes("   "))).toBe("csv");
  });

  it("uses the extension first, then the content, and falls back to CSV", async () => {
    const log = join(directory, "app.log");
    await writeFile(log, '\n{"level": "info"}\n');
    expect(await detectFileFormat(log)).toBe("json");
    const json = join(directory, "looks.json");
    await writeFile(json, "a,b\n");
    expect(await detectFileFormat(json)).toBe("json");
    const txt = join(directory, "plain.txt");
    await writeFile(txt, "a,b\n1,2\n");
    expect(await detectFileFormat(txt)).toBe("csv");
    expect(await detectFileFormat(join(directory, "missing.dat"))).toBe("csv");
  });
});
