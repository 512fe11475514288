import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    cli: "src/cli.ts",
    "hyperdb-mcp": "src/launcher.ts",
    "daemon-entry": "src/daemon/daemon-entry.ts",
  },
  format: ["esm"],
  target: "node22",
  dts: { entry: { index: "src/index.ts" } },
  sourcemap: true,
  clean: true,
  // One self-contained bundle (plus lazily loaded chunks): resolving and reading hundreds of
  // files of the MCP SDK and zod at every start-up costs more than the server's own work.
  noExternal: [/^@modelcontextprotocol\/server/, /^zod(\/|$)/, /^@hyperdb-ts\//],
  // Large and only needed for Arrow files or charts: imported on first use.
  external: ["apache-arrow", "vega", "vega-lite", "@resvg/resvg-js"],
  splitting: true,
  // About a tenth less start-up time than unminified (the source maps keep stacks readable
  // with --enable-source-maps).
  minify: true,
});
