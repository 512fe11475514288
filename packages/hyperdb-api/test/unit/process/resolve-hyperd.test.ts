import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HyperdNotFoundError } from "../../../src/process/errors.ts";
import { hyperdPackageName, resolveHyperdPath } from "../../../src/process/resolve-hyperd.ts";

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "resolve-hyperd-"));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function touch(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, "");
  chmodSync(path, 0o755);
  return path;
}

/** Options that make step 3 (npm package) find nothing: no package exists for this platform. */
const noPackage = { platform: "linux", arch: "riscv64" } as const;

function notFound(run: () => unknown): HyperdNotFoundError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HyperdNotFoundError);
    return error as HyperdNotFoundError;
  }
  throw new Error("expected HyperdNotFoundError");
}

describe("resolveHyperdPath", () => {
  it("uses an explicit file path first", () => {
    const explicit = touch(join(root, "explicit", "hyperd"));
    const env = { HYPERD_PATH: touch(join(root, "env", "hyperd")) };
    expect(resolveHyperdPath({ explicitPath: explicit, env })).toBe(explicit);
  });

  it("accepts an explicit directory containing hyperd", () => {
    const file = touch(join(root, "bin", "hyperd"));
    expect(resolveHyperdPath({ explicitPath: join(root, "bin"), env: {} })).toBe(file);
  });

  it("fails at step 1 for an explicit path that does not exist, without looking further", () => {
    const env = { HYPERD_PATH: touch(join(root, "env", "hyperd")) };
    const error = notFound(() => resolveHyperdPath({ explicitPath: join(root, "missing"), env }));
    expect(error.code).toBe("HYPERD_NOT_FOUND");
    expect(error.message).toContain("given explicitly");
    expect(error.message).toContain(join(root, "missing"));
  });

  it("fails for an explicit directory without hyperd", () => {
    mkdirSync(join(root, "empty"));
    expect(notFound(() => resolveHyperdPath({ explicitPath: join(root, "empty"), env: {} })).message).toMatch(
      /has no hyperd/,
    );
  });

  it("uses HYPERD_PATH as a file or a directory", () => {
    const file = touch(join(root, "env", "hyperd"));
    expect(resolveHyperdPath({ env: { HYPERD_PATH: file } })).toBe(file);
    expect(resolveHyperdPath({ env: { HYPERD_PATH: join(root, "env") } })).toBe(file);
  });

  it("uses hyperd.exe on Windows", () => {
    const file = touch(join(root, "env", "hyperd.exe"));
    expect(
      resolveHyperdPath({ env: { HYPERD_PATH: join(root, "env") }, platform: "win32", arch: "x64" }),
    ).toBe(file);
  });

  it("fails at step 2 for a HYPERD_PATH that does not exist, even if hyperd is elsewhere", () => {
    touch(join(root, ".hyperd", "current", "hyperd"));
    const error = notFound(() =>
      resolveHyperdPath({ env: { HYPERD_PATH: join(root, "nope") }, cwd: root, ...noPackage }),
    );
    expect(error.message).toContain("HYPERD_PATH");
    expect(error.message).toContain(join(root, "nope"));
  });

  it("ignores an empty HYPERD_PATH", () => {
    const file = touch(join(root, ".hyperd", "current", "hyperd"));
    expect(resolveHyperdPath({ env: { HYPERD_PATH: "" }, cwd: root, ...noPackage })).toBe(file);
  });

  const packageName = hyperdPackageName(process.platform, process.arch);
  it.skipIf(packageName === undefined)("finds the installed platform package", () => {
    const found = resolveHyperdPath({ env: {}, cwd: root });
    expect(found).toMatch(new RegExp(`${packageName}[\\\\/]hyperd(\\.exe)?$`));
  });

  it("finds .hyperd/current/hyperd in an ancestor of cwd", () => {
    const file = touch(join(root, ".hyperd", "current", "hyperd"));
    const cwd = join(root, "a", "b", "c");
    mkdirSync(cwd, { recursive: true });
    expect(resolveHyperdPath({ env: {}, cwd, ...noPackage })).toBe(file);
  });

  it("prefers the nearest .hyperd directory", () => {
    touch(join(root, ".hyperd", "current", "hyperd"));
    const nearer = touch(join(root, "a", ".hyperd", "current", "hyperd"));
    mkdirSync(join(root, "a", "b"), { recursive: true });
    expect(resolveHyperdPath({ env: {}, cwd: join(root, "a", "b"), ...noPackage })).toBe(nearer);
  });

  it("names all four places when nothing is found", () => {
    const cwd = join(root, "x");
    mkdirSync(cwd);
    const { message } = notFound(() =>
      resolveHyperdPath({ env: {}, cwd, platform: "darwin", arch: "arm64" }),
    );
    expect(message).toContain("explicit path: not given");
    expect(message).toContain("HYPERD_PATH environment variable: not set");
    expect(message).toContain("npm package hyperdb-mcp-darwin-arm64: not installed");
    expect(message).toContain(join(cwd, ".hyperd", "current", "hyperd"));
    expect(message).toContain(join(root, ".hyperd", "current", "hyperd"));
  });

  it("says when no package exists for the platform", () => {
    const { message } = notFound(() => resolveHyperdPath({ env: {}, cwd: root, ...noPackage }));
    expect(message).toContain("not published for linux-riscv64");
  });
});

describe("hyperdPackageName", () => {
  it("maps supported platforms", () => {
    expect(hyperdPackageName("linux", "x64")).toBe("hyperdb-mcp-linux-x64-gnu");
    expect(hyperdPackageName("darwin", "arm64")).toBe("hyperdb-mcp-darwin-arm64");
    expect(hyperdPackageName("win32", "x64")).toBe("hyperdb-mcp-win32-x64-msvc");
    expect(hyperdPackageName("darwin", "x64")).toBeUndefined();
  });
});
