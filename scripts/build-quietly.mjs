#!/usr/bin/env node
// Builds workspace packages with turbo and stays silent unless the build fails, so a command
// that builds before running (like `npm run sql`) prints only its own output.
import { spawnSync } from "node:child_process";

const filters = process.argv.slice(2).flatMap((name) => ["--filter", name]);
const result = spawnSync("turbo", ["run", "build", "--output-logs=errors-only", ...filters], {
  encoding: "utf8",
  shell: process.platform === "win32",
});
if (result.status !== 0) {
  process.stderr.write(result.stdout ?? "");
  process.stderr.write(result.stderr ?? "");
  process.stderr.write(`build failed (exit ${result.status ?? result.signal})\n`);
  process.exit(result.status ?? 1);
}
