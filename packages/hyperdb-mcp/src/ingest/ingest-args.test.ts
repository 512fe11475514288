import { describe, expect, it } from "vitest";
import { camelCaseCode } from "../tools/ingest-support.ts";
import { clampInspectRows } from "../tools/inspect-file.ts";
import { mergeKeys } from "../tools/load-file.ts";
import { clampConcurrency } from "../tools/load-files.ts";
import { fileStem } from "../tools/query-file.ts";
import { compatibleTypes, parseMode } from "./ingest.ts";
import { inlineFormat } from "./ingest-source.ts";

describe("ingest arguments", () => {
  it("reads modes: append and merge as named, anything else replace", () => {
    expect(parseMode("APPEND")).toBe("append");
    expect(parseMode("merge")).toBe("merge");
    expect(parseMode("upsert")).toBe("replace");
    expect(parseMode(undefined)).toBe("replace");
  });

  it("checks merge_key against the mode", () => {
    expect(mergeKeys("merge", "id")).toEqual(["id"]);
    expect(mergeKeys("merge", ["a", "b"])).toEqual(["a", "b"]);
    expect(mergeKeys("replace", undefined)).toEqual([]);
    expect(() => mergeKeys("merge", undefined)).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
    expect(() => mergeKeys("merge", "")).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => mergeKeys("merge", [])).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => mergeKeys("append", "id")).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("compares merge types alias-aware and allows safe widening only", () => {
    expect(compatibleTypes("INTEGER", "INTEGER")).toBe(true);
    expect(compatibleTypes("INTEGER", "BIGINT")).toBe(true);
    expect(compatibleTypes("BIGINT", "INTEGER")).toBe(false);
    expect(compatibleTypes("INTEGER", "DOUBLE PRECISION")).toBe(true);
    expect(compatibleTypes("TEXT", "VARCHAR(10)")).toBe(true);
    expect(compatibleTypes("TEXT", "INTEGER")).toBe(false);
  });

  it("clamps concurrency and inspect rows", () => {
    expect(clampConcurrency(undefined, 3)).toBe(3);
    expect(clampConcurrency(undefined, 20)).toBe(8);
    expect(clampConcurrency(40, 2)).toBe(16);
    expect(clampConcurrency(0, 2)).toBe(1);
    expect(clampInspectRows(undefined)).toBe(5);
    expect(clampInspectRows(500)).toBe(50);
    expect(clampInspectRows(0)).toBe(1);
  });

  it("spells load_files codes in CamelCase", () => {
    expect(camelCaseCode("SCHEMA_MISMATCH")).toBe("SchemaMismatch");
    expect(camelCaseCode("FILE_NOT_FOUND")).toBe("FileNotFound");
    expect(camelCaseCode("SQL_ERROR")).toBe("SqlError");
  });

  it("sniffs inline formats and names query_file tables after the file stem", () => {
    expect(inlineFormat(' [{"a":1}]', undefined)).toBe("json");
    expect(inlineFormat('{"a":1}', null)).toBe("json");
    expect(inlineFormat("a,b", undefined)).toBe("csv");
    expect(inlineFormat("[x", "CSV")).toBe("csv");
    expect(fileStem("/data/sales.2024.csv")).toBe("sales.2024");
    expect(fileStem("/data/noext")).toBe("noext");
  });
});
