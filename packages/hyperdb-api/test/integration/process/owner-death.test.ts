import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, expect, it } from "vitest";
import { isAlive, waitUntil } from "./helpers.ts";

const scratch = mkdtempSync(join(tmpdir(), "owner-death-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const hyperProcessModule = pathToFileURL(
  fileURLToPath(new URL("../../../src/process/hyper-process.ts", import.meta.url)),
).href;

it("hyperd shuts down when its owner process is killed with SIGKILL", async () => {
  const script = join(scratch, "owner.mjs");
  writeFileSync(
    script,
    `const { HyperProcess } = await import(${JSON.stringify(hyperProcessModule)});
const hyperd = await HyperProcess.start({ logDir: ${JSON.stringify(join(scratch, "log"))} });
process.stdout.write(hyperd.pid + "\\n");
setInterval(() => {}, 60_000);
`,
  );
  // Node strips the types of the imported .ts sources itself.
  const owner = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  owner.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  owner.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(owner, "exit");
  try {
    const reported = await waitUntil(() => stdout.includes("\n") || owner.exitCode !== null, 20_000);
    expect(reported, `owner printed nothing; stderr: ${stderr}`).toBe(true);
    const pid = Number(stdout.trim());
    expect(
      Number.isInteger(pid) && pid > 0,
      `owner printed ${JSON.stringify(stdout)}; stderr: ${stderr}`,
    ).toBe(true);
    expect(isAlive(pid)).toBe(true);

    owner.kill("SIGKILL");
    await exited;
    expect(await waitUntil(() => !isAlive(pid), 10_000)).toBe(true);
  } finally {
    owner.kill("SIGKILL");
  }
});
