import { describe, expect, it } from "vitest";
import { extractJsonPath, parseJsonExact, parseJsonRows, stringifyJson } from "./json-rows.ts";

describe("parseJsonRows", () => {
  it("reads an array, one object and JSON Lines", () => {
    expect(parseJsonRows('[{"a": 1}, {"a": 2}]')).toEqual({ rows: [{ a: 1n }, { a: 2n }], layout: "json" });
    expect(parseJsonRows('\uFEFF {\n "a": 1\n}')).toEqual({ rows: [{ a: 1n }], layout: "json" });
    expect(parseJsonRows('{"a": 1}\n\n{"a": 2.5}\r\n')).toEqual({
      rows: [{ a: 1n }, { a: 2.5 }],
      layout: "jsonl",
    });
  });

  it("names the bad line of JSON Lines", () => {
    expect(() => parseJsonRows('{"a": 1}\n\n{"a": \n')).toThrow(
      expect.objectContaining({
        code: "SCHEMA_MISMATCH",
        message: expect.stringMatching(/^Invalid JSON on line 3: /),
      }),
    );
    expect(() => parseJsonRows('{"a": 1}\n[1]\n')).toThrow(
      expect.objectContaining({ message: "Invalid JSON on line 2: expected an object, got a array" }),
    );
  });

  it("rejects empty data and non-object rows", () => {
    expect(() => parseJsonRows("  \n")).toThrow(expect.objectContaining({ code: "EMPTY_DATA" }));
    expect(() => parseJsonRows("[]")).toThrow(expect.objectContaining({ code: "EMPTY_DATA" }));
    expect(() => parseJsonRows("[1, 2]")).toThrow(expect.objectContaining({ code: "SCHEMA_MISMATCH" }));
    expect(() => parseJsonRows("[1, 2")).toThrow(expect.objectContaining({ code: "SCHEMA_MISMATCH" }));
  });

  it("writes parsed values back as compact JSON with exact integers", () => {
    expect(stringifyJson(parseJsonExact('{"a": [1, 9007199254740993], "b": {"c": 1.5}}'))).toBe(
      '{"a":[1,9007199254740993],"b":{"c":1.5}}',
    );
  });
});

describe("json_extract_path", () => {
  const document = parseJsonExact(
    JSON.stringify({
      data: { items: [{ id: 1 }, { id: 2 }] },
      pages: [{ rows: [{ id: 3 }] }],
      wrapped: JSON.stringify({ inner: [{ id: 4 }] }),
      terminal: JSON.stringify([{ id: 5 }]),
      word: "hello",
    }),
  );

  it("walks object keys, array indexes, multi-level paths and JSON held in strings", () => {
    expect(extractJsonPath(document, "data.items")).toEqual([{ id: 1n }, { id: 2n }]);
    expect(extractJsonPath(document, "pages.0.rows")).toEqual([{ id: 3n }]);
    expect(extractJsonPath(document, "wrapped.inner")).toEqual([{ id: 4n }]);
    expect(extractJsonPath(document, "terminal")).toEqual([{ id: 5n }]);
  });

  it.each([
    ["data.missing", /key 'missing' not found/],
    ["pages.3", /index 3 is out of bounds/],
    ["pages.x", /not an array index/],
    ["word", /does not hold JSON/],
    ["data.items.0.id.deeper", /cannot step into a number/],
  ])("rejects %s", (path, message) => {
    expect(() => extractJsonPath(document, path)).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringMatching(message) }),
    );
  });

  it("feeds the rows at the path to ingest", () => {
    expect(parseJsonRows('{"result": {"rows": [{"a": 1}]}}', "result.rows").rows).toEqual([{ a: 1n }]);
    expect(() => parseJsonRows('{"result": {"n": 1}}', "result.n")).toThrow(
      expect.objectContaining({ code: "SCHEMA_MISMATCH" }),
    );
  });
});
