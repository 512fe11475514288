import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv-reader.ts";

describe("parseCsv", () => {
  it("splits fields, handles quotes, escaped quotes, embedded line breaks and CRLF", () => {
    expect(parseCsv('a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"multi\nline",\n').records).toEqual([
      ["a", "b", "c"],
      ["1", "x, y", 'say "hi"'],
      ["2", "multi\nline", ""],
    ]);
  });

  it("skips blank lines and a byte order mark, keeps a last line without newline", () => {
    expect(parseCsv("\uFEFFa\n\n1\n2").records).toEqual([["a"], ["1"], ["2"]]);
  });

  it("drops a cut last record of a prefix", () => {
    expect(parseCsv("a,b\n1,2\n3,4", false)).toEqual({
      records: [
        ["a", "b"],
        ["1", "2"],
      ],
      droppedPartial: true,
    });
    expect(parseCsv('a\n"open\n', false).records).toEqual([["a"]]);
    expect(parseCsv("a,b\n1,2\n", false)).toEqual({
      records: [
        ["a", "b"],
        ["1", "2"],
      ],
      droppedPartial: false,
    });
  });
});
