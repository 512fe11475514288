import { defineConfig } from "tsup";

export default defineConfig({
  // `process` and `errors` are light entries: they load no protocol or connection code.
  entry: {
    index: "src/index.ts",
    arrow: "src/arrow.ts",
    process: "src/process.ts",
    errors: "src/errors.ts",
    "cli/hyperdb-sql": "src/cli/hyperdb-sql.ts",
  },
  format: ["esm"],
  target: "node22",
  dts: {
    entry: {
      index: "src/index.ts",
      arrow: "src/arrow.ts",
      process: "src/process.ts",
      errors: "src/errors.ts",
    },
  },
  sourcemap: true,
  clean: true,
  external: ["apache-arrow"],
});
