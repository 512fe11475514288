/**
 * A growable output buffer. Methods name their byte order: `int32be` for the PostgreSQL
 * framing, `int32le` for Hyper's little-endian value format. Space for a length can be
 * reserved and filled in later (`reserve` + `int32beAt`), so messages are built in one pass.
 *
 * Not shared between connections: each connection (and each inserter) owns its writer.
 */
export class ByteWriter {
  private buffer: Buffer;
  /** Over `buffer`: DataView setters skip the range checks of Buffer's write methods. */
  private dataView: DataView;
  private position = 0;

  constructor(initialSize = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialSize);
    this.dataView = viewOver(this.buffer);
  }

  /** Number of bytes written so far. */
  get length(): number {
    return this.position;
  }

  /** Makes room for `size` more bytes, growing by at least 1.5×. */
  ensure(size: number): void {
    const needed = this.position + size;
    if (needed <= this.buffer.length) return;
    let capacity = Math.max(this.buffer.length * 1.5, 1024);
    while (capacity < needed) capacity *= 1.5;
    const grown = Buffer.allocUnsafe(Math.ceil(capacity));
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
    this.dataView = viewOver(grown);
  }

  /** Skips `size` bytes and returns their offset, to be filled later. */
  reserve(size: number): number {
    this.ensure(size);
    const offset = this.position;
    this.position += size;
    return offset;
  }

  uint8(value: number): this {
    this.ensure(1);
    this.buffer[this.position++] = value;
    return this;
  }

  int16be(value: number): this {
    this.ensure(2);
    this.dataView.setInt16(this.position, value);
    this.position += 2;
    return this;
  }

  int32be(value: number): this {
    this.ensure(4);
    this.dataView.setInt32(this.position, value);
    this.position += 4;
    return this;
  }

  /** Writes a big-endian int32 at an offset obtained from `reserve`. */
  int32beAt(offset: number, value: number): this {
    this.buffer.writeInt32BE(value, offset);
    return this;
  }

  int16le(value: number): this {
    this.ensure(2);
    this.dataView.setInt16(this.position, value, true);
    this.position += 2;
    return this;
  }

  int32le(value: number): this {
    this.ensure(4);
    this.dataView.setInt32(this.position, value, true);
    this.position += 4;
    return this;
  }

  uint32le(value: number): this {
    this.ensure(4);
    this.dataView.setUint32(this.position, value, true);
    this.position += 4;
    return this;
  }

  /** Writes a little-endian uint32 at an offset obtained from `reserve`. */
  uint32leAt(offset: number, value: number): this {
    this.buffer.writeUInt32LE(value, offset);
    return this;
  }

  int64le(value: bigint): this {
    this.ensure(8);
    this.dataView.setBigInt64(this.position, value, true);
    this.position += 8;
    return this;
  }

  int64be(value: bigint): this {
    this.ensure(8);
    this.dataView.setBigInt64(this.position, value);
    this.position += 8;
    return this;
  }

  float32le(value: number): this {
    this.ensure(4);
    this.dataView.setFloat32(this.position, value, true);
    this.position += 4;
    return this;
  }

  float64le(value: number): this {
    this.ensure(8);
    this.dataView.setFloat64(this.position, value, true);
    this.position += 8;
    return this;
  }

  float32be(value: number): this {
    this.ensure(4);
    this.dataView.setFloat32(this.position, value);
    this.position += 4;
    return this;
  }

  float64be(value: number): this {
    this.ensure(8);
    this.dataView.setFloat64(this.position, value);
    this.position += 8;
    return this;
  }

  bytes(source: Uint8Array): this {
    this.ensure(source.length);
    this.buffer.set(source, this.position);
    this.position += source.length;
    return this;
  }

  /** Writes a string as UTF-8 without terminator and returns the number of bytes written. */
  utf8(value: string): number {
    const length = value.length;
    if (length <= SHORT_STRING) {
      // Short ASCII strings are copied in JS, which beats the native call's overhead.
      this.ensure(length);
      const buffer = this.buffer;
      const start = this.position;
      let i = 0;
      while (i < length) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) break;
        buffer[start + i] = code;
        i++;
      }
      if (i === length) {
        this.position += length;
        return length;
      }
    }
    // A UTF-16 code unit never needs more than 3 UTF-8 bytes.
    this.ensure(value.length * 3);
    const written = this.buffer.write(value, this.position, "utf8");
    this.position += written;
    return written;
  }

  /** Writes a NUL-terminated UTF-8 string (a PostgreSQL "String"). */
  cstring(value: string): this {
    this.utf8(value);
    return this.uint8(0);
  }

  /** A copy of the bytes written so far. */
  toBuffer(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.position));
  }

  /**
   * A view of the bytes written so far. Only valid until the next write or `reset()`;
   * hand it to the socket and reset only after the write callback if reusing.
   */
  view(): Buffer {
    return this.buffer.subarray(0, this.position);
  }

  /**
   * Drops everything written after the first `length` bytes (e.g. to undo a partly written
   * row). `length` must not exceed the current length.
   */
  truncate(length: number): void {
    if (!Number.isInteger(length) || length < 0 || length > this.position) {
      throw new RangeError(`cannot truncate ${this.position} bytes to ${length}`);
    }
    this.position = length;
  }

  /** Forgets the contents, keeping the allocated memory. */
  reset(): void {
    this.position = 0;
  }

  /** Returns the bytes written so far as a fresh buffer and starts over with a new one. */
  take(): Buffer {
    const result = this.buffer.subarray(0, this.position);
    this.buffer = Buffer.allocUnsafe(Math.max(this.buffer.length, 1024));
    this.dataView = viewOver(this.buffer);
    this.position = 0;
    return result;
  }
}

/** Strings up to this many UTF-16 units take the JS copy path when they are ASCII. */
const SHORT_STRING = 32;

function viewOver(buffer: Buffer): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
