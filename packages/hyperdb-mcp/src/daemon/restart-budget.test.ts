import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api";
import { describe, expect, it } from "vitest";
import { RestartBudget } from "./restart-budget.ts";

describe("RestartBudget", () => {
  it("allows 3 attempts per rolling 60 s and rejects the 4th", () => {
    const budget = new RestartBudget();
    expect(budget.tryAttempt(0)).toBe(true);
    expect(budget.tryAttempt(10_000)).toBe(true);
    expect(budget.tryAttempt(20_000)).toBe(true);
    expect(budget.tryAttempt(59_999)).toBe(false);
    expect(budget.attemptsInWindow(59_999)).toBe(3);
  });

  it("prunes attempts older than the window", () => {
    const budget = new RestartBudget();
    budget.tryAttempt(0);
    budget.tryAttempt(10_000);
    budget.tryAttempt(20_000);
    expect(budget.tryAttempt(60_000)).toBe(true); // the attempt at 0 has left the window
    expect(budget.attemptsInWindow(60_000)).toBe(3);
    expect(budget.tryAttempt(69_999)).toBe(false);
    expect(budget.attemptsInWindow(200_000)).toBe(0);
  });

  it("does not count a rejected attempt", () => {
    const budget = new RestartBudget({ limit: 1, windowMs: 100 });
    expect(budget.tryAttempt(0)).toBe(true);
    expect(budget.tryAttempt(50)).toBe(false);
    expect(budget.tryAttempt(100)).toBe(true);
  });

  it("rejects a bad configuration", () => {
    expect(() => new RestartBudget({ limit: 0 })).toThrow(InvalidArgumentError);
    expect(() => new RestartBudget({ windowMs: 0 })).toThrow(InvalidArgumentError);
  });
});
