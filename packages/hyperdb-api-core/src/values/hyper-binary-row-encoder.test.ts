import { describe, expect, it } from "vitest";
import { ByteWriter } from "../buffers/byte-writer.ts";
import { InvalidArgumentError } from "../errors/index.ts";
import { type CopyColumn, HyperBinaryRowEncoder } from "./hyper-binary-row-encoder.ts";
import { numericTypmod, TypeOid } from "./oids.ts";

/** The table of the worked example: `id INT NOT NULL, name TEXT, amount NUMERIC(10,2)`. */
const columns: readonly CopyColumn[] = [
  { name: "id", type: { oid: TypeOid.int4, typmod: -1 }, nullable: false },
  { name: "name", type: { oid: TypeOid.text, typmod: -1 }, nullable: true },
  { name: "amount", type: { oid: TypeOid.numeric, typmod: numericTypmod(10, 2) }, nullable: true },
];

const HEADER_HEX = `485052435059${"00".repeat(13)}`;

function hex(out: ByteWriter): string {
  return out.toBuffer().toString("hex");
}

describe("HyperBinaryRowEncoder", () => {
  it("has the 19-byte HPRCPY header", () => {
    expect(HyperBinaryRowEncoder.HEADER.toString("hex")).toBe(HEADER_HEX);
    const out = new ByteWriter(4);
    new HyperBinaryRowEncoder(columns).writeHeader(out);
    expect(hex(out)).toBe(HEADER_HEX);
  });

  it("encodes the worked example byte for byte", () => {
    const encoder = new HyperBinaryRowEncoder(columns);
    const out = new ByteWriter(8);
    encoder.writeHeader(out);
    encoder.encodeRow([30, "thirty", "30.30"], out);
    encoder.encodeRow([31, null, undefined], out);
    const rowsHex = ["1e000000", "00", "06000000", "746869727479", "00", "d60b000000000000"].join("");
    expect(hex(out)).toBe(HEADER_HEX + rowsHex + ["1f000000", "01", "01"].join(""));
  });

  it("rejects rows with the wrong number of values", () => {
    const encoder = new HyperBinaryRowEncoder([...columns, { ...columns[1]!, name: "extra" }]);
    const out = new ByteWriter();
    expect(() => encoder.encodeRow([1, "a", "1.00"], out)).toThrow(
      new InvalidArgumentError("row has 3 values, the table has 4 columns"),
    );
    expect(out.length).toBe(0);
  });

  it("rejects NULL in a NOT NULL column and names it", () => {
    const encoder = new HyperBinaryRowEncoder(columns);
    const out = new ByteWriter();
    for (const value of [null, undefined]) {
      expect(() => encoder.encodeRow([value, "a", "1.00"], out)).toThrow(InvalidArgumentError);
      expect(() => encoder.encodeRow([value, "a", "1.00"], out)).toThrow(/column "id"/);
    }
    expect(out.length).toBe(0);
  });

  it("names the column of a value that does not fit and rolls the row back", () => {
    const encoder = new HyperBinaryRowEncoder(columns);
    const out = new ByteWriter(4);
    encoder.writeHeader(out);
    encoder.encodeRow([1, "one", "1.00"], out);
    const before = hex(out);
    let thrown: unknown;
    try {
      // The first two columns are written before the third fails.
      encoder.encodeRow([2, "two", "123456789.00"], out);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect((thrown as Error).message).toMatch(/^column "amount": .*NUMERIC\(10,2\)/);
    expect((thrown as Error).cause).toBeInstanceOf(InvalidArgumentError);
    expect(hex(out)).toBe(before);
    // The writer keeps working after the rollback.
    encoder.encodeRow([2, null, "-0.05"], out);
    expect(hex(out)).toBe(before + ["02000000", "01", "00", "fbffffffffffffff"].join(""));
  });

  it("rolls back a row whose first value is wrong", () => {
    const encoder = new HyperBinaryRowEncoder(columns);
    const out = new ByteWriter();
    expect(() => encoder.encodeRow(["1", "a", "1.00"], out)).toThrow(/^column "id": .*INTEGER/);
    expect(out.length).toBe(0);
  });

  it("uses 16-byte NUMERIC above precision 18", () => {
    const encoder = new HyperBinaryRowEncoder([
      { name: "n", type: { oid: TypeOid.numeric, typmod: numericTypmod(19, 0) }, nullable: false },
    ]);
    const out = new ByteWriter();
    encoder.encodeRow(["-1"], out);
    expect(hex(out)).toBe("ff".repeat(16));
  });

  it("rejects a column type without a COPY encoding when constructed", () => {
    expect(
      () =>
        new HyperBinaryRowEncoder([{ name: "weird", type: { oid: 999_999, typmod: -1 }, nullable: true }]),
    ).toThrow(/column "weird"/);
  });
});

describe("ByteWriter.truncate", () => {
  it("drops bytes after the given length and refuses to grow", () => {
    const out = new ByteWriter(2);
    out.uint8(1).uint8(2).uint8(3);
    out.truncate(1);
    expect(out.toBuffer()).toEqual(Buffer.from([1]));
    expect(() => out.truncate(2)).toThrow(RangeError);
    expect(() => out.truncate(-1)).toThrow(RangeError);
    out.uint8(9);
    expect(out.toBuffer()).toEqual(Buffer.from([1, 9]));
  });
});
