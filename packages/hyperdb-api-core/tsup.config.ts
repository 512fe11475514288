import { defineConfig } from "tsup";

export default defineConfig({
  // `errors` is a light entry for code that only needs the error classes (a process supervisor,
  // a CLI): it does not load the protocol, the value codecs or the connection. Both entries
  // share one chunk for the classes, so `instanceof` holds across them.
  entry: { index: "src/index.ts", errors: "src/errors/index.ts" },
  format: ["esm"],
  target: "node22",
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
});
