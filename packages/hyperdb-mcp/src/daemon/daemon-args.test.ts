import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api";
import { describe, expect, it } from "vitest";
import { parseDaemonArgs } from "./daemon-args.ts";

describe("parseDaemonArgs", () => {
  it("parses port and idle timeout in both spellings", () => {
    expect(parseDaemonArgs(["daemon"])).toEqual({ port: undefined, idleTimeoutSec: undefined });
    expect(parseDaemonArgs(["daemon", "--port", "7540", "--idle-timeout", "30"])).toEqual({
      port: 7540,
      idleTimeoutSec: 30,
    });
    expect(parseDaemonArgs(["daemon", "--port=7541", "--idle-timeout=0"])).toEqual({
      port: 7541,
      idleTimeoutSec: null,
    });
  });

  it.each([
    [[]],
    [["serve"]],
    [["daemon", "--port"]],
    [["daemon", "--port", "0"]],
    [["daemon", "--port", "x"]],
    [["daemon", "--idle-timeout", "-5"]],
    [["daemon", "--frob"]],
  ])("rejects %j", (argv) => {
    expect(() => parseDaemonArgs(argv)).toThrow(InvalidArgumentError);
  });
});
