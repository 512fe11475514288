import { fileURLToPath } from "node:url";
import { defineConfig, type ViteUserConfig } from "vitest/config";

const hyperdGlobalSetup = fileURLToPath(new URL("./hyperd-global-setup.ts", import.meta.url));

/**
 * The vitest configuration every package uses: a `unit` project (no server, runs anywhere)
 * and an `integration` project that talks to one real hyperd started for the whole run.
 * `integrationSetup` adds a package's own global setup files to the integration project.
 * With `faults`, a `faults` project runs `test/faults/**` (fault injection: slow, some need
 * root) with the same setup and longer time limits.
 */
export function definePackageConfig(
  packageDir: string,
  overrides: ViteUserConfig["test"] = {},
  integrationSetup: readonly string[] = [],
  options: { readonly faults?: boolean } = {},
): ViteUserConfig {
  const faultsProject = {
    extends: true as const,
    test: {
      name: "faults",
      include: ["test/faults/**/*.test.ts"],
      globalSetup: [hyperdGlobalSetup, ...integrationSetup],
      testTimeout: 600_000,
      hookTimeout: 120_000,
    },
  };
  return defineConfig({
    root: packageDir,
    test: {
      ...overrides,
      projects: [
        {
          extends: true,
          test: {
            name: "unit",
            include: ["src/**/*.test.ts", "test/unit/**/*.test.ts"],
          },
        },
        {
          extends: true,
          test: {
            name: "integration",
            include: ["test/integration/**/*.test.ts"],
            globalSetup: [hyperdGlobalSetup, ...integrationSetup],
            testTimeout: 60_000,
            hookTimeout: 60_000,
          },
        },
        ...(options.faults === true ? [faultsProject] : []),
      ],
    },
  });
}
