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
 * length that counts itself). Chunks may split messages anywhere; the incomplete tail is
 * kept until the next chunk completes it.
 */
export class MessageFramer {
  private pending: Buffer | null = null;

  /** True when a partial message is waiting for more bytes. */
  get hasPartialMessage(): boolean {
    return this.pending !== null;
  }

  push(chunk: Buffer, onMessage: MessageHandler): void {
    let buffer = chunk;
    if (this.pending !== null) {
      buffer = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    const size = buffer.length;
    let offset = 0;
    while (size - offset >= 5) {
      const length = buffer.readInt32BE(offset + 1);
      if (length < 4 || length > MAX_MESSAGE_LENGTH) {
        throw new ProtocolError(`invalid message length ${length} for tag 0x${buffer[offset]?.toString(16)}`);
      }
      const end = offset + 1 + length;
      if (end > size) break;
      onMessage(buffer[offset] as number, buffer, offset + 5, end);
      offset = end;
    }
    if (offset < size) this.pending = buffer.subarray(offset);
  }

  reset(): void {
    this.pending = null;
  }
}
