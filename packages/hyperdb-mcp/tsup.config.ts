import { fileURLToPath } from "node:url";
import { defineConfig, type Options } from "tsup";

type Plugin = NonNullable<Options["esbuildPlugins"]>[number];

/** What both builds share. */
const common: Options = {
  format: ["esm"],
  target: "node22",
  sourcemap: true,
  // About a tenth less start-up time than unminified (the source maps keep stacks readable
  // with --enable-source-maps).
  minify: true,
  esbuildOptions(options) {
    // The api's entries import its chunk of build helpers (`__using`) for ordering only; the
    // package declares no side effects, so esbuild drops that import and says so each build.
    options.logOverride = { ...options.logOverride, "ignored-bare-import": "silent" };
  },
};

/**
 * Modules the start-up files load at run time instead of bundling them: the relay (from the
 * launcher), the command (`cli.js`) and the in-process server the relay falls back to
 * (`serve-in-process.js`), all in the same folder.
 */
const loadedAtRunTime: Plugin = {
  name: "start-up-files-load-siblings",
  setup(build) {
    build.onResolve({ filter: /^\.\/(relay\/)?(cli|serve-in-process|stdio-relay)\.ts$/ }, (args) => ({
      path: `./${args.path.replace(/^\.\/(relay\/)?/, "").replace(/\.ts$/, ".js")}`,
      external: true,
    }));
  },
};

/** The SDK's internal shim module, replaced by ours (see src/server/sdk-shims.ts for why). */
const sdkShims: Plugin = {
  name: "sdk-shims-without-ajv",
  setup(build) {
    build.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, () => ({
      path: fileURLToPath(new URL("./src/server/sdk-shims.ts", import.meta.url)),
    }));
  },
};

export default defineConfig([
  {
    ...common,
    entry: {
      index: "src/index.ts",
      cli: "src/cli.ts",
      "serve-in-process": "src/relay/serve-in-process.ts",
      "daemon-entry": "src/daemon/daemon-entry.ts",
    },
    dts: { entry: { index: "src/index.ts" } },
    // Everything but the start-up files, which the second build writes into the same folder.
    clean: ["!hyperdb-mcp.js", "!hyperdb-mcp.js.map", "!stdio-relay.js", "!stdio-relay.js.map"],
    // One self-contained bundle (plus lazily loaded chunks): resolving and reading hundreds of
    // files of the MCP SDK and zod at every start-up costs more than the server's own work.
    noExternal: [/^@modelcontextprotocol\/server/, /^zod(\/|$)/, /^@hyperdb-ts\//],
    // Large and only needed for Arrow files or charts: imported on first use.
    external: ["apache-arrow", "vega", "vega-lite", "@resvg/resvg-js"],
    splitting: true,
    esbuildPlugins: [sdkShims],
  },
  {
    ...common,
    // The start-up files, each in one piece: the bin (a few lines that relay, or turn on the
    // compile cache and load the command) and the stdio relay it loads. A warm start runs only these two; in the main build the relay
    // would share chunks with the server and load eight files.
    entry: { "hyperdb-mcp": "src/launcher.ts", "stdio-relay": "src/relay/stdio-relay.ts" },
    clean: false,
    splitting: false,
    esbuildPlugins: [loadedAtRunTime],
  },
]);
