import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", arrow: "src/arrow.ts", "cli/hyperdb-sql": "src/cli/hyperdb-sql.ts" },
  format: ["esm"],
  target: "node22",
  dts: { entry: { index: "src/index.ts", arrow: "src/arrow.ts" } },
  sourcemap: true,
  clean: true,
  external: ["apache-arrow"],
});
