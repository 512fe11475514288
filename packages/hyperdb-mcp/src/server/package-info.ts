/**
 * The server's own name and version, read at runtime from this package's `package.json`.
 *
 * The code runs both from `src/` (tests) and bundled into `dist/cli.js`, so the file is found by
 * walking up from this module until a `package.json` named `@hyperdb-ts/hyperdb-mcp` appears.
 *
 * @module
 */
// Start-up path: builtins come from process.getBuiltinModule, which skips the ES module facade
// an `import` of a builtin builds (a few milliseconds per start on a small machine).
const { readFileSync } = process.getBuiltinModule("node:fs");
const { dirname, join } = process.getBuiltinModule("node:path");
const { fileURLToPath } = process.getBuiltinModule("node:url");

/** The MCP server name announced at `initialize`. */
export const MCP_SERVER_NAME = "hyperdb-mcp";

const PACKAGE_NAME = "@hyperdb-ts/hyperdb-mcp";

let cachedVersion: string | undefined;

/** This package's version, or `"0.0.0-unknown"` when its `package.json` cannot be read. */
export function packageVersion(): string {
  cachedVersion ??= findVersion(dirname(fileURLToPath(import.meta.url)));
  return cachedVersion;
}

function findVersion(startDir: string): string {
  let dir = startDir;
  for (;;) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (isPackageJson(parsed) && parsed.name === PACKAGE_NAME) {
        return parsed.version;
      }
    } catch {
      // no package.json here; keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) {
      return "0.0.0-unknown";
    }
    dir = parent;
  }
}

function isPackageJson(value: unknown): value is { name: string; version: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    "name" in value &&
    "version" in value &&
    typeof value.version === "string"
  );
}
