#!/usr/bin/env node
/**
 * The fast entry point of the `hyperdb-mcp` command (`dist/hyperdb-mcp.js`, the package's `bin`).
 *
 * It either relays stdio to the daemon, which hosts the session (see relay/stdio-relay.ts), or
 * turns on Node's on-disk compile cache and imports the command (`cli.ts`). An ES module is
 * compiled as a whole before any of its code runs, so the cache must be enabled before the
 * command is loaded: the bundle is then compiled once, cached as V8 code, and later start-ups
 * skip most of the parsing and compilation. A relayed start loads only the small relay, which
 * the cache would not speed up: opening the cache would be all it did.
 *
 * The cache lives in Node's default folder (`NODE_COMPILE_CACHE` overrides it,
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off). A cache that cannot be written is harmless:
 * Node then compiles as usual.
 *
 * @module
 */
const { relayStdio } = await import("./relay/stdio-relay.ts");
const relayed = await relayStdio({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  entryPath: process.argv[1] ?? "",
  stdin: process.stdin,
  stdout: process.stdout,
  log: (line) => process.stderr.write(`hyperdb-mcp: ${line}\n`),
});
if (!relayed) {
  try {
    process.getBuiltinModule("node:module").enableCompileCache();
  } catch {
    // The cache only speeds up start-up; without it the command runs the same.
  }
  await import("./cli.ts");
}
