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
    const text = this.text;
    const length = text.length;
    while (this.position < length) {
      fields.length = 0;
      const recordStart = this.position;
      let position = recordStart;
      let cut = false;
      let done = false;
      while (!done) {
        const keep = wanted === undefined || wanted[fields.length] !== false;
        if (position < length && text.charCodeAt(position) === QUOTE) {
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
          fields.push(keep ? value + text.slice(position, tail) : "");
          position = tail;
        } else {
          let end = position;
          while (end < length) {
            const code = text.charCodeAt(end);
            if (code === COMMA || code === LF || code === CR) break;
            end += 1;
          }
          fields.push(keep ? text.slice(position, end) : "");
          position = end;
        }
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
        fields.length = 0;
        return false;
      }
      const first = text.charCodeAt(recordStart);
      const blank = fields.length === 1 && (recordStart >= length || first === LF || first === CR);
      if (!blank) {
        return true;
      }
    }
    fields.length = 0;
    return false;
  }
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
