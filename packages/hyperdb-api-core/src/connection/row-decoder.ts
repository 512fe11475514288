import { viewOf } from "../values/bytes.ts";
import type { FieldDecoder } from "../values/index.ts";

/** Decodes the fields of one DataRow, starting at the first field's length word. */
export type RowDecoder = (buffer: Buffer, offset: number) => unknown[];

/** Above this many columns the generic loop is used instead of generated code. */
const MAX_GENERATED_COLUMNS = 64;

/**
 * Builds the decoder for rows of one result shape. For up to 64 columns it generates a
 * function with one call site per column, so each column's decoder call stays monomorphic
 * and can be inlined (a loop over `decoders[i]` sees every decoder at one call site and is
 * several times slower on wide scans). The generated code only contains indexes; the
 * decoders are passed in as arguments.
 */
export function createRowDecoder(decoders: readonly FieldDecoder[]): RowDecoder {
  const count = decoders.length;
  if (count > MAX_GENERATED_COLUMNS) return genericRowDecoder(decoders);
  const parameters = ["viewOf", ...decoders.map((_, i) => `decode${i}`)];
  const lines = [
    "return function decodeRow(buffer, offset) {",
    "  const view = viewOf(buffer);",
    "  let length;",
  ];
  for (let i = 0; i < count; i++) {
    lines.push(
      "  length = view.getInt32(offset);",
      "  offset += 4;",
      `  let value${i} = null;`,
      `  if (length >= 0) { value${i} = decode${i}(buffer, offset, length); offset += length; }`,
    );
  }
  lines.push(`  return [${decoders.map((_, i) => `value${i}`).join(", ")}];`, "};");
  const factory = new Function(...parameters, lines.join("\n")) as (
    view: typeof viewOf,
    ...decoders: FieldDecoder[]
  ) => RowDecoder;
  return factory(viewOf, ...decoders);
}

function genericRowDecoder(decoders: readonly FieldDecoder[]): RowDecoder {
  const count = decoders.length;
  return (buffer, offset) => {
    const row: unknown[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const length = buffer.readInt32BE(offset);
      offset += 4;
      if (length < 0) {
        row[i] = null;
      } else {
        row[i] = (decoders[i] as FieldDecoder)(buffer, offset, length);
        offset += length;
      }
    }
    return row;
  };
}
