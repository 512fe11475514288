import { describe, expect, it } from "vitest";
import { judgeProbe } from "./watchdog-policy.ts";

const ok = { kind: "ok" } as const;
const error = { kind: "error", message: "connection refused" } as const;
const deadline = { kind: "deadline", deadlineMs: 5000 } as const;

describe("judgeProbe", () => {
  it("is healthy after a successful probe and clears failures", () => {
    expect(judgeProbe(1, ok, true)).toMatchObject({ action: "healthy", consecutiveFailures: 0 });
  });

  it("suspects after one error and restarts after two in a row", () => {
    const first = judgeProbe(0, error, true);
    expect(first).toMatchObject({ action: "suspect", consecutiveFailures: 1 });
    expect(judgeProbe(first.consecutiveFailures, error, true)).toMatchObject({
      action: "restart",
      consecutiveFailures: 2,
    });
    expect(judgeProbe(judgeProbe(1, ok, true).consecutiveFailures, error, true).action).toBe("suspect");
  });

  it("restarts at once on a deadline miss of a live process", () => {
    const verdict = judgeProbe(0, deadline, true);
    expect(verdict.action).toBe("restart");
    expect(verdict.reason).toContain("5000 ms");
  });

  it("restarts whenever the process has exited", () => {
    expect(judgeProbe(0, ok, false).action).toBe("restart");
    expect(judgeProbe(0, error, false).reason).toContain("exited");
  });
});
