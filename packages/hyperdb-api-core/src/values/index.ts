export { assertDecimalFits, type DecimalParts, decimalFits, formatDecimal, parseDecimal } from "./decimal.ts";
export { fieldDecoder, type ValueFormat } from "./field-decoder.ts";
export type { FieldDecoder } from "./field-decoder-support.ts";
export { type CopyValueEncoder, hyperBinaryCopyEncoder } from "./hyper-binary-copy-encoder.ts";
export { type CopyColumn, HyperBinaryRowEncoder } from "./hyper-binary-row-encoder.ts";
export { HyperDate } from "./hyper-date.ts";
export { HyperInterval, type IntervalParts } from "./hyper-interval.ts";
export { HyperTime } from "./hyper-time.ts";
export { HyperTimestamp } from "./hyper-timestamp.ts";
export { readInt128LE, writeInt128LE } from "./int128.ts";
export {
  characterLength,
  type HyperType,
  MAX_NUMERIC_PRECISION,
  numericPrecision,
  numericScale,
  numericTypmod,
  TypeOid,
  typeName,
} from "./oids.ts";
export { type ParamEncoder, pgBinaryParamEncoder } from "./pg-binary-param-encoder.ts";
export { decodePgNumeric, encodePgNumeric } from "./pg-numeric.ts";
export { type TextParamEncoder, textParamEncoder } from "./text-param-encoder.ts";
