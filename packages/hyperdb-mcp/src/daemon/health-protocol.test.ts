import { describe, expect, it } from "vitest";
import {
  DAEMON_IDENTITY_TOKEN,
  formatPong,
  HealthCommand,
  isOurPong,
  parseCommand,
  parsePong,
} from "./health-protocol.ts";

describe("parseCommand", () => {
  it("recognises every command, ignoring surrounding whitespace and CR", () => {
    for (const command of Object.values(HealthCommand)) {
      expect(parseCommand(command)).toBe(command);
      expect(parseCommand(` ${command}\r`)).toBe(command);
    }
  });

  it("rejects unknown, lower-case and empty lines", () => {
    expect(parseCommand("ping")).toBeUndefined();
    expect(parseCommand("PINGX")).toBeUndefined();
    expect(parseCommand("PING extra")).toBeUndefined();
    expect(parseCommand("")).toBeUndefined();
  });
});

describe("PONG identity", () => {
  it("round-trips our PONG", () => {
    const line = formatPong("1.2.3");
    expect(line).toBe(`PONG ${DAEMON_IDENTITY_TOKEN} 1.2.3`);
    expect(parsePong(line)).toEqual({ version: "1.2.3" });
    expect(isOurPong(line)).toBe(true);
  });

  it("accepts a PONG without version and extra whitespace", () => {
    expect(parsePong("PONG hyperdb-ts-mcp")).toEqual({ version: "" });
    expect(parsePong("  PONG \t hyperdb-ts-mcp   0.1.0 \r")).toEqual({ version: "0.1.0" });
  });

  it("rejects the upstream identity, look-alikes and junk", () => {
    expect(isOurPong("PONG hyperdb-mcp 0.7.3")).toBe(false);
    expect(isOurPong("PONG hyperdb-ts-mcpEVIL 1.0.0")).toBe(false);
    expect(isOurPong("PONGhyperdb-ts-mcp 1.0.0")).toBe(false);
    expect(isOurPong("pong hyperdb-ts-mcp 1.0.0")).toBe(false);
    expect(isOurPong("HTTP/1.1 400 Bad Request")).toBe(false);
    expect(isOurPong("")).toBe(false);
  });
});
