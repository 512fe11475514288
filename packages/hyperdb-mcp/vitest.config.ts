import { fileURLToPath } from "node:url";
import { definePackageConfig } from "../../config/vitest/package-config.ts";

export default definePackageConfig(
  import.meta.dirname,
  {},
  [
    fileURLToPath(new URL("./test/integration/setup/build-server.global.ts", import.meta.url)),
    // Last, so that its teardown runs first, while the build folder and the shared hyperd exist.
    fileURLToPath(new URL("./test/integration/setup/leftover-processes.global.ts", import.meta.url)),
  ],
  { faults: true },
);
