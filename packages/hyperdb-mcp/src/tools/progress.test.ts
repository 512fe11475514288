import { describe, expect, it, vi } from "vitest";
import { ANSWER_GAP_MS, type ProgressContext, progressReporter } from "./progress.ts";

function fakeContext(token: string | undefined, sent: unknown[], fail = false): ProgressContext {
  return {
    mcpReq: {
      _meta: token === undefined ? undefined : { progressToken: token },
      notify: (notification) => {
        if (fail) throw new Error("closed");
        sent.push(notification.params);
        return Promise.resolve();
      },
    },
  };
}

describe("progressReporter", () => {
  it("is quiet in the first second, then rate-limited and increasing; the final step always goes", () => {
    let now = 0;
    const sent: unknown[] = [];
    const reporter = progressReporter(fakeContext("t", sent), () => now);
    reporter.report(1, 10);
    now = 1_000;
    reporter.report(2, 10);
    now = 1_100;
    reporter.report(3, 10);
    now = 1_400;
    reporter.report(2, 10);
    reporter.report(4, 10, "four");
    now = 1_450;
    reporter.report(10, 10);
    expect(sent).toEqual([
      { progressToken: "t", progress: 2, total: 10 },
      { progressToken: "t", progress: 4, total: 10, message: "four" },
      { progressToken: "t", progress: 10, total: 10 },
    ]);
  });

  it("sends nothing without a token and never throws", () => {
    const sent: unknown[] = [];
    let now = 0;
    progressReporter(fakeContext(undefined, sent), () => now).report(5);
    const failing = progressReporter(fakeContext("t", sent, true), () => now);
    now = 2_000;
    expect(() => failing.report(1)).not.toThrow();
    expect(sent).toEqual([]);
  });

  it("heartbeat reports the elapsed seconds while the work runs, and stops after", async () => {
    vi.useFakeTimers();
    try {
      let now = 0;
      const sent: { progress: number; message?: string }[] = [];
      const reporter = progressReporter(fakeContext("t", sent as unknown[]), () => now);
      let finish: (value: number) => void = () => undefined;
      const work = new Promise<number>((resolve) => {
        finish = resolve;
      });
      const waited = reporter.heartbeat(work, "copying");
      for (let second = 1; second <= 3; second++) {
        now = second * 1_000;
        await vi.advanceTimersByTimeAsync(1_000);
      }
      finish(7);
      expect(await waited).toBe(7);
      now = 10_000;
      await vi.advanceTimersByTimeAsync(5_000);
      expect(sent.map((entry) => [entry.progress, entry.message])).toEqual([
        [1, "copying (1 s)"],
        [2, "copying (2 s)"],
        [3, "copying (3 s)"],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("settles no sooner than the answer gap after the last notification", async () => {
    vi.useFakeTimers();
    try {
      let now = 2_000;
      const reporter = progressReporter(fakeContext("t", []), () => now);
      now = 3_000;
      reporter.report(1, 1);
      let settled = false;
      const done = reporter.settled().then(() => {
        settled = true;
      });
      await vi.advanceTimersByTimeAsync(ANSWER_GAP_MS - 10);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(20);
      await done;
      expect(settled).toBe(true);
      // Long after the last notification, settling waits for nothing.
      now = 10_000;
      let again = false;
      const quick = reporter.settled().then(() => {
        again = true;
      });
      await vi.advanceTimersByTimeAsync(0);
      await quick;
      expect(again).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
