/**
 * A front process in miniature for the concurrency test: calls ensureDaemon once and prints the
 * DaemonInfo it got as one JSON line. Usage: node ensure-client.ts <stateDir> <base> <span> <entry>
 */
import { ensureDaemon } from "../../../src/daemon/ensure-daemon.ts";

const [stateDir, base, span, entryPath] = process.argv.slice(2);
if (stateDir === undefined || base === undefined || span === undefined || entryPath === undefined) {
  process.stderr.write("usage: ensure-client.ts <stateDir> <base> <span> <entry>\n");
  process.exit(2);
}
try {
  const info = await ensureDaemon({
    stateDir,
    entryPath,
    range: { base: Number(base), span: Number(span) },
  });
  process.stdout.write(`${JSON.stringify(info)}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
