import { describe, expect, it } from "vitest";
import { copyBytes, decodeUtf8, formatByteaHex, parseByteaText } from "./bytes.ts";

function parse(text: string): Uint8Array | undefined {
  const buf = Buffer.from(`##${text}##`, "latin1");
  return parseByteaText(buf, 2, buf.length - 4);
}

describe("bytes helpers", () => {
  it("decodes UTF-8 ranges", () => {
    const buf = Buffer.from("xxhéllo ✓ 🎉yy");
    expect(decodeUtf8(buf, 2, buf.length - 2)).toBe("héllo ✓ 🎉");
    expect(decodeUtf8(buf, 2, 2)).toBe("");
  });

  it("copies bytes out of a reused buffer", () => {
    const buf = Buffer.from([1, 2, 3, 4, 5]);
    const copy = copyBytes(buf, 1, 3);
    buf.fill(0);
    expect(copy).toEqual(new Uint8Array([2, 3, 4]));
    expect(Buffer.isBuffer(copy)).toBe(false);
  });

  it("formats and parses hex bytea", () => {
    expect(formatByteaHex(new Uint8Array([1, 2, 0xff]))).toBe("\\x0102ff");
    expect(formatByteaHex(new Uint8Array(0))).toBe("\\x");
    const view = new Uint8Array([9, 1, 2, 9]).subarray(1, 3);
    expect(formatByteaHex(view)).toBe("\\x0102");
    expect(parse("\\x0102ff")).toEqual(new Uint8Array([1, 2, 0xff]));
    expect(parse("\\xABcd")).toEqual(new Uint8Array([0xab, 0xcd]));
    expect(parse("\\x")).toEqual(new Uint8Array(0));
    expect(parse("\\x012")).toBeUndefined();
    expect(parse("\\x0g")).toBeUndefined();
  });

  it("parses the escape form", () => {
    expect(parse("ab\\\\c\\001\\377")).toEqual(new Uint8Array([0x61, 0x62, 0x5c, 0x63, 1, 0xff]));
    expect(parse("")).toEqual(new Uint8Array(0));
    expect(parse("\\9")).toBeUndefined();
    expect(parse("\\00")).toBeUndefined();
  });
});
