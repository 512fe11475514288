import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import {
  Binary,
  type Data,
  DataType,
  makeBuilder,
  makeData,
  makeVector,
  Timestamp,
  TimeUnit,
  Utf8,
} from "apache-arrow";

/**
 * Arrow types hyperd refuses but that carry values it takes, and how they are converted before
 * sending: dictionary-encoded columns are decoded (`tableFromArrays` makes string columns
 * dictionaries), LargeUtf8 / Utf8View become Utf8, LargeBinary / BinaryView become Binary, and
 * nanosecond timestamps become microsecond ones (truncated toward the past, as Hyper stores
 * microseconds). Every other type is sent as it is, for hyperd to accept or reject.
 */
export function sendableType(type: DataType): DataType {
  if (DataType.isDictionary(type)) return sendableType(type.dictionary);
  if (DataType.isLargeUtf8(type) || DataType.isUtf8View(type)) return new Utf8();
  if (DataType.isLargeBinary(type) || DataType.isBinaryView(type)) return new Binary();
  if (DataType.isTimestamp(type) && type.unit === TimeUnit.NANOSECOND) {
    return new Timestamp(TimeUnit.MICROSECOND, type.timezone);
  }
  return type;
}

/** Whether {@link sendableType} changes the type, i.e. the data must be converted. */
export function needsConversion(type: DataType): boolean {
  return sendableType(type) !== type;
}

/** The column's data as {@link sendableType} says (the same object when nothing changes). */
export function toSendable(data: Data): Data {
  const type = data.type;
  if (DataType.isDictionary(type)) return toSendable(decodeDictionary(data));
  if (DataType.isLargeUtf8(type)) return narrowOffsets(data, new Utf8());
  if (DataType.isLargeBinary(type)) return narrowOffsets(data, new Binary());
  if (DataType.isUtf8View(type)) return rebuild(data, new Utf8());
  if (DataType.isBinaryView(type)) return rebuild(data, new Binary());
  if (DataType.isTimestamp(type) && type.unit === TimeUnit.NANOSECOND) return nanosToMicros(data);
  return data;
}

/** A validity bitmap starting at bit 0, or undefined when every value is valid. */
function packedValidity(data: Data): Uint8Array | undefined {
  if (data.nullCount === 0) return undefined;
  const bitmap = new Uint8Array((data.length + 7) >> 3);
  for (let i = 0; i < data.length; i++) {
    if (data.getValid(i)) bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return bitmap;
}

function decodeDictionary(data: Data): Data {
  const dictionary = data.dictionary;
  if (dictionary === undefined)
    throw new InvalidArgumentError("a dictionary-encoded column has no dictionary");
  const values = dictionary.data.length === 1 ? toSendable(dictionary.data[0]!) : undefined;
  if (values !== undefined && (DataType.isUtf8(values.type) || DataType.isBinary(values.type))) {
    return gatherVariableWidth(data, values);
  }
  return rebuild(data, sendableType(dictionary.type));
}

/** Decodes dictionary indices into a Utf8 or Binary column by copying the referenced bytes. */
function gatherVariableWidth(data: Data, values: Data): Data {
  const indices = data.values as ArrayLike<number | bigint>;
  const sourceOffsets = values.valueOffsets as Int32Array;
  const sourceBytes = values.values as Uint8Array;
  const length = data.length;
  const hasNulls = data.nullCount > 0;
  const offsets = new Int32Array(length + 1);
  let total = 0;
  for (let i = 0; i < length; i++) {
    if (!hasNulls || data.getValid(i)) {
      const index = Number(indices[i]);
      total += sourceOffsets[index + 1]! - sourceOffsets[index]!;
      if (total > 0x7fff_ffff) {
        throw new InvalidArgumentError(
          "a decoded string column exceeds 2 GiB in one record batch; use smaller batches",
        );
      }
    }
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < length; i++) {
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    if (end === start) continue;
    const index = Number(indices[i]);
    const from = sourceOffsets[index]!;
    bytes.set(sourceBytes.subarray(from, from + (end - start)), start);
  }
  return makeData({
    type: values.type as Utf8,
    length,
    nullCount: data.nullCount,
    nullBitmap: packedValidity(data) ?? null,
    valueOffsets: offsets,
    data: bytes,
  });
}

/** LargeUtf8 / LargeBinary (64-bit offsets) to Utf8 / Binary (32-bit offsets). */
function narrowOffsets(data: Data, type: Utf8 | Binary): Data {
  const wide = data.valueOffsets as unknown as BigInt64Array;
  const length = data.length;
  const base = wide[0] ?? 0n;
  const size = (wide[length] ?? 0n) - base;
  if (size > 0x7fff_ffffn) {
    throw new InvalidArgumentError(
      "a large string column exceeds 2 GiB in one record batch; use smaller batches",
    );
  }
  const offsets = new Int32Array(length + 1);
  for (let i = 1; i <= length; i++) offsets[i] = Number(wide[i]! - base);
  const bytes = (data.values as Uint8Array).subarray(Number(base), Number(base + size));
  return makeData({
    type: type as Utf8,
    length,
    nullCount: data.nullCount,
    nullBitmap: packedValidity(data) ?? null,
    valueOffsets: offsets,
    data: bytes,
  });
}

function nanosToMicros(data: Data): Data {
  const type = data.type as Timestamp;
  const nanos = data.values as unknown as BigInt64Array;
  const micros = new BigInt64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const value = nanos[i]!;
    const truncated = value / 1000n;
    micros[i] = value < 0n && truncated * 1000n !== value ? truncated - 1n : truncated;
  }
  return makeData({
    type: new Timestamp(TimeUnit.MICROSECOND, type.timezone),
    length: data.length,
    nullCount: data.nullCount,
    nullBitmap: packedValidity(data) ?? null,
    data: micros,
  });
}

/** The general (slower) way: read every value and build a column of the target type. */
function rebuild(data: Data, type: DataType): Data {
  const builder = makeBuilder({ type, nullValues: [null, undefined] });
  for (const value of makeVector(data)) builder.append(value);
  return builder.finish().flush();
}
