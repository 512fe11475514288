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
  private readonly encode: RowEncoder;

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
    this.encode = compileRowEncoder(this.columns, this.encoders);
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
    this.encode(values, out);
  }
}

/** Prefixes an InvalidArgumentError with the column; other errors pass through unchanged. */
type RowEncoder = (values: readonly unknown[], out: ByteWriter) => void;

/** Above this many columns the generic loop is used instead of generated code. */
const MAX_GENERATED_COLUMNS = 64;

/**
 * Builds the row encoder for one column list. For up to 64 columns it generates a function
 * with one call site per column (so each value encoder can be inlined, as in the row
 * decoder); the generated code only contains indexes and each column's nullability.
 */
function compileRowEncoder(
  columns: readonly CopyColumn[],
  encoders: readonly CopyValueEncoder[],
): RowEncoder {
  const count = columns.length;
  const countError = (length: number) =>
    new InvalidArgumentError(`row has ${length} values, the table has ${count} columns`);
  const nullError = (index: number, value: unknown) =>
    new InvalidArgumentError(`column "${columns[index]?.name}" is NOT NULL, got ${String(value)}`);
  const fail = (out: ByteWriter, rowStart: number, index: number, error: unknown): never => {
    out.truncate(rowStart);
    throw error instanceof NotNullViolation ? error.error : columnError(columns[index] as CopyColumn, error);
  };
  if (count > MAX_GENERATED_COLUMNS) {
    return (values, out) => {
      if (values.length !== count) throw countError(values.length);
      const rowStart = out.length;
      for (let index = 0; index < count; index++) {
        const value = values[index];
        try {
          if (value === null || value === undefined) {
            if (!(columns[index] as CopyColumn).nullable) throw new NotNullViolation(nullError(index, value));
            out.uint8(1);
          } else {
            if ((columns[index] as CopyColumn).nullable) out.uint8(0);
            (encoders[index] as CopyValueEncoder)(value, out);
          }
        } catch (error) {
          fail(out, rowStart, index, error);
        }
      }
    };
  }
  const lines = [
    "return function encodeRow(values, out) {",
    `  if (values.length !== ${count}) throw countError(values.length);`,
    "  const rowStart = out.length;",
    "  let index = 0;",
    "  let value;",
    "  try {",
  ];
  columns.forEach((column, i) => {
    lines.push(`    index = ${i};`, `    value = values[${i}];`);
    if (column.nullable) {
      lines.push(
        "    if (value === null || value === undefined) out.uint8(1);",
        `    else { out.uint8(0); encode${i}(value, out); }`,
      );
    } else {
      lines.push(
        `    if (value === null || value === undefined) throw new NotNullViolation(nullError(${i}, value));`,
        `    encode${i}(value, out);`,
      );
    }
  });
  lines.push("  } catch (error) {", "    fail(out, rowStart, index, error);", "  }", "};");
  const parameters = [
    "countError",
    "nullError",
    "fail",
    "NotNullViolation",
    ...encoders.map((_, i) => `encode${i}`),
  ];
  const factory = new Function(...parameters, lines.join("\n")) as (
    countErrorOf: typeof countError,
    nullErrorOf: typeof nullError,
    failWith: typeof fail,
    violation: typeof NotNullViolation,
    ...valueEncoders: CopyValueEncoder[]
  ) => RowEncoder;
  return factory(countError, nullError, fail, NotNullViolation, ...encoders);
}

/** Carries a NOT NULL error through the row's catch without another column prefix. */
class NotNullViolation {
  readonly error: InvalidArgumentError;

  constructor(error: InvalidArgumentError) {
    this.error = error;
  }
}

function columnError(column: CopyColumn, error: unknown): unknown {
  if (!(error instanceof InvalidArgumentError)) return error;
  return new InvalidArgumentError(`column "${column.name}": ${error.message}`, { cause: error });
}
