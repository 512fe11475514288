import { describe, expect, it } from "vitest";
import { boundedMessage, MAX_ERROR_MESSAGE_CHARS, toolError } from "./tool-error.ts";

describe("boundedMessage", () => {
  it("keeps a message up to the limit as it is", () => {
    const message = "x".repeat(MAX_ERROR_MESSAGE_CHARS);
    expect(boundedMessage(message)).toBe(message);
  });

  it("cuts a longer one and says how long it was", () => {
    const message = "y".repeat(5_000_000);
    const bounded = boundedMessage(message);
    expect(bounded.startsWith("y".repeat(MAX_ERROR_MESSAGE_CHARS))).toBe(true);
    expect(bounded).toMatch(/… \(message cut, 5000000 characters in all\)$/);
  });
});

describe("toolError", () => {
  it("bounds the message in both the structured body and the text block", () => {
    const result = toolError("INVALID_ARGUMENT", `no database named ${"z".repeat(1_000_000)}`);
    const body = result.structuredContent as { error: { message: string } };
    expect(body.error.message.length).toBeLessThan(MAX_ERROR_MESSAGE_CHARS + 100);
    const [block] = result.content;
    expect(block?.type === "text" ? block.text.length : 0).toBeLessThan(MAX_ERROR_MESSAGE_CHARS + 400);
  });
});
