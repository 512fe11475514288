import { ProtocolError } from "../errors/index.ts";
import { type DecimalParts, powerOfTen, rescaleDecimal } from "./decimal.ts";

const SIGN_POSITIVE = 0x0000;
const SIGN_NEGATIVE = 0x4000;
const SIGN_NAN = 0xc000;
const SIGN_PLUS_INFINITY = 0xd000;
const SIGN_MINUS_INFINITY = 0xf000;
const NBASE = 10_000n;

/**
 * Encodes `unscaled / 10^scale` in PostgreSQL's binary NUMERIC format: int16 ndigits, int16
 * weight (of the first base-10000 digit), uint16 sign, int16 display scale, then ndigits int16
 * base-10000 digits, all big-endian, with leading and trailing zero digits stripped.
 */
export function encodePgNumeric(unscaled: bigint, scale: number): Buffer {
  const negative = unscaled < 0n;
  // Align the decimal point to a base-10000 digit boundary.
  const fractionGroups = Math.ceil(scale / 4);
  let magnitude = (negative ? -unscaled : unscaled) * powerOfTen(fractionGroups * 4 - scale);
  const groups: number[] = []; // least significant first
  while (magnitude > 0n) {
    groups.push(Number(magnitude % NBASE));
    magnitude /= NBASE;
  }
  let lowest = 0;
  while (lowest < groups.length && groups[lowest] === 0) lowest++;
  const ndigits = groups.length - lowest;
  const buf = Buffer.allocUnsafe(8 + 2 * ndigits);
  buf.writeInt16BE(ndigits, 0);
  buf.writeInt16BE(ndigits === 0 ? 0 : groups.length - 1 - fractionGroups, 2);
  buf.writeUInt16BE(negative ? SIGN_NEGATIVE : SIGN_POSITIVE, 4);
  buf.writeInt16BE(scale, 6);
  for (let i = 0; i < ndigits; i++) buf.writeInt16BE(groups[groups.length - 1 - i]!, 8 + 2 * i);
  return buf;
}

/**
 * Decodes PostgreSQL's binary NUMERIC into an unscaled bigint at its display scale, or the
 * special values `"NaN"`, `"Infinity"`, `"-Infinity"`. Throws ProtocolError on malformed bytes.
 */
export function decodePgNumeric(buf: Buffer, start: number, length: number): DecimalParts | string {
  if (length < 8) throw new ProtocolError(`binary NUMERIC of ${length} bytes is too short`);
  const ndigits = buf.readInt16BE(start);
  const weight = buf.readInt16BE(start + 2);
  const sign = buf.readUInt16BE(start + 4);
  const scale = buf.readInt16BE(start + 6);
  if (sign === SIGN_NAN) return "NaN";
  if (sign === SIGN_PLUS_INFINITY) return "Infinity";
  if (sign === SIGN_MINUS_INFINITY) return "-Infinity";
  if (
    (sign !== SIGN_POSITIVE && sign !== SIGN_NEGATIVE) ||
    ndigits < 0 ||
    scale < 0 ||
    length !== 8 + 2 * ndigits
  ) {
    throw new ProtocolError("malformed binary NUMERIC");
  }
  let magnitude = 0n;
  for (let i = 0; i < ndigits; i++) {
    const digit = buf.readInt16BE(start + 8 + 2 * i);
    if (digit < 0 || digit > 9999) throw new ProtocolError("malformed binary NUMERIC digit");
    magnitude = magnitude * NBASE + BigInt(digit);
  }
  // magnitude × 10000^(weight - ndigits + 1), expressed at `scale`.
  const exponent = 4 * (weight - ndigits + 1);
  const unscaled = rescaleDecimal(magnitude, -exponent, scale);
  return { unscaled: sign === SIGN_NEGATIVE ? -unscaled : unscaled, scale };
}
