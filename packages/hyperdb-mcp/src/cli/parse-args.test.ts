import { describe, expect, it } from "vitest";
import { parseArgs, parseHttpListen } from "./parse-args.ts";

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

  it("serves over HTTP with --http, on loopback unless a host is given", () => {
    expect(parseArgs(["--http", "8080"])).toEqual({
      ok: true,
      command: { kind: "serve-http", listen: { host: "127.0.0.1", port: 8080 }, tokenFile: undefined },
      flags: NO_FLAGS,
    });
    expect(parseArgs(["--read-only", "--http=0.0.0.0:9000", "--http-token-file", "/run/token"])).toEqual({
      ok: true,
      command: { kind: "serve-http", listen: { host: "0.0.0.0", port: 9000 }, tokenFile: "/run/token" },
      flags: { ...NO_FLAGS, readOnly: true },
    });
  });

  it.each([
    ["8080", { host: "127.0.0.1", port: 8080 }],
    ["localhost:8080", { host: "127.0.0.1", port: 8080 }],
    ["LOCALHOST:1", { host: "127.0.0.1", port: 1 }],
    ["127.0.0.1:65535", { host: "127.0.0.1", port: 65_535 }],
    ["0.0.0.0:8080", { host: "0.0.0.0", port: 8080 }],
    ["[::1]:8080", { host: "::1", port: 8080 }],
    ["[::]:8080", { host: "::", port: 8080 }],
    ["db.example.com:443", { host: "db.example.com", port: 443 }],
  ])("reads --http %s", (value, expected) => {
    expect(parseHttpListen(value)).toEqual(expected);
  });

  it.each(["", "0", "65536", ":8080", "host:", "host", "::1:8080", "[::1]", "8080:host", "1.2.3.4:80x"])(
    "refuses --http %j",
    (value) => {
      expect(parseHttpListen(value)).toBeUndefined();
    },
  );

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
    [["--http"], "--http needs [HOST:]PORT"],
    [["--http", "0.0.0.0"], "--http needs [HOST:]PORT"],
    [["doctor", "--http", "8080"], "--http is only valid without a command"],
    [["daemon", "--http-token-file", "/t"], "--http-token-file is only valid without a command"],
    [["--http-token-file", "/t"], "--http-token-file is only valid with --http"],
    [["--http", "8080", "--http-token-file"], "--http-token-file needs a file path"],
  ])("refuses %j", (argv, message) => {
    const parsed = parseArgs(argv);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.message).toContain(message);
  });
});
