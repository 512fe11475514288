import { describe, expect, it } from "vitest";
import { lazy } from "./lazy-schema.ts";

describe("lazy", () => {
  it("builds on the first call only, and returns the same value after", () => {
    let builds = 0;
    const value = lazy(() => {
      builds++;
      return { built: builds };
    });
    expect(builds).toBe(0);
    const first = value();
    expect(value()).toBe(first);
    expect(builds).toBe(1);
  });

  it("builds again after a failed build", () => {
    let attempts = 0;
    const value = lazy(() => {
      attempts++;
      if (attempts === 1) throw new Error("first build fails");
      return attempts;
    });
    expect(() => value()).toThrow("first build fails");
    expect(value()).toBe(2);
  });
});
