import { ProtocolError } from "../errors/index.ts";

/**
 * Receives one complete backend message. `start` is the offset of the first payload byte
 * (after tag and length) and `end` the offset just past it. The buffer is only valid during
 * the call: copy anything that must outlive it.
 */
export type MessageHandler = (tag: number, buffer: Buffer, start: number, end: number) => void;

/** Messages larger than this are treated as a corrupt stream. */
const MAX_MESSAGE_LENGTH = 1 << 30;

/**
 * Cuts the byte stream from the server into messages (1 tag byte, then a big-endian int32
 * length that counts itself). Chunks may split messages anywhere. Whole messages are handed
 * out in place; only a message that straddles two chunks is assembled into a buffer of its
 * own, so no chunk is ever copied as a whole.
 */
export class MessageFramer {
  private parts: Buffer[] = [];
  private partsLength = 0;
  private readonly copyPartials: boolean;

  /**
   * @param copyPartials set when the chunks' buffer is reused after each `push` (the tail of
   *   a split message is then copied instead of kept as a view).
   */
  constructor(copyPartials = false) {
    this.copyPartials = copyPartials;
  }

  /** True when a partial message is waiting for more bytes. */
  get hasPartialMessage(): boolean {
    return this.partsLength > 0;
  }

  push(chunk: Buffer, onMessage: MessageHandler): void {
    let offset = 0;
    if (this.partsLength > 0) {
      offset = this.completePartial(chunk, onMessage);
      if (offset < 0) return;
    }
    this.frame(chunk, offset, onMessage);
  }

  reset(): void {
    this.parts = [];
    this.partsLength = 0;
  }

  /**
   * Finishes the message begun in earlier chunks. Returns the offset in `chunk` where the
   * next message starts, or -1 when `chunk` was used up.
   */
  private completePartial(chunk: Buffer, onMessage: MessageHandler): number {
    if (this.partsLength < 5) {
      // Even the header was split: rare, so simply join and frame the lot.
      const joined = Buffer.concat([...this.parts, chunk]);
      this.reset();
      this.frame(joined, 0, onMessage);
      return -1;
    }
    const total = 1 + messageLength(this.parts[0] as Buffer, 0);
    const needed = total - this.partsLength;
    if (chunk.length < needed) {
      this.parts.push(this.copyPartials ? Buffer.from(chunk) : chunk);
      this.partsLength += chunk.length;
      return -1;
    }
    const message = Buffer.concat([...this.parts, chunk.subarray(0, needed)], total);
    this.reset();
    onMessage(message[0] as number, message, 5, total);
    return needed;
  }

  private frame(buffer: Buffer, offset: number, onMessage: MessageHandler): void {
    const size = buffer.length;
    while (size - offset >= 5) {
      const end = offset + 1 + messageLength(buffer, offset);
      if (end > size) break;
      onMessage(buffer[offset] as number, buffer, offset + 5, end);
      offset = end;
    }
    if (offset < size) {
      const tail = buffer.subarray(offset);
      this.parts = [this.copyPartials ? Buffer.from(tail) : tail];
      this.partsLength = size - offset;
    }
  }
}

/** The length field of the message at `offset` (it counts itself, not the tag), validated. */
function messageLength(buffer: Buffer, offset: number): number {
  const length = buffer.readInt32BE(offset + 1);
  if (length < 4 || length > MAX_MESSAGE_LENGTH) {
    throw new ProtocolError(`invalid message length ${length} for tag 0x${buffer[offset]?.toString(16)}`);
  }
  return length;
}
