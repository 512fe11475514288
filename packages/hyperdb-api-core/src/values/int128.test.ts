import { describe, expect, it } from "vitest";
import { ByteWriter } from "../buffers/byte-writer.ts";
import { readInt128LE, writeInt128LE } from "./int128.ts";

function encode(value: bigint): string {
  const out = new ByteWriter(4);
  writeInt128LE(out, value);
  return out.toBuffer().toString("hex");
}

describe("int128 LE", () => {
  it("matches two's complement bytes", () => {
    expect(encode(0n)).toBe("00".repeat(16));
    expect(encode(1n)).toBe(`01${"00".repeat(15)}`);
    expect(encode(-1n)).toBe("ff".repeat(16));
    expect(encode(-1234n)).toBe(`2efb${"ff".repeat(14)}`);
    expect(encode(2n ** 64n)).toBe(`${"00".repeat(8)}01${"00".repeat(7)}`);
    expect(encode(2n ** 127n - 1n)).toBe(`${"ff".repeat(15)}7f`);
    expect(encode(-(2n ** 127n))).toBe(`${"00".repeat(15)}80`);
  });

  it("round-trips at an offset", () => {
    const values = [
      0n,
      -1n,
      10n ** 38n - 1n,
      -(10n ** 38n - 1n),
      2n ** 63n,
      -(2n ** 63n) - 1n,
      2n ** 64n - 1n,
    ];
    for (const value of values) {
      const buf = Buffer.concat([Buffer.from([0xaa, 0xbb, 0xcc]), Buffer.from(encode(value), "hex")]);
      expect(readInt128LE(buf, 3)).toBe(value);
    }
  });
});
