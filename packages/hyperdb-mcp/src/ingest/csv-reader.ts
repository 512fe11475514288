/**
 * A small RFC 4180 CSV tokenizer for inference: comma-separated fields, double-quoted fields
 * with `""` escapes and embedded line breaks, LF or CRLF line ends. The load itself never goes
 * through it: hyperd reads the file with `COPY … FROM '<path>'`, which is much faster; this
 * reader only sees the header, the inference sample and the widening pass.
 *
 * {@link CsvCursor} reads one record at a time into a reused array and can skip the text of
 * fields nobody looks at, which keeps the widening pass over a large file cheap.
 *
 * @module
 */

/** Parsed records. */
export interface CsvRecords {
  /** Records in order; each is the list of its fields' texts. */
  readonly records: string[][];
  /** Whether the text ended inside a record that had to be dropped (see {@link parseCsv}). */
  readonly droppedPartial: boolean;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Reads records one by one from CSV text. */
export class CsvCursor {
  private readonly text: string;
  private readonly complete: boolean;
  private position: number;
  /** Whether the last {@link next} stopped at a record cut by the end of an incomplete text. */
  droppedPartial = false;
  /** Fields of the record last read by {@link nextFields}. */
  fieldCount = 0;
  /** Where each unquoted field of the last record starts in the text (see {@link nextFields}). */
  readonly starts: number[] = [];
  /** Where each unquoted field of the last record ends in the text. */
  readonly ends: number[] = [];
  /** The unescaped text of each quoted field of the last record; undefined for unquoted ones. */
  readonly quoted: (string | undefined)[] = [];
  /**
   * Where the next `"`, CR and comma at or after the current position are (`length` for none),
   * so that records on one line without quotes are split with `indexOf` (much faster than a
   * loop over characters) and no character is searched twice.
   */
  private nextQuote = -1;
  private nextCr = -1;
  private nextComma = -1;

  /**
   * @param text - CSV text (a leading byte order mark is skipped)
   * @param complete - false when the text is a prefix of a longer file: a last record that may
   *   be cut is then dropped
   */
  constructor(text: string, complete = true) {
    this.text = text;
    this.complete = complete;
    this.position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /**
   * Reads the next non-blank record into `fields` (cleared first). Fields whose index is false
   * in `wanted` are left as `""` without copying their text. False at the end.
   */
  next(fields: string[], wanted?: readonly boolean[]): boolean {
    fields.length = 0;
    if (!this.nextFields(wanted)) return false;
    for (let index = 0; index < this.fieldCount; index += 1) {
      const quoted = this.quoted[index];
      const keep = wanted === undefined || wanted[index] !== false;
      fields.push(
        !keep ? "" : quoted !== undefined ? quoted : this.text.slice(this.starts[index], this.ends[index]),
      );
    }
    return true;
  }

  /**
   * Reads the next non-blank record without copying the text of unquoted fields: afterwards
   * {@link fieldCount} says how many fields it has, and field `i` is `quoted[i]` when it was
   * quoted, else the text from `starts[i]` to `ends[i]`. Quoted fields whose index is false in
   * `wanted` are left as `""`. False at the end.
   */
  nextFields(wanted?: readonly boolean[]): boolean {
    const text = this.text;
    const length = text.length;
    const { starts, ends, quoted } = this;
    while (this.position < length) {
      const fast = this.nextPlainRecord();
      if (fast === "record") return true;
      if (fast === "blank") continue;
      let count = 0;
      const recordStart = this.position;
      let position = recordStart;
      let cut = false;
      let done = false;
      while (!done) {
        if (position < length && text.charCodeAt(position) === QUOTE) {
          const keep = wanted === undefined || wanted[count] !== false;
          let value = "";
          let segment = position + 1;
          position = segment;
          let closed = false;
          while (position < length) {
            const quote = text.indexOf('"', position);
            if (quote === -1) {
              position = length;
              break;
            }
            if (text.charCodeAt(quote + 1) === QUOTE) {
              if (keep) value += text.slice(segment, quote + 1);
              position = quote + 2;
              segment = position;
              continue;
            }
            if (keep) value += text.slice(segment, quote);
            position = quote + 1;
            closed = true;
            break;
          }
          if (!closed) {
            cut = true;
            if (keep) value += text.slice(segment, length);
          }
          // Anything between the closing quote and the separator is kept as text.
          let tail = position;
          while (tail < length) {
            const code = text.charCodeAt(tail);
            if (code === COMMA || code === LF || code === CR) break;
            tail += 1;
          }
          quoted[count] = keep ? value + text.slice(position, tail) : "";
          starts[count] = position;
          ends[count] = tail;
          position = tail;
        } else {
          let end = position;
          while (end < length) {
            const code = text.charCodeAt(end);
            if (code === COMMA || code === LF || code === CR) break;
            end += 1;
          }
          quoted[count] = undefined;
          starts[count] = position;
          ends[count] = end;
          position = end;
        }
        count += 1;
        if (position >= length) {
          done = true;
          if (!this.complete) cut = true;
        } else {
          const code = text.charCodeAt(position);
          if (code === COMMA) {
            position += 1;
          } else {
            position += code === CR && text.charCodeAt(position + 1) === LF ? 2 : 1;
            done = true;
          }
        }
      }
      this.position = position;
      if (cut && !this.complete) {
        this.droppedPartial = true;
        this.position = length;
        this.fieldCount = 0;
        return false;
      }
      this.fieldCount = count;
      const first = text.charCodeAt(recordStart);
      const blank = count === 1 && (recordStart >= length || first === LF || first === CR);
      if (!blank) {
        return true;
      }
    }
    this.fieldCount = 0;
    return false;
  }

  /**
   * Reads the record at the current position when it is one line with no quote and no CR other
   * than a CRLF's: "record" (read, non-blank), "blank" (an empty line, skipped), or "other" when
   * the record needs the general reader (nothing consumed).
   */
  private nextPlainRecord(): "record" | "blank" | "other" {
    const text = this.text;
    const length = text.length;
    const start = this.position;
    if (this.nextQuote < start) this.nextQuote = indexOrLength(text, '"', start);
    if (this.nextCr < start) this.nextCr = indexOrLength(text, "\r", start);
    const lineEnd = indexOrLength(text, "\n", start);
    if (lineEnd === length && !this.complete) return "other"; // may be cut
    if (this.nextQuote < lineEnd) return "other";
    let contentEnd = lineEnd;
    if (this.nextCr < lineEnd) {
      if (this.nextCr !== lineEnd - 1) return "other";
      contentEnd = lineEnd - 1;
    }
    this.position = lineEnd < length ? lineEnd + 1 : length;
    if (contentEnd === start) return "blank";
    const { starts, ends, quoted } = this;
    let count = 0;
    let fieldStart = start;
    for (;;) {
      if (this.nextComma < fieldStart) this.nextComma = indexOrLength(text, ",", fieldStart);
      const fieldEnd = Math.min(this.nextComma, contentEnd);
      starts[count] = fieldStart;
      ends[count] = fieldEnd;
      quoted[count] = undefined;
      count += 1;
      if (fieldEnd >= contentEnd) break;
      fieldStart = fieldEnd + 1;
    }
    this.fieldCount = count;
    return "record";
  }
}

function indexOrLength(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index === -1 ? text.length : index;
}

/** Parses CSV text into records (see {@link CsvCursor}); at most `maxRecords` of them. */
export function parseCsv(text: string, complete = true, maxRecords = Number.POSITIVE_INFINITY): CsvRecords {
  const cursor = new CsvCursor(text, complete);
  const records: string[][] = [];
  while (records.length < maxRecords) {
    const fields: string[] = [];
    if (!cursor.next(fields)) break;
    records.push(fields);
  }
  return { records, droppedPartial: cursor.droppedPartial };
}
