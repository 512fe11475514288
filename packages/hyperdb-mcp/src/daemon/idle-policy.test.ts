import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api";
import { describe, expect, it } from "vitest";
import { idleCheckIntervalMs, isIdleExpired, resolveIdleTimeoutSec } from "./idle-policy.ts";

describe("resolveIdleTimeoutSec", () => {
  it("is resident (null) without flag or environment", () => {
    expect(resolveIdleTimeoutSec(undefined, {})).toBeNull();
    expect(resolveIdleTimeoutSec(undefined, { HYPERDB_DAEMON_IDLE_TIMEOUT: " " })).toBeNull();
  });

  it("takes the flag, then the environment; the flag wins", () => {
    expect(resolveIdleTimeoutSec(30, {})).toBe(30);
    expect(resolveIdleTimeoutSec(undefined, { HYPERDB_DAEMON_IDLE_TIMEOUT: "1800" })).toBe(1800);
    expect(resolveIdleTimeoutSec(5, { HYPERDB_DAEMON_IDLE_TIMEOUT: "1800" })).toBe(5);
    expect(resolveIdleTimeoutSec(null, { HYPERDB_DAEMON_IDLE_TIMEOUT: "1800" })).toBeNull();
  });

  it("treats 0 as resident", () => {
    expect(resolveIdleTimeoutSec(0, {})).toBeNull();
    expect(resolveIdleTimeoutSec(undefined, { HYPERDB_DAEMON_IDLE_TIMEOUT: "0" })).toBeNull();
  });

  it.each(["abc", "-1", "1.5", "1e3"])("rejects HYPERDB_DAEMON_IDLE_TIMEOUT=%s", (value) => {
    expect(() => resolveIdleTimeoutSec(undefined, { HYPERDB_DAEMON_IDLE_TIMEOUT: value })).toThrow(
      InvalidArgumentError,
    );
  });

  it("rejects a bad flag", () => {
    expect(() => resolveIdleTimeoutSec(-1, {})).toThrow(InvalidArgumentError);
    expect(() => resolveIdleTimeoutSec(0.5, {})).toThrow(InvalidArgumentError);
  });
});

describe("idle decision", () => {
  it("expires only when enabled and the timeout has fully elapsed", () => {
    expect(isIdleExpired(0, 1_000_000, null)).toBe(false);
    expect(isIdleExpired(1000, 2999, 2)).toBe(false);
    expect(isIdleExpired(1000, 3000, 2)).toBe(true);
  });

  it("checks at a quarter of the timeout, between 250 ms and 10 s", () => {
    expect(idleCheckIntervalMs(1)).toBe(250);
    expect(idleCheckIntervalMs(4)).toBe(1000);
    expect(idleCheckIntervalMs(1800)).toBe(10_000);
  });
});
