import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const folder = fileURLToPath(new URL("../../../examples/", import.meta.url));
const examples = readdirSync(folder).filter((name) => name.endsWith(".ts"));

describe("examples", () => {
  it("has examples to run", () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  // Each example checks its own results and exits non-zero if they are wrong.
  it.each(examples)("%s runs to completion", async (name) => {
    const { stdout } = await run(process.execPath, [`${folder}${name}`], { cwd: folder, timeout: 60_000 });
    expect(stdout.length).toBeGreaterThan(0);
  });
});
