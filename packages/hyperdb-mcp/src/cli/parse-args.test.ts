import { describe, expect, it } from "vitest";
import { parseArgs } from "./parse-args.ts";

const NO_FLAGS = {
  persistentDb: undefined,
  ephemeralOnly: false,
  readOnly: false,
  noDaemon: false,
  usedWorkspaceAlias: false,
};

describe("parseArgs", () => {
  it("runs the stdio server without arguments", () => {
    expect(parseArgs([])).toEqual({ ok: true, command: { kind: "serve" }, flags: NO_FLAGS });
  });

  it("reads the global flags before and after a subcommand", () => {
    const before = parseArgs([
      "--read-only",
      "--no-daemon",
      "--persistent-db",
      "/data/w.hyper",
      "doctor",
      "--json",
    ]);
    const after = parseArgs([
      "doctor",
      "--json",
      "--read-only",
      "--no-daemon",
      "--persistent-db=/data/w.hyper",
    ]);
    const expected = {
      ok: true,
      command: { kind: "doctor", json: true },
      flags: { ...NO_FLAGS, readOnly: true, noDaemon: true, persistentDb: "/data/w.hyper" },
    };
    expect(before).toEqual(expected);
    expect(after).toEqual(expected);
  });

  it("parses the daemon commands", () => {
    expect(parseArgs(["daemon", "--port", "7600", "--idle-timeout", "1800"])).toMatchObject({
      command: { kind: "daemon", port: 7600, idleTimeoutSec: 1800 },
    });
    expect(parseArgs(["daemon"])).toMatchObject({ command: { kind: "daemon", port: undefined } });
    expect(parseArgs(["daemon", "stop", "--port", "7601"])).toMatchObject({
      command: { kind: "daemon-stop", port: 7601 },
    });
    expect(parseArgs(["daemon", "status"])).toMatchObject({ command: { kind: "daemon-status" } });
  });

  it("accepts --workspace as the old name of --persistent-db", () => {
    expect(parseArgs(["--workspace", "~/w.hyper"])).toMatchObject({
      flags: { persistentDb: "~/w.hyper", usedWorkspaceAlias: true },
    });
  });

  it("lets --help and --version win over everything else", () => {
    expect(parseArgs(["daemon", "--help"])).toMatchObject({ command: { kind: "help" } });
    expect(parseArgs(["-V"])).toMatchObject({ command: { kind: "version" } });
  });

  it.each([
    [["--bogus"], "unknown option '--bogus'"],
    [["serve"], "unknown command 'serve'"],
    [["daemon", "restart"], "unknown daemon command 'restart'"],
    [["--port", "70000", "daemon"], "--port needs a port number"],
    [["daemon", "--port"], "--port needs a port number"],
    [["daemon", "--idle-timeout", "0"], "--idle-timeout needs a number of seconds"],
    [["--json"], "--json is only valid with doctor"],
    [["--port", "7600"], "--port is only valid with daemon"],
    [["daemon", "status", "--port", "1"], "--port is only valid with daemon or daemon stop"],
    [["--persistent-db"], "--persistent-db needs a file path"],
    [["--ephemeral-only", "--persistent-db", "/x.hyper"], "--ephemeral-only cannot be combined"],
    [["--workspace", "/a.hyper", "--persistent-db", "/b.hyper"], "give only one of them"],
    [["doctor", "extra"], "unexpected argument 'extra'"],
  ])("refuses %j", (argv, message) => {
    const parsed = parseArgs(argv);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.message).toContain(message);
  });
});
