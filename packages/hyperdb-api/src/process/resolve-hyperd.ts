import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { HyperdNotFoundError } from "./errors.ts";

// Not `import … from "node:fs"`: that builds an ES module facade of the whole fs module (loading
// its streams), a cost paid before hyperd can start by a supervisor that needs nothing else of fs.
const { statSync } = process.getBuiltinModule("node:fs");

/** Options of {@link resolveHyperdPath}. */
export interface ResolveHyperdOptions {
  /**
   * Path to the hyperd executable, or to a directory containing it. When given it must exist;
   * no other place is searched.
   * @default undefined
   */
  readonly explicitPath?: string | undefined;
  /**
   * Environment to read `HYPERD_PATH` from.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /**
   * Directory where the search for `.hyperd/current/hyperd` starts (then each ancestor).
   * @default process.cwd()
   */
  readonly cwd?: string | undefined;
  /**
   * Platform whose npm package and executable name (`hyperd` / `hyperd.exe`) are looked for.
   * @default process.platform
   */
  readonly platform?: NodeJS.Platform | undefined;
  /**
   * CPU architecture whose npm package is looked for.
   * @default process.arch
   */
  readonly arch?: string | undefined;
}

/** The npm package that ships hyperd for each supported `platform-arch`. */
const platformPackages: Readonly<Record<string, string>> = {
  "linux-x64": "hyperdb-mcp-linux-x64-gnu",
  "darwin-arm64": "hyperdb-mcp-darwin-arm64",
  "win32-x64": "hyperdb-mcp-win32-x64-msvc",
};

/**
 * Name of the npm package that ships hyperd for a platform and architecture, or `undefined`
 * if there is none.
 */
export function hyperdPackageName(platform: NodeJS.Platform, arch: string): string | undefined {
  return platformPackages[`${platform}-${arch}`];
}

/**
 * Finds the hyperd executable. Places searched, in order:
 *
 * 1. `explicitPath` (a file, or a directory containing `hyperd` / `hyperd.exe`);
 * 2. the `HYPERD_PATH` environment variable (same forms);
 * 3. the npm package for this platform (`hyperdb-mcp-linux-x64-gnu`, `hyperdb-mcp-darwin-arm64`
 *    or `hyperdb-mcp-win32-x64-msvc`), an optional dependency of this package;
 * 4. `.hyperd/current/hyperd` in `cwd` or any of its ancestors.
 *
 * @returns the absolute path of the executable.
 * @throws {@link HyperdNotFoundError} if `explicitPath` or `HYPERD_PATH` is set but does not
 *   point to hyperd, or if none of the places has it (the message lists all of them).
 */
export function resolveHyperdPath(options: ResolveHyperdOptions = {}): string {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const executable = platform === "win32" ? "hyperd.exe" : "hyperd";

  if (options.explicitPath !== undefined) {
    return resolveGivenPath(options.explicitPath, executable, "The hyperd path given explicitly");
  }

  const fromEnv = (options.env ?? process.env).HYPERD_PATH;
  if (fromEnv !== undefined && fromEnv !== "") {
    return resolveGivenPath(fromEnv, executable, "HYPERD_PATH");
  }

  const searched: string[] = ["explicit path: not given", "HYPERD_PATH environment variable: not set"];

  const packageName = hyperdPackageName(platform, arch);
  if (packageName === undefined) {
    searched.push(`npm package: hyperd is not published for ${platform}-${arch}`);
  } else {
    const packageDir = findPackageDir(packageName);
    if (packageDir === undefined) {
      searched.push(`npm package ${packageName}: not installed (resolved from ${moduleDir()})`);
    } else {
      const candidate = join(packageDir, executable);
      if (isFile(candidate)) {
        return candidate;
      }
      searched.push(`npm package ${packageName}: installed at ${packageDir}, but ${candidate} is missing`);
    }
  }

  const start = resolve(options.cwd ?? process.cwd());
  const tried: string[] = [];
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, ".hyperd", "current", executable);
    if (isFile(candidate)) {
      return candidate;
    }
    tried.push(candidate);
    if (dirname(dir) === dir) {
      break;
    }
  }
  searched.push(`.hyperd/current/${executable} in ${start} and its ancestors: ${tried.join(", ")}`);

  throw new HyperdNotFoundError(
    `hyperd was not found. Searched, in order:\n${searched.map((line, i) => `  ${i + 1}. ${line}`).join("\n")}\n` +
      "Install the platform package, set HYPERD_PATH, or pass the path explicitly.",
  );
}

function resolveGivenPath(path: string, executable: string, source: string): string {
  const absolute = resolve(path);
  const stats = statSync(absolute, { throwIfNoEntry: false });
  if (stats === undefined) {
    throw new HyperdNotFoundError(`${source} is ${absolute}, which does not exist`);
  }
  if (stats.isDirectory()) {
    const candidate = join(absolute, executable);
    if (isFile(candidate)) {
      return candidate;
    }
    throw new HyperdNotFoundError(`${source} is the directory ${absolute}, which has no ${executable}`);
  }
  return absolute;
}

function findPackageDir(packageName: string): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${packageName}/package.json`));
  } catch {
    return undefined;
  }
}

function moduleDir(): string {
  return dirname(fileURLToPath(import.meta.url));
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
}
