import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api";
import { describe, expect, it } from "vitest";
import type { DaemonInfo } from "./daemon-info.ts";
import type { PortInspection } from "./health-client.ts";
import {
  DEFAULT_BASE_PORT,
  DEFAULT_SCAN_SPAN,
  resolveBasePort,
  resolveScanRange,
  scanPorts,
} from "./port-scan.ts";

const info: DaemonInfo = {
  pid: 1,
  hyperd_endpoint: "127.0.0.1:1",
  health_port: 7537,
  started_at: "2026-01-01T00:00:00Z",
  version: "0.1.0",
  identity: { token: "hyperdb-ts-mcp", state_dir: "/s" },
};

function fake(map: Record<number, "ours" | "foreign" | "free">) {
  const seen: number[] = [];
  const inspect = async (port: number): Promise<PortInspection> => {
    seen.push(port);
    const kind = map[port] ?? "foreign";
    if (kind === "ours") {
      return { kind, port, info: { ...info, health_port: port }, version: "0.1.0" };
    }
    return kind === "free" ? { kind, port } : { kind, port, reason: "test" };
  };
  return { inspect, seen };
}

describe("resolveBasePort / resolveScanRange", () => {
  it("defaults to 7535 with a span of 16", () => {
    expect(resolveBasePort({})).toBe(7535);
    expect(resolveScanRange({})).toEqual({ base: DEFAULT_BASE_PORT, span: DEFAULT_SCAN_SPAN });
    expect(DEFAULT_SCAN_SPAN).toBe(16);
  });

  it("pins one port with HYPERDB_DAEMON_PORT", () => {
    expect(resolveBasePort({ HYPERDB_DAEMON_PORT: "9000" })).toBe(9000);
    expect(resolveScanRange({ HYPERDB_DAEMON_PORT: " 9000 " })).toEqual({ base: 9000, span: 1 });
    expect(resolveBasePort({ HYPERDB_DAEMON_PORT: "" })).toBe(7535);
  });

  it("moves the scanned range with HYPERDB_DAEMON_BASE_PORT unless a port is pinned", () => {
    expect(resolveScanRange({ HYPERDB_DAEMON_BASE_PORT: "20000" })).toEqual({ base: 20_000, span: 16 });
    expect(resolveBasePort({ HYPERDB_DAEMON_BASE_PORT: "20000" })).toBe(20_000);
    expect(resolveScanRange({ HYPERDB_DAEMON_BASE_PORT: "20000", HYPERDB_DAEMON_PORT: "9000" })).toEqual({
      base: 9000,
      span: 1,
    });
    expect(() => resolveScanRange({ HYPERDB_DAEMON_BASE_PORT: "65530" })).toThrow(InvalidArgumentError);
    expect(() => resolveScanRange({ HYPERDB_DAEMON_BASE_PORT: "x" })).toThrow(InvalidArgumentError);
  });

  it.each(["abc", "0", "65536", "-1", "90.5", "1e3"])("rejects HYPERDB_DAEMON_PORT=%s", (value) => {
    expect(() => resolveBasePort({ HYPERDB_DAEMON_PORT: value })).toThrow(InvalidArgumentError);
  });
});

describe("scanPorts decision", () => {
  it("prefers the lowest port with our daemon over any free port", async () => {
    const { inspect } = fake({ 100: "free", 101: "foreign", 102: "ours", 103: "ours" });
    const result = await scanPorts({ base: 100, span: 4, inspect });
    expect(result).toMatchObject({ kind: "ours", port: 102 });
  });

  it("falls back to the lowest free port", async () => {
    const { inspect, seen } = fake({ 100: "foreign", 101: "free", 102: "free" });
    expect(await scanPorts({ base: 100, span: 3, inspect })).toEqual({ kind: "free", port: 101 });
    expect(seen.sort()).toEqual([100, 101, 102]);
  });

  it("reports all-occupied", async () => {
    const { inspect } = fake({});
    expect(await scanPorts({ base: 100, span: 2, inspect })).toEqual({ kind: "all-occupied" });
  });

  it("rejects an invalid range", async () => {
    const { inspect } = fake({});
    await expect(scanPorts({ base: 0, span: 1, inspect })).rejects.toThrow(InvalidArgumentError);
    await expect(scanPorts({ base: 100, span: 0, inspect })).rejects.toThrow(InvalidArgumentError);
    await expect(scanPorts({ base: 65_535, span: 2, inspect })).rejects.toThrow(InvalidArgumentError);
  });
});
