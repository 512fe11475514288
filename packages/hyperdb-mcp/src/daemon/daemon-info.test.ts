import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api";
import { describe, expect, it } from "vitest";
import { checkDaemonInfo, formatStartedAt, isDaemonInfo, parseDaemonInfoJson } from "./daemon-info.ts";
import { toDaemonInfo } from "./discovery-file.ts";

const valid = {
  pid: 1234,
  hyperd_endpoint: "127.0.0.1:40000",
  health_port: 7535,
  started_at: "2026-01-02T03:04:05.678Z",
  version: "0.1.0",
  identity: { token: "hyperdb-ts-mcp", state_dir: "/home/u/.hyperdb-ts" },
};

describe("DaemonInfo validation", () => {
  it("accepts a valid object and drops unknown fields", () => {
    const check = checkDaemonInfo({ ...valid, extra: 1, identity: { ...valid.identity, more: true } });
    expect(check).toEqual({ ok: true, info: valid });
    expect(isDaemonInfo(valid)).toBe(true);
    expect(parseDaemonInfoJson(JSON.stringify(valid))).toEqual(valid);
  });

  it.each([
    ["pid", { ...valid, pid: 0 }],
    ["pid", { ...valid, pid: "1" }],
    ["pid", { ...valid, pid: 1.5 }],
    ["hyperd_endpoint", { ...valid, hyperd_endpoint: "" }],
    ["health_port", { ...valid, health_port: 70000 }],
    ["started_at", { ...valid, started_at: "yesterday" }],
    ["version", { ...valid, version: 3 }],
    ["identity", { ...valid, identity: null }],
    ["identity.token", { ...valid, identity: { token: "hyperdb-mcp", state_dir: "/x" } }],
    ["identity.state_dir", { ...valid, identity: { token: "hyperdb-ts-mcp" } }],
  ])("rejects a bad %s", (field, value) => {
    const check = checkDaemonInfo(value);
    expect(check.ok).toBe(false);
    expect(check.ok ? "" : check.reason).toContain(field);
    expect(() => toDaemonInfo(value)).toThrow(InvalidArgumentError);
  });

  it("rejects non-objects and malformed JSON", () => {
    expect(isDaemonInfo(null)).toBe(false);
    expect(isDaemonInfo([valid])).toBe(false);
    expect(parseDaemonInfoJson("{not json")).toBeUndefined();
    expect(parseDaemonInfoJson('{"pid": 1}')).toBeUndefined();
  });

  it("formats started_at as RFC 3339 UTC", () => {
    expect(formatStartedAt(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toBe("2026-01-02T03:04:05.006Z");
    expect(isDaemonInfo({ ...valid, started_at: formatStartedAt() })).toBe(true);
  });
});
