import {
  Binary,
  DataType,
  Dictionary,
  Int16,
  Int32,
  LargeBinary,
  LargeUtf8,
  makeData,
  makeVector,
  TimestampNanosecond,
  TimeUnit,
  Utf8,
  vectorFromArray,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { needsConversion, sendableType, toSendable } from "./arrow-conversions.ts";

function values(data: ReturnType<typeof toSendable>): unknown[] {
  return [...makeVector(data)];
}

describe("sendableType", () => {
  it("maps only the types hyperd refuses", () => {
    expect(sendableType(new Dictionary(new Utf8(), new Int32()))).toBeInstanceOf(Utf8);
    expect(sendableType(new LargeUtf8())).toBeInstanceOf(Utf8);
    expect(sendableType(new LargeBinary())).toBeInstanceOf(Binary);
    const micros = sendableType(new TimestampNanosecond("Europe/Oslo"));
    expect(DataType.isTimestamp(micros) && micros.unit === TimeUnit.MICROSECOND).toBe(true);
    expect(DataType.isTimestamp(micros) && micros.timezone).toBe("Europe/Oslo");
    const int = new Int32();
    expect(sendableType(int)).toBe(int);
    expect(needsConversion(int)).toBe(false);
    expect(needsConversion(new LargeUtf8())).toBe(true);
  });
});

describe("toSendable", () => {
  it("decodes string dictionaries, nulls and slices included", () => {
    const vector = vectorFromArray(
      ["a", null, "béta", "a", "", "gamma"],
      new Dictionary(new Utf8(), new Int16()),
    );
    const data = vector.data[0]!;
    const decoded = toSendable(data);
    expect(decoded.type).toBeInstanceOf(Utf8);
    expect(decoded.nullCount).toBe(1);
    expect(values(decoded)).toEqual(["a", null, "béta", "a", "", "gamma"]);
    expect(values(toSendable(data.slice(1, 3)))).toEqual([null, "béta", "a"]);
  });

  it("decodes dictionaries of other types the general way", () => {
    const vector = vectorFromArray([10, 20, null, 10], new Dictionary(new Int32(), new Int32()));
    const decoded = toSendable(vector.data[0]!);
    expect(decoded.type).toBeInstanceOf(Int32);
    expect(values(decoded)).toEqual([10, 20, null, 10]);
  });

  it("narrows large strings and binaries", () => {
    const strings = vectorFromArray(["x", null, "yz", "✓"], new LargeUtf8()).data[0]!;
    const narrowed = toSendable(strings.slice(1, 3));
    expect(narrowed.type).toBeInstanceOf(Utf8);
    expect(values(narrowed)).toEqual([null, "yz", "✓"]);
    const bytes = vectorFromArray([Uint8Array.of(1, 2), Uint8Array.of(3)], new LargeBinary()).data[0]!;
    expect(values(toSendable(bytes)).map((b) => [...(b as Uint8Array)])).toEqual([[1, 2], [3]]);
  });

  it("truncates nanosecond timestamps to microseconds toward the past", () => {
    const nanos = BigInt64Array.of(1_704_164_645_123_456_789n, -1n, -1000n, -1001n, 0n);
    const data = makeData({ type: new TimestampNanosecond(), length: 5, nullCount: 0, data: nanos });
    const micros = toSendable(data);
    expect([...(micros.values as unknown as BigInt64Array)]).toEqual([
      1_704_164_645_123_456n,
      -1n,
      -1n,
      -2n,
      0n,
    ]);
  });

  it("leaves other columns alone", () => {
    const data = vectorFromArray([1, 2], new Int32()).data[0]!;
    expect(toSendable(data)).toBe(data);
  });
});
