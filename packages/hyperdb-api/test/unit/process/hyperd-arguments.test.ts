import { describe, expect, it } from "vitest";
import { buildHyperdArguments } from "../../../src/process/hyperd-arguments.ts";

const base = {
  callbackDescriptor: "tab.tcp://127.0.0.1:4000",
  listenDescriptor: "tab.tcp://localhost:0",
  logDir: "/tmp/logs",
  defaultDatabaseVersion: 4,
};

describe("buildHyperdArguments", () => {
  it("builds the default command line in the documented order", () => {
    expect(buildHyperdArguments(base)).toEqual([
      "run",
      "--callback-connection=tab.tcp://127.0.0.1:4000",
      "--listen-connection=tab.tcp://localhost:0",
      "--init-user=tableau_internal_user",
      "--language=en_US",
      "--log-config=file,json,all,hyperd,0",
      "--date-style=MDY",
      "--date-style-lenient=false",
      "--log-dir=/tmp/logs",
      "--no-password",
      "--skip-license",
      "--default-database-version=4",
    ]);
  });

  it("passes the database version", () => {
    expect(buildHyperdArguments({ ...base, defaultDatabaseVersion: 3 })).toContain(
      "--default-database-version=3",
    );
  });

  it("appends extra parameters with dashes, formatting each value type", () => {
    const args = buildHyperdArguments({
      ...base,
      parameters: { log_connection: true, some_flag: false, memory_limit: 42, session_name: "x y", bare: "" },
    });
    expect(args.slice(-5)).toEqual([
      "--log-connection=true",
      "--some-flag=false",
      "--memory-limit=42",
      "--session-name=x y",
      "--bare",
    ]);
  });

  it("lets a parameter replace a default in place instead of repeating the flag", () => {
    const args = buildHyperdArguments({
      ...base,
      parameters: { date_style: "DMY", "listen-connection": "tab.tcp://localhost:7483" },
    });
    expect(args.filter((arg) => arg.startsWith("--date-style="))).toEqual(["--date-style=DMY"]);
    expect(args[2]).toBe("--listen-connection=tab.tcp://localhost:7483");
    expect(args).toHaveLength(12);
  });

  it("accepts keys given with leading dashes", () => {
    expect(buildHyperdArguments({ ...base, parameters: { "--log-foo": 1 } }).at(-1)).toBe("--log-foo=1");
  });

  it.each(["callback_connection", "log-dir"])("refuses the reserved key %s", (key) => {
    expect(() => buildHyperdArguments({ ...base, parameters: { [key]: "x" } })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
  });

  it.each(["", "a=b", "with space", "-"])("refuses the malformed key %j", (key) => {
    expect(() => buildHyperdArguments({ ...base, parameters: { [key]: "x" } })).toThrow(
      /not a valid setting name/,
    );
  });

  it("refuses non-finite numbers and values of other types", () => {
    expect(() => buildHyperdArguments({ ...base, parameters: { a: Number.NaN } })).toThrow(/finite number/);
    const bad = { a: null } as unknown as Record<string, string>;
    expect(() => buildHyperdArguments({ ...base, parameters: bad })).toThrow(/string, number or boolean/);
  });
});

describe("buildHyperdArguments with a password", () => {
  it("leaves out --no-password so hyperd asks for one", () => {
    const args = buildHyperdArguments({
      callbackDescriptor: "tab.tcp://127.0.0.1:1",
      listenDescriptor: "tab.tcp://localhost:0",
      logDir: "/tmp/logs",
      defaultDatabaseVersion: 4,
      requirePassword: true,
    });
    expect(args).not.toContain("--no-password");
    expect(args).toContain("--skip-license");
  });
});
