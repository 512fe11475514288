import { describe, expect, it } from "vitest";
import { QUERY_TIMEOUT_ENV, readQueryTimeout } from "./query-timeout.ts";

describe("readQueryTimeout", () => {
  it("is off when unset, empty or 0", () => {
    expect(readQueryTimeout({})).toEqual({ timeoutMs: undefined });
    expect(readQueryTimeout({ [QUERY_TIMEOUT_ENV]: " " })).toEqual({ timeoutMs: undefined });
    expect(readQueryTimeout({ [QUERY_TIMEOUT_ENV]: "0" })).toEqual({ timeoutMs: undefined });
  });

  it("reads a positive number of milliseconds", () => {
    expect(readQueryTimeout({ [QUERY_TIMEOUT_ENV]: "30000" })).toEqual({ timeoutMs: 30_000 });
    expect(readQueryTimeout({ [QUERY_TIMEOUT_ENV]: " 250 " })).toEqual({ timeoutMs: 250 });
  });

  it("ignores malformed values with a warning", () => {
    for (const raw of ["-5", "1.5", "10s", "abc", "99999999999999999999"]) {
      const setting = readQueryTimeout({ [QUERY_TIMEOUT_ENV]: raw });
      expect(setting.timeoutMs).toBeUndefined();
      expect(setting.warning).toContain(QUERY_TIMEOUT_ENV);
    }
  });
});
