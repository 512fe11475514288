import { describe, expect, it } from "vitest";
import { ProtocolError } from "../errors/index.ts";
import { formatDecimal, parseDecimal } from "./decimal.ts";
import { decodePgNumeric, encodePgNumeric } from "./pg-numeric.ts";

const MAX38 = "99999999999999999999999999999999999999";

function hex(text: string, scale: number): string {
  return encodePgNumeric(parseDecimal(text, scale), scale).toString("hex");
}

function roundTrip(text: string, scale: number): string {
  const buf = Buffer.concat([Buffer.from([1, 2]), encodePgNumeric(parseDecimal(text, scale), scale)]);
  const parts = decodePgNumeric(buf, 2, buf.length - 2);
  if (typeof parts === "string") throw new Error(parts);
  return formatDecimal(parts.unscaled, parts.scale);
}

describe("PostgreSQL binary NUMERIC", () => {
  it("encodes like PostgreSQL (ndigits, weight, sign, dscale, base-10000 digits)", () => {
    expect(hex("12.34", 2)).toBe("0002" + "0000" + "0000" + "0002" + "000c" + "0d48");
    expect(hex("-0.05", 2)).toBe("0001" + "ffff" + "4000" + "0002" + "01f4");
    expect(hex("0", 2)).toBe("0000" + "0000" + "0000" + "0002");
    expect(hex("10000", 0)).toBe("0001" + "0001" + "0000" + "0000" + "0001");
    expect(hex("1.5", 3)).toBe("0002" + "0000" + "0000" + "0003" + "0001" + "1388");
    expect(hex(`0.${"0".repeat(37)}1`, 38)).toBe("0001" + "fff6" + "0000" + "0026" + "0064");
    expect(hex(MAX38, 0)).toBe(["000a", "0009", "0000", "0000", "0063", "270f".repeat(9)].join(""));
  });

  it("round-trips edge values", () => {
    const cases: [string, number][] = [
      ["0.00", 2],
      ["12.34", 2],
      ["-0.05", 2],
      [MAX38, 0],
      [`-${MAX38}`, 0],
      [`0.${"0".repeat(37)}1`, 38],
      [`-0.${MAX38}`, 38],
      ["100000000", 0],
      ["123456789.123456789", 9],
      ["0.0001", 4],
      ["1.10000", 5],
    ];
    for (const [text, scale] of cases) expect(roundTrip(text, scale), text).toBe(text);
  });

  it("decodes special values", () => {
    expect(decodePgNumeric(Buffer.from("00000000c0000000", "hex"), 0, 8)).toBe("NaN");
    expect(decodePgNumeric(Buffer.from("00000000d0000000", "hex"), 0, 8)).toBe("Infinity");
    expect(decodePgNumeric(Buffer.from("00000000f0000000", "hex"), 0, 8)).toBe("-Infinity");
  });

  it("decodes digits given beyond the display scale", () => {
    // 1.5 with dscale 1 but a full base-10000 fraction digit (5000).
    const parts = decodePgNumeric(Buffer.from("0002000000000001" + "0001" + "1388", "hex"), 0, 12);
    expect(parts).toEqual({ unscaled: 15n, scale: 1 });
  });

  it("rejects malformed bytes", () => {
    expect(() => decodePgNumeric(Buffer.from("000100", "hex"), 0, 3)).toThrow(ProtocolError);
    expect(() => decodePgNumeric(Buffer.from("0002000000000000" + "0001", "hex"), 0, 10)).toThrow(
      ProtocolError,
    );
    expect(() => decodePgNumeric(Buffer.from("0001000012340000" + "0001", "hex"), 0, 10)).toThrow(
      ProtocolError,
    );
    expect(() => decodePgNumeric(Buffer.from("0001000000000000" + "2710", "hex"), 0, 10)).toThrow(
      ProtocolError,
    );
  });
});
