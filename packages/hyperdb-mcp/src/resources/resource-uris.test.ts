import { describe, expect, it } from "vitest";
import { parseResourceUri, queryUri, tableUri } from "./resource-uris.ts";

describe("parseResourceUri", () => {
  it("names the fixed resources", () => {
    expect(parseResourceUri("hyper://workspace")).toEqual({ kind: "workspace" });
    expect(parseResourceUri("hyper://tables")).toEqual({ kind: "tables" });
    expect(parseResourceUri("hyper://readme")).toEqual({ kind: "readme" });
    expect(parseResourceUri("hyper://schema/kv")).toEqual({ kind: "kv-schema" });
  });

  it("reads table and query names verbatim, also with spaces and slashes", () => {
    expect(parseResourceUri(tableUri("My Sales", "csv-sample"))).toEqual({
      kind: "table",
      table: "My Sales",
      view: "csv-sample",
    });
    expect(parseResourceUri("hyper://tables/a/b/schema")).toEqual({
      kind: "table",
      table: "a/b",
      view: "schema",
    });
    expect(parseResourceUri(queryUri("top-10", "result"))).toEqual({
      kind: "query",
      name: "top-10",
      view: "result",
    });
  });

  it("knows nothing else", () => {
    for (const uri of [
      "hyper://nope",
      "hyper://tables/",
      "hyper://tables//schema",
      "hyper://tables/t/rows",
      "hyper://queries/q",
      "file:///tmp/x",
      "hyper://workspace/",
    ]) {
      expect(parseResourceUri(uri), uri).toBeUndefined();
    }
  });
});
