/**
 * CSV schema inference, a heuristic in two passes over the parsed text:
 *
 * 1. The header row names the columns (order kept; an empty name becomes `column_<n>`, a
 *    repeated one gets `_<n>` appended). The first {@link CSV_SAMPLE_ROWS} records decide each
 *    column's type: null tokens (empty, `null`, `NA`) are skipped; `true`/`false` is BOOLEAN;
 *    integers are INTEGER or BIGINT by width; other numbers DOUBLE PRECISION; `YYYY-MM-DD` DATE;
 *    `YYYY-MM-DD[T ]hh:mm:ss[.f]` TIMESTAMP (a mix of both TIMESTAMP); numbers of different
 *    widths take the widest; any other mix, or only nulls, is TEXT.
 * 2. A widening pass over every scanned record (at most {@link CSV_SCAN_BYTES} of the file)
 *    revisits INTEGER and BIGINT columns only: a value with a point or exponent makes the column
 *    DOUBLE PRECISION, an integer outside 64 bits NUMERIC(38,0), outside 32 bits BIGINT. A value
 *    that is no number at all makes the column TEXT (the upstream Rust hyperdb-mcp picks
 *    NUMERIC(38,0) there, which then fails the load).
 *
 * Every CSV column is nullable. Non-TEXT columns that hold `null`/`NA` tokens are reported, so
 * the loader can map those tokens to NULL (hyperd's COPY knows only one null string).
 *
 * With `sampleOnly`, the second pass covers the sample alone. A load takes that quick route
 * first and hyperd's COPY checks every value anyway: only when a value does not fit does the load
 * run the full pass and try again (see `ingest`).
 *
 * @module
 */
import { open } from "node:fs/promises";
import {
  BIGINT,
  BOOLEAN,
  type ColumnSpec,
  DATE,
  DOUBLE,
  INTEGER,
  NUMERIC_38_0,
  TEXT,
  TIMESTAMP,
} from "./column-types.ts";
import { CsvCursor } from "./csv-reader.ts";
import { emptyData } from "./ingest-error.ts";
import {
  integerTextWidth,
  isBooleanText,
  isDateText,
  isFloatText,
  isIntegerText,
  isNullToken,
  isTimestampText,
} from "./text-patterns.ts";

/** Records whose values decide the initial types. */
export const CSV_SAMPLE_ROWS = 1000;

/** Most bytes of a file the inference reads (64 MiB). */
export const CSV_SCAN_BYTES = 64 * 1024 * 1024;

/** Bytes read for a sample-only inference (more when the sample's records do not fit). */
export const CSV_SAMPLE_PREFIX_BYTES = 1024 * 1024;

/** What inference found out about a CSV text. */
export interface CsvInference {
  /** The columns, all nullable. */
  readonly columns: ColumnSpec[];
  /** Data records scanned (the whole file when {@link complete}). */
  readonly rowCount: number;
  /** Whether the whole text was scanned. */
  readonly complete: boolean;
  /** Names of non-TEXT columns in which `null` / `NA` tokens occur. */
  readonly tokenNullColumns: string[];
  /** The scanned data records (header excluded); empty unless asked for. */
  readonly records: string[][];
}

type Kind = "bool" | "i32" | "i64" | "double" | "date" | "timestamp" | "text";

function classify(value: string): Kind {
  if (isIntegerText(value)) {
    const width = integerTextWidth(value);
    return width === "i32" ? "i32" : width === "i64" ? "i64" : "double";
  }
  if (isFloatText(value)) return "double";
  if (isBooleanText(value)) return "bool";
  if (isDateText(value)) return "date";
  if (isTimestampText(value)) return "timestamp";
  return "text";
}

function resolveKinds(kinds: ReadonlySet<Kind>): string {
  if (kinds.size === 0) return TEXT;
  const has = (kind: Kind): boolean => kinds.has(kind);
  if ([...kinds].every((kind) => kind === "i32" || kind === "i64" || kind === "double")) {
    return has("double") ? DOUBLE : has("i64") ? BIGINT : INTEGER;
  }
  if (kinds.size === 1 && has("bool")) return BOOLEAN;
  if ([...kinds].every((kind) => kind === "date" || kind === "timestamp")) {
    return has("timestamp") ? TIMESTAMP : DATE;
  }
  return TEXT;
}

/** Column names from a header record: empty names numbered, repeated names suffixed. */
export function headerNames(header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((raw, index) => {
    let name = raw.trim() === "" ? `column_${index + 1}` : raw;
    if (seen.has(name)) {
      let suffix = 2;
      while (seen.has(`${name}_${suffix}`)) suffix += 1;
      name = `${name}_${suffix}`;
    }
    seen.add(name);
    return name;
  });
}

/** Follows one column through the scanned records: widening of integer columns, null tokens. */
class ColumnScan {
  private big: boolean;
  private wide = false;
  private double = false;
  private text = false;
  /** Whether a `null` / `NA` token occurred. */
  tokenNull = false;

  /** The type the sample decided. */
  readonly type: string;
  /** Whether the column is an integer column that may still widen. */
  readonly widens: boolean;

  constructor(type: string, widens: boolean) {
    this.type = type;
    this.widens = widens;
    this.big = type === BIGINT;
  }

  add(value: string): void {
    if (value.length === 0) return;
    if (isNullToken(value)) {
      this.tokenNull = true;
      return;
    }
    if (!this.widens || this.text) return;
    if (isIntegerText(value)) {
      const width = integerTextWidth(value);
      if (width === "wide") {
        // NUMERIC(38,0) holds 38 digits; longer integers only fit a double.
        if (value.replace(/^[+-]?0*/, "").length > 38) this.double = true;
        else this.wide = true;
      } else if (width === "i64") this.big = true;
    } else if (isFloatText(value)) {
      this.double = true;
    } else {
      this.text = true;
    }
  }

  /**
   * {@link add} for the value `text.slice(start, end)`, without making that string for the
   * common cases: empty values, short integers, plain decimals and values of columns that only
   * need null tokens spotted. The widening pass reads millions of values this way.
   */
  addRange(text: string, start: number, end: number): void {
    const length = end - start;
    if (length === 0) return;
    if (length <= 4 && isNullTokenAt(text, start, length)) {
      this.tokenNull = true;
      return;
    }
    if (!this.widens || this.text) return;
    let position = start;
    const first = text.charCodeAt(position);
    if (first === PLUS || first === MINUS) position += 1;
    const digitsStart = position;
    while (position < end && isDigit(text.charCodeAt(position))) position += 1;
    const digits = position - digitsStart;
    if (position === end && digits > 0 && digits <= 9) return; // an INTEGER value changes nothing
    if (this.double && position < end && text.charCodeAt(position) === POINT && digits > 0) {
      position += 1;
      while (position < end && isDigit(text.charCodeAt(position))) position += 1;
      if (position === end) return; // a plain decimal in a column that is DOUBLE already
    }
    this.add(text.slice(start, end));
  }

  result(): string {
    if (!this.widens) return this.type;
    if (this.text) return TEXT;
    return this.double ? DOUBLE : this.wide ? NUMERIC_38_0 : this.big ? BIGINT : INTEGER;
  }
}

const PLUS = 43;
const MINUS = 45;
const POINT = 46;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** {@link isNullToken} for a value of 1 to 4 characters at `start` in `text`, without slicing it. */
function isNullTokenAt(text: string, start: number, length: number): boolean {
  // ASCII letters compare case-insensitively with | 0x20.
  if (length === 2) {
    return (text.charCodeAt(start) | 0x20) === 0x6e && (text.charCodeAt(start + 1) | 0x20) === 0x61;
  }
  return (
    length === 4 &&
    (text.charCodeAt(start) | 0x20) === 0x6e &&
    (text.charCodeAt(start + 1) | 0x20) === 0x75 &&
    (text.charCodeAt(start + 2) | 0x20) === 0x6c &&
    (text.charCodeAt(start + 3) | 0x20) === 0x6c
  );
}

/** Options of {@link inferCsv}. */
export interface InferCsvOptions {
  /** Keep every scanned record in the result (for profiling); default false. */
  readonly keepRecords?: boolean;
  /**
   * Decide the types from the first {@link CSV_SAMPLE_ROWS} records alone, without the widening
   * pass over the rest; `complete` is then false when records follow the sample. Default false.
   */
  readonly sampleOnly?: boolean;
}

/**
 * Infers the columns of CSV text (header first). `complete: false` means the text is only the
 * first part of a file (see {@link readCsvPrefix}).
 * @throws IngestError EMPTY_DATA when there is no header or no column.
 */
export function inferCsv(text: string, complete = true, options: InferCsvOptions = {}): CsvInference {
  const cursor = new CsvCursor(text, complete);
  const header: string[] = [];
  if (!cursor.next(header) || (header.length === 1 && header[0]?.trim() === "")) {
    throw emptyData("The CSV data is empty: no header row");
  }
  const names = headerNames(header);
  const kinds = names.map(() => new Set<Kind>());
  const sample: string[][] = [];
  while (sample.length < CSV_SAMPLE_ROWS) {
    const record: string[] = [];
    if (!cursor.next(record)) break;
    sample.push(record);
    for (let column = 0; column < names.length; column += 1) {
      const value = record[column];
      if (value !== undefined && !isNullToken(value)) {
        (kinds[column] as Set<Kind>).add(classify(value));
      }
    }
  }
  const scans = names.map((_, index) => {
    const type = resolveKinds(kinds[index] as Set<Kind>);
    return new ColumnScan(type, type === INTEGER || type === BIGINT);
  });
  const wanted = scans.map((scan) => scan.type !== TEXT);
  const visit = (record: readonly string[]): void => {
    for (let column = 0; column < scans.length; column += 1) {
      if (wanted[column] === true) {
        const value = record[column];
        if (value !== undefined) (scans[column] as ColumnScan).add(value);
      }
    }
  };
  sample.forEach(visit);
  const records = options.keepRecords === true ? sample : [];
  let rowCount = sample.length;
  let scannedAll = complete;
  if (options.sampleOnly === true) {
    scannedAll = complete && !cursor.nextFields(names.map(() => false));
  } else if (options.keepRecords === true) {
    let record: string[] = [];
    while (cursor.next(record)) {
      rowCount += 1;
      visit(record);
      records.push(record);
      record = [];
    }
  } else if (wanted.some(Boolean)) {
    const columns = wanted.flatMap((want, index) => (want ? [index] : []));
    const { starts, ends, quoted } = cursor;
    while (cursor.nextFields(wanted)) {
      rowCount += 1;
      for (const column of columns) {
        if (column >= cursor.fieldCount) continue;
        const scan = scans[column] as ColumnScan;
        const value = quoted[column];
        if (value === undefined) scan.addRange(text, starts[column] as number, ends[column] as number);
        else scan.add(value);
      }
    }
  } else {
    const skip = names.map(() => false);
    while (cursor.nextFields(skip)) rowCount += 1;
  }
  const columns: ColumnSpec[] = names.map((name, index) => ({
    name,
    type: (scans[index] as ColumnScan).result(),
    nullable: true,
  }));
  const tokenNullColumns = columns
    .filter((column, index) => column.type !== TEXT && (scans[index] as ColumnScan).tokenNull)
    .map((column) => column.name);
  return { columns, rowCount, complete: scannedAll, tokenNullColumns, records };
}

/** The first {@link CSV_SCAN_BYTES} of a file as text, and whether that is the whole file. */
export async function readCsvPrefix(
  path: string,
  limit = CSV_SCAN_BYTES,
): Promise<{ text: string; complete: boolean }> {
  const handle = await open(path, "r");
  try {
    const size = (await handle.stat()).size;
    const length = Math.min(size, limit);
    const buffer = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(buffer, read, length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { text: buffer.subarray(0, read).toString("utf8"), complete: read >= size };
  } finally {
    await handle.close();
  }
}
