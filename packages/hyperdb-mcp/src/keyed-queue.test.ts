import { describe, expect, it } from "vitest";
import { KeyedQueue } from "./keyed-queue.ts";

describe("KeyedQueue", () => {
  it("runs work of one key one after another, past failures, and other keys alongside", async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    let release: () => void = () => undefined;
    const blocker = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = queue.run("a", async () => {
      await blocker;
      order.push("a1");
      throw new Error("a1 failed");
    });
    const second = queue.run("a", async () => {
      order.push("a2");
      return 2;
    });
    const other = queue.run("b", async () => {
      order.push("b1");
      return "b";
    });
    expect(await other).toBe("b");
    expect(order).toEqual(["b1"]);
    release();
    await expect(first).rejects.toThrow("a1 failed");
    expect(await second).toBe(2);
    expect(order).toEqual(["b1", "a1", "a2"]);
  });
});
