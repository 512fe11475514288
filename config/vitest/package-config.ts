import { fileURLToPath } from "node:url";
import { defineConfig, type ViteUserConfig } from "vitest/config";

const hyperdGlobalSetup = fileURLToPath(new URL("./hyperd-global-setup.ts", import.meta.url));

/**
 * The vitest configuration every package uses: a `unit` project (no server, runs anywhere)
 * and an `integration` project that talks to one real hyperd started for the whole run.
 * `integrationSetup` adds a package's own global setup files to the integration project.
 * With `faults`, the fault-injection tests in `test/faults/**` run too: in the regular run as
 * part of the integration project (their quick size), and with `HYPERDB_FAULTS_FULL=1` as a
 * `faults` project of their own (full size, longer time limits). One project, not two, per run:
 * each project runs the global setups again, and a second shared hyperd would be started.
 */
export function definePackageConfig(
  packageDir: string,
  overrides: ViteUserConfig["test"] = {},
  integrationSetup: readonly string[] = [],
  options: { readonly faults?: boolean } = {},
): ViteUserConfig {
  const fullFaults = options.faults === true && process.env.HYPERDB_FAULTS_FULL === "1";
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
            include: [
              "test/integration/**/*.test.ts",
              ...(options.faults === true && !fullFaults ? ["test/faults/**/*.test.ts"] : []),
            ],
            globalSetup: [hyperdGlobalSetup, ...integrationSetup],
            testTimeout: 60_000,
            hookTimeout: 60_000,
          },
        },
        ...(fullFaults ? [faultsProject] : []),
      ],
    },
  });
}
