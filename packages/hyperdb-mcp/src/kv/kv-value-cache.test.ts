import { describe, expect, it } from "vitest";
import { KvValueCache } from "./kv-value-cache.ts";

function cacheAt(epoch: { now: number }, limits?: { maxBytes?: number; maxValueBytes?: number }) {
  return new KvValueCache(() => epoch.now, limits);
}

describe("KvValueCache", () => {
  it("keeps what reads found and writes stored, absences included", () => {
    const cache = cacheAt({ now: 0 });
    const read = cache.beginRead();
    cache.learn(read, "s", "a", "1");
    cache.learn(read, "s", "missing", null);
    const write = cache.beginWrite("s", ["b"]);
    cache.endWrite(write, [["b", "2"]]);
    expect(cache.lookup("s", "a")).toBe("1");
    expect(cache.lookup("s", "missing")).toBeNull();
    expect(cache.lookup("s", "b")).toBe("2");
    expect(cache.lookup("other", "a")).toBeUndefined();
  });

  it("forgets everything when the epoch moves", () => {
    const epoch = { now: 0 };
    const cache = cacheAt(epoch);
    cache.learn(cache.beginRead(), "s", "a", "1");
    epoch.now = 1;
    expect(cache.lookup("s", "a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("does not learn a read that overlapped a write or an epoch change", () => {
    const epoch = { now: 0 };
    const cache = cacheAt(epoch);
    const before = cache.beginRead();
    const write = cache.beginWrite("s", ["a"]);
    cache.learn(before, "s", "a", "old");
    expect(cache.lookup("s", "a")).toBeUndefined();
    cache.endWrite(write, [["a", "new"]]);
    cache.learn(before, "s", "a", "old");
    expect(cache.lookup("s", "a")).toBe("new");

    const read = cache.beginRead();
    epoch.now = 1;
    cache.learn(read, "s", "a", "stale");
    expect(cache.lookup("s", "a")).toBeUndefined();
  });

  it("a write forgets its keys at once, and overlapping writes record nothing", () => {
    const cache = cacheAt({ now: 0 });
    cache.learn(cache.beginRead(), "s", "a", "0");
    const first = cache.beginWrite("s", ["a"]);
    expect(cache.lookup("s", "a")).toBeUndefined();
    const second = cache.beginWrite("s", ["a"]);
    cache.endWrite(second, [["a", "2"]]);
    cache.endWrite(first, [["a", "1"]]);
    expect(cache.lookup("s", "a")).toBeUndefined();
  });

  it("a failed write forgets its keys; a store-wide write forgets the whole store", () => {
    const cache = cacheAt({ now: 0 });
    const read = cache.beginRead();
    cache.learn(read, "s", "a", "1");
    cache.learn(read, "s", "b", "2");
    cache.learn(read, "t", "a", "3");
    const failed = cache.beginWrite("s", ["a"]);
    cache.failWrite(failed);
    expect(cache.lookup("s", "a")).toBeUndefined();
    expect(cache.lookup("s", "b")).toBe("2");
    const clear = cache.beginWrite("s");
    cache.endWrite(clear);
    expect(cache.lookup("s", "b")).toBeUndefined();
    expect(cache.lookup("t", "a")).toBe("3");
  });

  it("keeps large values out and evicts the least recently used beyond its budget", () => {
    const cache = cacheAt({ now: 0 }, { maxBytes: 1_000, maxValueBytes: 200 });
    const read = cache.beginRead();
    cache.learn(read, "s", "big", "x".repeat(101));
    expect(cache.lookup("s", "big")).toBeUndefined();
    for (let i = 0; i < 20; i++) cache.learn(read, "s", `k${i}`, "v".repeat(50));
    expect(cache.size).toBeLessThan(20);
    expect(cache.lookup("s", "k19")).toBe("v".repeat(50));
    expect(cache.lookup("s", "k0")).toBeUndefined();
  });
});
