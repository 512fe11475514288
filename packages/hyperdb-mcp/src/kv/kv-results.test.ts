import { describe, expect, it } from "vitest";
import { setManyIfAbsentResult, setManyResult, setResult } from "./kv-results.ts";
import { KV_SOFT_LIMIT_BYTES, sizeWarning, valueBytes } from "./kv-values.ts";

describe("KV value sizes", () => {
  it("counts UTF-8 bytes and warns only above 1 MiB", () => {
    expect(valueBytes("é")).toBe(2);
    expect(sizeWarning(KV_SOFT_LIMIT_BYTES)).toBeUndefined();
    expect(sizeWarning(KV_SOFT_LIMIT_BYTES + 1)).toMatch(
      /^value is 1048577 bytes \(> 1048576 soft limit\); the KV store is for small scraps/,
    );
  });
});

describe("KV results", () => {
  it("reports existed only for a skipped write", () => {
    expect(setResult("s", "k", "héllo", { stored: true, created: true })).toEqual({
      stored: true,
      created: true,
      store: "s",
      key: "k",
      value_bytes: 6,
    });
    expect(setResult("s", "k", "v", { stored: false, created: false })).toEqual({
      stored: false,
      created: false,
      store: "s",
      key: "k",
      value_bytes: 1,
      existed: true,
    });
  });

  it("builds the two kv_set_many shapes", () => {
    const big = "x".repeat(KV_SOFT_LIMIT_BYTES + 1);
    const entries = [
      { key: "a", value: "12" },
      { key: "b", value: big },
    ];
    expect(setManyResult(entries, { created: 1, overwritten: 1 })).toEqual({
      stored: 2,
      created: 1,
      overwritten: 1,
      total_bytes: KV_SOFT_LIMIT_BYTES + 3,
      warnings: [{ key: "b", warning: sizeWarning(KV_SOFT_LIMIT_BYTES + 1) }],
    });
    expect(setManyIfAbsentResult(entries, { written: 1, skipped: 1 })).toEqual({
      stored: 1,
      created: 1,
      skipped: 1,
      total_bytes: KV_SOFT_LIMIT_BYTES + 3,
    });
    expect(setManyResult([{ key: "a", value: "" }], { created: 1, overwritten: 0 })).not.toHaveProperty(
      "warnings",
    );
  });
});
