import { describe, expect, it } from "vitest";
import { toCsv } from "./csv-sample.ts";

describe("toCsv", () => {
  it("writes a header and one line per row", () => {
    expect(
      toCsv(
        ["id", "name"],
        [
          { id: 1, name: "ada" },
          { id: 2, name: "bob" },
        ],
      ),
    ).toBe("id,name\r\n1,ada\r\n2,bob\r\n");
  });

  it("writes null as an empty cell and objects and arrays as compact JSON", () => {
    expect(toCsv(["a", "b", "c", "d"], [{ a: null, b: { x: 1 }, c: [1, "two"], d: true }])).toBe(
      'a,b,c,d\r\n,"{""x"":1}","[1,""two""]",true\r\n',
    );
  });

  it("quotes commas, quotes, line breaks and surrounding spaces", () => {
    expect(toCsv(["v"], [{ v: "a,b" }, { v: 'say "hi"' }, { v: "line\nbreak" }, { v: " padded" }])).toBe(
      'v\r\n"a,b"\r\n"say ""hi"""\r\n"line\nbreak"\r\n" padded"\r\n',
    );
  });

  it("quotes header names that need it and leaves a missing column empty", () => {
    expect(toCsv(["x,y", "z"], [{ "x,y": 1 }])).toBe('"x,y",z\r\n1,\r\n');
  });

  it("is just the header for no rows", () => {
    expect(toCsv(["a"], [])).toBe("a\r\n");
  });
});
