import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors/index.ts";
import { formatEndpoint, parseEndpoint } from "../../src/transport/endpoint.ts";

describe("parseEndpoint", () => {
  it("reads host:port and hyperd's tab.tcp descriptor", () => {
    expect(parseEndpoint("localhost:7483")).toEqual({ kind: "tcp", host: "localhost", port: 7483 });
    expect(parseEndpoint("tab.tcp://127.0.0.1:17000")).toEqual({
      kind: "tcp",
      host: "127.0.0.1",
      port: 17000,
    });
    expect(parseEndpoint("[::1]:5000")).toEqual({ kind: "tcp", host: "::1", port: 5000 });
  });

  it("reads Unix socket spellings; /domain/ is a separator, not a folder", () => {
    expect(parseEndpoint("tab.domain:///tmp/hyper-1/domain/hyper")).toEqual({
      kind: "unix",
      path: "/tmp/hyper-1/hyper",
    });
    expect(parseEndpoint("/run/hyper.sock")).toEqual({ kind: "unix", path: "/run/hyper.sock" });
  });

  it("rejects junk with a typed error", () => {
    for (const bad of ["", "localhost", "host:0", "host:70000", "tab.domain:///tmp/x"]) {
      expect(() => parseEndpoint(bad), bad).toThrow(InvalidArgumentError);
    }
  });

  it("formats endpoints for messages", () => {
    expect(formatEndpoint({ kind: "tcp", host: "::1", port: 1 })).toBe("[::1]:1");
    expect(formatEndpoint({ kind: "unix", path: "/s" })).toBe("/s");
  });
});
