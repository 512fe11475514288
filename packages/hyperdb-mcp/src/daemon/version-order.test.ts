import { describe, expect, it } from "vitest";
import { compareVersions, shouldTakeOver } from "./version-order.ts";

describe("compareVersions", () => {
  it.each([
    ["0.2.0", "0.1.9", 1],
    ["1.0.0", "1.0.0", 0],
    ["1.0.0", "1.0.1", -1],
    ["1.10.0", "1.9.0", 1],
    ["1.0.0-alpha", "1.0.0", -1],
    ["1.0.0-alpha.2", "1.0.0-alpha.10", -1],
    ["1.0.0-alpha.beta", "1.0.0-alpha.1", 1],
    ["1.0.0+abc", "1.0.0", 0],
  ] as const)("%s vs %s = %i", (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });

  it("is undefined for unparseable versions", () => {
    expect(compareVersions("", "1.0.0")).toBeUndefined();
    expect(compareVersions("1.0", "1.0.0")).toBeUndefined();
    expect(compareVersions("1.0.0", "0.0.0-unknown!")).toBeUndefined();
  });
});

describe("shouldTakeOver", () => {
  it("takes over only from a strictly older daemon", () => {
    expect(shouldTakeOver("0.2.0", "0.1.0")).toBe(true);
    expect(shouldTakeOver("0.1.0", "0.1.0")).toBe(false);
    expect(shouldTakeOver("0.1.0", "0.2.0")).toBe(false);
    expect(shouldTakeOver("garbage", "0.1.0")).toBe(false);
    expect(shouldTakeOver("0.2.0", "garbage")).toBe(false);
  });
});
