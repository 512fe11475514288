/**
 * Global setup of the integration tests: builds the server once per test run into a private
 * folder (`.test-dist/<pid>/` inside this package, so its dependencies resolve as from `dist/`)
 * and hands its entry point to the tests as `inject("serverEntry")`. A private folder keeps
 * parallel runs (and a `pnpm build` meanwhile) from replacing the files under a running test.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

const PACKAGE_DIR = fileURLToPath(new URL("../../../", import.meta.url));

declare module "vitest" {
  export interface ProvidedContext {
    /** Absolute path of the built `hyperdb-mcp.js` (the package's bin) the tests spawn. */
    serverEntry: string;
  }
}

export default function setup(project: TestProject): () => void {
  const outDir = join(PACKAGE_DIR, ".test-dist", String(process.pid));
  execFileSync("npx", ["tsup", "--out-dir", outDir, "--no-dts"], {
    cwd: PACKAGE_DIR,
    stdio: ["ignore", "ignore", "inherit"],
  });
  // As `pnpm build` does: the tools' JSON Schemas the server lists, next to the bundle.
  execFileSync(
    process.execPath,
    [
      "--experimental-strip-types",
      "--disable-warning=ExperimentalWarning",
      join(PACKAGE_DIR, "scripts", "write-tool-schemas.ts"),
      outDir,
    ],
    { cwd: PACKAGE_DIR, stdio: ["ignore", "ignore", "inherit"] },
  );
  project.provide("serverEntry", join(outDir, "hyperdb-mcp.js"));
  return () => {
    rmSync(outDir, { recursive: true, force: true });
  };
}
