import { describe, expect, it } from "vitest";
import { FrontendWriter } from "../../src/protocol/frontend-writer.ts";

const hex = (b: Buffer) => b.toString("hex");

describe("FrontendWriter", () => {
  it("builds a StartupMessage with protocol 3.0 and key/value pairs", () => {
    const bytes = new FrontendWriter().startup({ user: "u" }).flush();
    // length 16: itself, 196608, "user\0u\0", terminator
    expect(hex(bytes)).toBe(`0000001000030000${hex(Buffer.from("user\0u\0\0"))}`);
  });

  it("builds a Query message", () => {
    expect(hex(new FrontendWriter().query("select 1").flush())).toBe(
      `510000000d${hex(Buffer.from("select 1\0"))}`,
    );
  });

  it("pipelines Parse/Bind/Describe/Execute/Sync into one buffer", () => {
    const bytes = new FrontendWriter()
      .parse("", "select $1", [23])
      .bind("", "", [{ format: 1, value: Buffer.from([0, 0, 0, 7]) }], [2])
      .describe("P", "")
      .execute("", 0)
      .sync()
      .flush();
    const expected = Buffer.concat([
      Buffer.from("50000000150073656c65637420243100000100000017", "hex"),
      // Bind: portal "", statement "", 1 format (1), 1 param len 4 value, 1 result format (2)
      Buffer.from("42000000180000000100010001000000040000000700010002", "hex"),
      Buffer.from("440000000650" + "00", "hex"),
      Buffer.from("45000000090000000000", "hex"),
      Buffer.from("5300000004", "hex"),
    ]);
    expect(hex(bytes)).toBe(hex(expected));
  });

  it("encodes NULL and text parameters in Bind", () => {
    const bytes = new FrontendWriter()
      .bind(
        "",
        "s",
        [
          { format: 0, value: null },
          { format: 0, value: "é" },
        ],
        [0],
      )
      .flush();
    expect(hex(bytes)).toBe(
      "42" +
        "0000001d" +
        "00" +
        "7300" +
        "0002" +
        "0000" +
        "0000" +
        "0002" +
        "ffffffff" +
        "00000002c3a9" +
        "0001" +
        "0000",
    );
  });

  it("builds a CancelRequest", () => {
    expect(hex(new FrontendWriter().cancelRequest(1, 2).flush())).toBe(
      "00000010" + "04d2162e" + "00000001" + "00000002",
    );
  });
});
