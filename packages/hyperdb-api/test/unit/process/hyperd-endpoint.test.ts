import { describe, expect, it } from "vitest";
import { domainSocketDescriptor, parseEndpointDescriptor } from "../../../src/process/hyperd-endpoint.ts";

describe("parseEndpointDescriptor", () => {
  it("parses TCP descriptors", () => {
    expect(parseEndpointDescriptor("tab.tcp://127.0.0.1:17000")).toEqual({
      kind: "tcp",
      host: "127.0.0.1",
      port: 17000,
    });
    expect(parseEndpointDescriptor("tab.tcp://localhost:1")).toEqual({
      kind: "tcp",
      host: "localhost",
      port: 1,
    });
    expect(parseEndpointDescriptor("tab.tcp://[::1]:7483")).toEqual({ kind: "tcp", host: "::1", port: 7483 });
  });

  it("parses domain socket descriptors; /domain/ is a separator", () => {
    expect(parseEndpointDescriptor("tab.domain:///tmp/sock/domain/hyper")).toEqual({
      kind: "unix",
      path: "/tmp/sock/hyper",
    });
    expect(parseEndpointDescriptor("tab.domain:///tmp/domain/x/domain/hyper")).toEqual({
      kind: "unix",
      path: "/tmp/domain/x/hyper",
    });
  });

  it.each([
    "",
    "tcp://127.0.0.1:1",
    "tab.tcp://127.0.0.1",
    "tab.tcp://:5432",
    "tab.tcp://host:0",
    "tab.tcp://host:65536",
    "tab.tcp://host:12a",
    "tab.domain:///tmp/hyper",
    "tab.domain:///tmp/domain/",
    "tab.pipe://./pipe/hyper",
  ])("rejects %j", (descriptor) => {
    expect(parseEndpointDescriptor(descriptor)).toBeUndefined();
  });

  it("round-trips domainSocketDescriptor", () => {
    const descriptor = domainSocketDescriptor("/tmp/abc", "hyper");
    expect(descriptor).toBe("tab.domain:///tmp/abc/domain/hyper");
    expect(parseEndpointDescriptor(descriptor)).toEqual({ kind: "unix", path: "/tmp/abc/hyper" });
  });
});
