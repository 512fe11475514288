import { describe, expect, it } from "vitest";
import { PacedQueue } from "./paced-queue.ts";

function tracked() {
  const events: string[] = [];
  const queue = new PacedQueue<string>(4, (item) => item.length);
  queue.attach({ pause: () => events.push("pause"), resume: () => events.push("resume") });
  return { queue, events };
}

describe("PacedQueue", () => {
  it("pauses the producer at the high-water mark and resumes below half of it", async () => {
    const { queue, events } = tracked();
    queue.push("ab");
    expect(events).toEqual([]);
    queue.push("cd");
    expect(events).toEqual(["pause"]);
    expect(await queue.next()).toBe("ab");
    expect(events).toEqual(["pause", "resume"]);
  });

  it("hands items to a consumer that is already waiting", async () => {
    const { queue } = tracked();
    const pending = queue.next();
    queue.push("x");
    expect(await pending).toBe("x");
  });

  it("delivers buffered items before the failure it ended with, then keeps failing", async () => {
    const { queue } = tracked();
    queue.push("a");
    queue.end(new Error("boom"));
    expect(await queue.next()).toBe("a");
    await expect(queue.next()).rejects.toThrow("boom");
    await expect(queue.next()).rejects.toThrow("boom");
  });

  it("ends with null, and discard drops items and resumes the producer", async () => {
    const { queue, events } = tracked();
    queue.push("abcd");
    queue.discard();
    expect(events).toEqual(["pause", "resume"]);
    queue.end();
    expect(await queue.next()).toBeNull();
    expect(queue.isOpen).toBe(false);
  });
});
