import { describe, expect, it } from "vitest";
import { MessageFramer } from "../../src/protocol/message-framer.ts";
import { backend } from "../testing/backend-bytes.ts";

interface Seen {
  tag: string;
  payload: string;
}

function frame(chunks: readonly Buffer[]): Seen[] {
  const framer = new MessageFramer();
  const seen: Seen[] = [];
  for (const chunk of chunks) {
    framer.push(chunk, (tag, buffer, start, end) => {
      seen.push({ tag: String.fromCharCode(tag), payload: buffer.toString("hex", start, end) });
    });
  }
  expect(framer.hasPartialMessage).toBe(false);
  return seen;
}

const stream = Buffer.concat([
  backend.authenticationOk(),
  backend.parameterStatus("server_version", "9.1.0"),
  backend.backendKeyData(7, 123456),
  backend.readyForQuery(),
  backend.rowDescription([{ name: "x", typeOid: 23 }]),
  backend.dataRow([Buffer.from([1, 0, 0, 0])]),
  backend.dataRow([null]),
  backend.commandComplete("SELECT 2"),
  backend.readyForQuery("T"),
]);

describe("MessageFramer", () => {
  const whole = frame([stream]);

  it("cuts a stream into its messages", () => {
    expect(whole.map((m) => m.tag).join("")).toBe("RSKZTDDCZ");
    expect(whole[3]?.payload).toBe(Buffer.from("I").toString("hex"));
  });

  it("gives the same messages for a stream split at every offset", () => {
    for (let cut = 1; cut < stream.length; cut++) {
      expect(frame([stream.subarray(0, cut), stream.subarray(cut)]), `cut at ${cut}`).toEqual(whole);
    }
  });

  it("gives the same messages for a stream split into three at every pair of offsets", () => {
    for (let a = 1; a < stream.length; a += 3) {
      for (let b = a + 1; b < stream.length; b += 5) {
        expect(frame([stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)])).toEqual(whole);
      }
    }
  });

  it("gives the same messages when fed one byte at a time", () => {
    const bytes = [...stream].map((byte) => Buffer.from([byte]));
    expect(frame(bytes)).toEqual(whole);
  });

  it("rejects an impossible length", () => {
    const framer = new MessageFramer();
    const bad = Buffer.from([0x44, 0, 0, 0, 2]);
    expect(() => framer.push(bad, () => {})).toThrow(/invalid message length 2/);
  });
});
