import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import {
  MessageHeader,
  RecordBatchStreamWriter,
  Table,
  tableFromArrays,
  tableFromIPC,
  tableToIPC,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { fieldNullCounts, splitIpcStream } from "./ipc-messages.ts";

const table = new Table({
  a: tableFromArrays({ a: Int32Array.from([1, 2, 3]) }).getChild("a")!,
});

describe("splitIpcStream", () => {
  it("splits a stream into schema and record batches, up to the end marker", () => {
    const twoBatches = new Table([...table.batches, ...table.batches]);
    const bytes = tableToIPC(twoBatches, "stream");
    const messages = splitIpcStream(bytes);
    expect(messages.map((m) => m.headerType)).toEqual([
      MessageHeader.Schema,
      MessageHeader.RecordBatch,
      MessageHeader.RecordBatch,
    ]);
    const joined = Buffer.concat(messages.map((m) => m.bytes));
    expect(joined.length).toBe(bytes.length - 8);
    expect(
      tableFromIPC(joined)
        .toArray()
        .map((row) => row.a),
    ).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it("accepts a stream without end marker and the pre-1.0 framing", () => {
    const bytes = tableToIPC(table, "stream");
    expect(splitIpcStream(bytes.subarray(0, bytes.length - 8))).toHaveLength(2);
    const legacy = RecordBatchStreamWriter.writeAll(table, { writeLegacyIpcFormat: true }).toUint8Array(true);
    expect(splitIpcStream(legacy).map((m) => m.headerType)).toEqual([
      MessageHeader.Schema,
      MessageHeader.RecordBatch,
    ]);
  });

  it("rejects files, truncated streams and data after the end marker", () => {
    expect(() => splitIpcStream(tableToIPC(table, "file"))).toThrow(/IPC file, not a stream/);
    const bytes = tableToIPC(table, "stream");
    expect(() => splitIpcStream(bytes.subarray(0, bytes.length - 20))).toThrow(/truncated/);
    expect(() => splitIpcStream(Buffer.concat([bytes, bytes]))).toThrow(/after its end-of-stream marker/);
    expect(() => splitIpcStream(Uint8Array.of(1, 2))).toThrow(InvalidArgumentError);
    expect(splitIpcStream(new Uint8Array(0))).toEqual([]);
  });

  it("reads null counts per field from a record batch header", () => {
    const withNulls = tableFromArrays({ a: [1, null, 3], b: Float64Array.from([1, 2, 3]) });
    const messages = splitIpcStream(tableToIPC(withNulls, "stream"));
    const batch = messages.find((m) => m.headerType === MessageHeader.RecordBatch)!;
    expect(fieldNullCounts(batch.message, withNulls.schema.fields)).toEqual([1, 0]);
  });
});
