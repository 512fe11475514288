import type { ByteWriter } from "../buffers/byte-writer.ts";
import { InvalidArgumentError } from "../errors/index.ts";
import { type CopyValueEncoder, hyperBinaryCopyEncoder } from "./hyper-binary-copy-encoder.ts";
import type { HyperType } from "./oids.ts";

/** One column of a HyperBinary COPY stream, in table (or COPY column list) order. */
export interface CopyColumn {
  readonly name: string;
  readonly type: HyperType;
  /** Nullable columns carry a null indicator byte before each value; NOT NULL columns do not. */
  readonly nullable: boolean;
}

/** "HPRCPY" followed by 13 zero bytes. */
const HEADER_BYTES = [0x48, 0x50, 0x52, 0x43, 0x50, 0x59, ...new Array<number>(13).fill(0)];

/**
 * Encodes rows for `COPY … FROM STDIN WITH (FORMAT hyperbinary)`: the 19-byte header once per
 * stream, then rows back to back without a trailer. Per column, a nullable column gets a byte
 * (0 = value follows, 1 = NULL) and then the value; a NOT NULL column gets just the value.
 *
 * A row that cannot be encoded throws InvalidArgumentError and leaves the writer as it was
 * before the row, so a rejected row never produces partial output.
 */
export class HyperBinaryRowEncoder {
  /** The HyperBinary COPY stream header (`HPRCPY` + 13 zero bytes). */
  static readonly HEADER: Buffer = Buffer.from(HEADER_BYTES);

  /** The columns, in the order rows give their values. */
  readonly columns: readonly CopyColumn[];
  private readonly encoders: readonly CopyValueEncoder[];

  /** Precomputes one value encoder per column; throws InvalidArgumentError for an unsupported type. */
  constructor(columns: readonly CopyColumn[]) {
    this.columns = [...columns];
    this.encoders = this.columns.map((column) => {
      try {
        return hyperBinaryCopyEncoder(column.type);
      } catch (error) {
        throw columnError(column, error);
      }
    });
  }

  /** Writes the stream header; call once per COPY, before the first row. */
  writeHeader(out: ByteWriter): void {
    out.bytes(HyperBinaryRowEncoder.HEADER);
  }

  /**
   * Appends one row; `values[i]` belongs to `columns[i]`, and null or undefined means NULL.
   * On error the writer is rolled back to where the row started.
   */
  encodeRow(values: readonly unknown[], out: ByteWriter): void {
    const columns = this.columns;
    if (values.length !== columns.length) {
      throw new InvalidArgumentError(
        `row has ${values.length} values, the table has ${columns.length} columns`,
      );
    }
    const rowStart = out.length;
    for (let index = 0; index < columns.length; index++) {
      const column = columns[index]!;
      const value = values[index];
      if (value === null || value === undefined) {
        if (!column.nullable) {
          out.truncate(rowStart);
          throw new InvalidArgumentError(`column "${column.name}" is NOT NULL, got ${String(value)}`);
        }
        out.uint8(1);
        continue;
      }
      if (column.nullable) out.uint8(0);
      try {
        this.encoders[index]!(value, out);
      } catch (error) {
        out.truncate(rowStart);
        throw columnError(column, error);
      }
    }
  }
}

/** Prefixes an InvalidArgumentError with the column; other errors pass through unchanged. */
function columnError(column: CopyColumn, error: unknown): unknown {
  if (!(error instanceof InvalidArgumentError)) return error;
  return new InvalidArgumentError(`column "${column.name}": ${error.message}`, { cause: error });
}
