import { ProtocolError } from "../errors/index.ts";

/**
 * Decodes one non-NULL field value from `buf[start, start + length)`. The bytes are only valid
 * during the call (the buffer is reused), so results never alias them.
 */
export type FieldDecoder = (buf: Buffer, start: number, length: number) => unknown;

/** 2³², to assemble a 64-bit integer from two 32-bit halves without a bigint. */
export const TWO_POW_32 = 4_294_967_296;

/** Throws the ProtocolError for a fixed-width value that arrived with the wrong length. */
export function badLength(typeLabel: string, expected: number | string, actual: number): never {
  throw new ProtocolError(`expected ${expected} bytes for a ${typeLabel} value, got ${actual}`);
}

/** Throws the ProtocolError for a text value the server sent that cannot be parsed. */
export function badText(typeLabel: string, text: string): never {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  throw new ProtocolError(`cannot parse ${typeLabel} value ${JSON.stringify(shown)}`);
}
