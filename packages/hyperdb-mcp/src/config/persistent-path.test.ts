import { describe, expect, it } from "vitest";
import { type PathEnvironment, resolvePersistentPath } from "./persistent-path.ts";

function environment(overrides: Partial<PathEnvironment> = {}): PathEnvironment {
  return { env: {}, homedir: "/home/ada", platform: "linux", cwd: "/work", ...overrides };
}

describe("resolvePersistentPath", () => {
  it("prefers the flag, then the environment, then the platform default", () => {
    const env = { HYPERDB_PERSISTENT_DB: "/env/w.hyper" };
    expect(resolvePersistentPath("/flag/w.hyper", environment({ env }))).toEqual({
      path: "/flag/w.hyper",
      source: "flag",
    });
    expect(resolvePersistentPath(undefined, environment({ env }))).toEqual({
      path: "/env/w.hyper",
      source: "env",
    });
    expect(resolvePersistentPath(undefined, environment())).toEqual({
      path: "/home/ada/.local/share/hyperdb-ts/workspace.hyper",
      source: "default",
    });
  });

  it("expands ~/ and makes relative paths absolute", () => {
    expect(resolvePersistentPath("~/data/w.hyper", environment()).path).toBe("/home/ada/data/w.hyper");
    expect(resolvePersistentPath("rel/w.hyper", environment()).path).toBe("/work/rel/w.hyper");
  });

  it("uses each platform's data folder, never the upstream server's", () => {
    expect(resolvePersistentPath(undefined, environment({ env: { XDG_DATA_HOME: "/xdg" } })).path).toBe(
      "/xdg/hyperdb-ts/workspace.hyper",
    );
    expect(resolvePersistentPath(undefined, environment({ platform: "darwin" })).path).toBe(
      "/home/ada/Library/Application Support/hyperdb-ts/workspace.hyper",
    );
    const windows = resolvePersistentPath(
      undefined,
      environment({ platform: "win32", env: { APPDATA: "/appdata" } }),
    );
    expect(windows.path).toMatch(/appdata.hyperdb-ts.workspace\.hyper$/);
  });
});
