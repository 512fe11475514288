import { ProtocolError } from "../errors/index.ts";

/** A cursor over one backend message's payload. Integers are big-endian (PG framing). */
export class BufferReader {
  readonly buffer: Buffer;
  offset: number;
  readonly end: number;

  constructor(buffer: Buffer, offset: number, end: number) {
    this.buffer = buffer;
    this.offset = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(size: number): void {
    if (this.offset + size > this.end) throw new ProtocolError("message ended early");
  }

  uint8(): number {
    this.need(1);
    return this.buffer[this.offset++] as number;
  }

  int16be(): number {
    this.need(2);
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32be(): number {
    this.need(4);
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  uint32be(): number {
    this.need(4);
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** Reads a NUL-terminated UTF-8 string. */
  cstring(): string {
    const terminator = this.buffer.indexOf(0, this.offset);
    if (terminator < 0 || terminator >= this.end) throw new ProtocolError("unterminated string in message");
    const value = this.buffer.toString("utf8", this.offset, terminator);
    this.offset = terminator + 1;
    return value;
  }

  /** Copies `size` bytes out of the message. */
  bytes(size: number): Buffer {
    this.need(size);
    const value = Buffer.from(this.buffer.subarray(this.offset, this.offset + size));
    this.offset += size;
    return value;
  }

  /** Copies the rest of the message. */
  rest(): Buffer {
    return this.bytes(this.end - this.offset);
  }
}
