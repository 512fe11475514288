import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api-core";
import { describe, expect, it } from "vitest";
import { KV_NAME_MAX_BYTES, validateKvName, validateKvValue } from "./kv-names.ts";

function messageOf(work: () => void): string {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  throw new Error("expected an InvalidArgumentError");
}

describe("KV names", () => {
  it("accept ASCII letters, digits, _ . - up to 512 bytes", () => {
    for (const name of ["a", "Z9", "user_42.settings-v2", "-", ".", "_", "x".repeat(KV_NAME_MAX_BYTES)]) {
      expect(() => validateKvName("key", name)).not.toThrow();
    }
  });

  it("reject the first invalid byte, in hex", () => {
    expect(messageOf(() => validateKvName("key", "a b"))).toBe(
      "invalid name: KV key contains an invalid byte 0x20; allowed: A-Z a-z 0-9 _ . -",
    );
    expect(messageOf(() => validateKvName("key", "dir/file"))).toContain("invalid byte 0x2f");
    expect(messageOf(() => validateKvName("store name", "a\tb"))).toBe(
      "invalid name: KV store name contains an invalid byte 0x09; allowed: A-Z a-z 0-9 _ . -",
    );
    // Non-ASCII: the first byte of its UTF-8 encoding (é = c3 a9, 😀 = f0 9f 98 80).
    expect(messageOf(() => validateKvName("key", "café"))).toContain("invalid byte 0xc3");
    expect(messageOf(() => validateKvName("key", "x😀"))).toContain("invalid byte 0xf0");
    for (const name of ["a'b", 'a"b', "a;b", "a\0b", "a:b", "a\\b"]) {
      expect(() => validateKvName("key", name)).toThrow(InvalidArgumentError);
    }
  });

  it("reject names over 512 bytes, counting UTF-8 bytes", () => {
    expect(messageOf(() => validateKvName("key", "k".repeat(630)))).toBe(
      "invalid name: KV key exceeds 512-byte limit (630 bytes)",
    );
    expect(messageOf(() => validateKvName("key", "é".repeat(300)))).toBe(
      "invalid name: KV key exceeds 512-byte limit (600 bytes)",
    );
  });

  it("reject empty names and non-strings", () => {
    expect(messageOf(() => validateKvName("store name", ""))).toBe(
      "invalid name: KV store name must not be empty",
    );
    expect(messageOf(() => validateKvName("key", 42))).toBe(
      "invalid name: KV key must be a string, got number",
    );
    expect(messageOf(() => validateKvName("key", null))).toContain("got null");
  });
});

describe("KV values", () => {
  it("accept any string, including the empty one", () => {
    for (const value of ["", " ", "x".repeat(100_000), "😀 / ' \" ;"]) {
      expect(() => validateKvValue("k", value)).not.toThrow();
    }
  });

  it("reject anything else", () => {
    expect(messageOf(() => validateKvValue("k", undefined))).toBe(
      "the value of KV key k must be a string, got undefined",
    );
    expect(() => validateKvValue("k", 1)).toThrow(InvalidArgumentError);
  });
});
