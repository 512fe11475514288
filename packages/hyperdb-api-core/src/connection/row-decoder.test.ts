import { describe, expect, it } from "vitest";
import type { FieldDecoder } from "../values/index.ts";
import { createRowDecoder } from "./row-decoder.ts";

function dataRowFields(fields: readonly (Buffer | null)[]): Buffer {
  return Buffer.concat(
    fields.map((field) => {
      const length = Buffer.alloc(4);
      length.writeInt32BE(field === null ? -1 : field.length);
      return field === null ? length : Buffer.concat([length, field]);
    }),
  );
}

const int32: FieldDecoder = (buf, start) => buf.readInt32LE(start);
const text: FieldDecoder = (buf, start, length) => buf.toString("utf8", start, start + length);

describe("createRowDecoder", () => {
  it("decodes values and NULLs in column order", () => {
    const decode = createRowDecoder([int32, text, int32, text]);
    const int = Buffer.alloc(4);
    int.writeInt32LE(-7);
    const bytes = Buffer.concat([
      Buffer.from("xx"),
      dataRowFields([int, Buffer.from("héllo"), null, Buffer.alloc(0)]),
    ]);
    expect(decode(bytes, 2)).toEqual([-7, "héllo", null, ""]);
  });

  it("handles rows without columns and rows wider than the generated limit", () => {
    expect(createRowDecoder([])(Buffer.alloc(0), 0)).toEqual([]);
    const wide = Array.from({ length: 100 }, () => text);
    const fields = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? null : Buffer.from(String(i))));
    const row = createRowDecoder(wide)(dataRowFields(fields), 0);
    expect(row).toHaveLength(100);
    expect(row[0]).toBeNull();
    expect(row[99]).toBeNull();
    expect(row[98]).toBe("98");
  });
});
