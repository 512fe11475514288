import { describe, expect, it } from "vitest";
import { SessionTranscript } from "./session-transcript.ts";

function line(message: Record<string, unknown>): Buffer {
  return Buffer.from(`${JSON.stringify(message)}\n`);
}

describe("SessionTranscript", () => {
  it("keeps the handshake and the unanswered requests, across chunk boundaries", () => {
    const transcript = new SessionTranscript();
    const opening = line({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: { protocolVersion: "2025-06-18" },
    });
    transcript.fromClient(opening.subarray(0, 10));
    transcript.fromClient(opening.subarray(10));
    transcript.fromServer(line({ result: {}, jsonrpc: "2.0", id: 0 }));
    transcript.fromClient(line({ jsonrpc: "2.0", method: "notifications/initialized" }));
    transcript.fromClient(line({ method: "tools/call", params: { name: "query" }, jsonrpc: "2.0", id: 1 }));
    transcript.fromClient(
      line({ method: "tools/call", params: { name: "status" }, jsonrpc: "2.0", id: "two" }),
    );
    transcript.fromServer(line({ result: {}, jsonrpc: "2.0", id: 1 }));

    expect(transcript.initialize?.idKey).toBe("0");
    expect(transcript.initialize?.message.method).toBe("initialize");
    expect(transcript.initialized).toContain("notifications/initialized");
    expect(transcript.inFlight()).toEqual(['"two"']);
  });

  it("reads method and id of lines too long to keep from their head and tail", () => {
    const transcript = new SessionTranscript();
    const big = "x".repeat(2 * 1024 * 1024);
    transcript.fromClient(line({ method: "tools/call", params: { data: big }, jsonrpc: "2.0", id: 7 }));
    transcript.fromClient(line({ method: "tools/call", params: {}, jsonrpc: "2.0", id: 8 }));
    expect(transcript.inFlight()).toEqual(["7", "8"]);
    transcript.fromServer(line({ result: { text: big }, jsonrpc: "2.0", id: 7 }));
    expect(transcript.inFlight()).toEqual(["8"]);
  });

  it("never parses a big server line: its id comes from the head or the tail", () => {
    const transcript = new SessionTranscript();
    const big = "y".repeat(2 * 1024 * 1024);
    transcript.fromClient(line({ method: "tools/call", params: {}, jsonrpc: "2.0", id: 1 }));
    transcript.fromClient(line({ method: "tools/call", params: {}, jsonrpc: "2.0", id: "b" }));
    transcript.fromClient(line({ method: "tools/call", params: {}, jsonrpc: "2.0", id: 3 }));
    transcript.fromServer(line({ jsonrpc: "2.0", id: 1, result: { text: big } }));
    transcript.fromServer(line({ result: { text: big }, jsonrpc: "2.0", id: "b" }));
    // A big request of the server's own, id before method, answers nothing.
    transcript.fromServer(line({ jsonrpc: "2.0", id: 3, method: "sampling/createMessage", params: { big } }));
    expect(transcript.inFlight()).toEqual(["3"]);
  });

  it("forgets cancelled requests and ignores the server's own requests", () => {
    const transcript = new SessionTranscript();
    transcript.fromClient(line({ jsonrpc: "2.0", id: 3, method: "tools/call" }));
    transcript.fromClient(line({ jsonrpc: "2.0", id: 4, method: "tools/call" }));
    transcript.fromServer(line({ jsonrpc: "2.0", id: 3, method: "roots/list" }));
    transcript.fromClient(
      line({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 4 } }),
    );
    expect(transcript.inFlight()).toEqual(["3"]);
    expect(transcript.initialize).toBeUndefined();
  });

  it("returns the start of an incomplete client line", () => {
    const transcript = new SessionTranscript();
    transcript.fromClient(Buffer.from('{"jsonrpc":"2.0","id":5,'));
    expect(transcript.clientPartial().toString()).toBe('{"jsonrpc":"2.0","id":5,');
  });
});
