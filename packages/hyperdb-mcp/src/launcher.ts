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
 * @module
 */
import { turnOnCompileCache } from "./compile-cache.ts";

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
  turnOnCompileCache();
  await import("./cli.ts");
}
