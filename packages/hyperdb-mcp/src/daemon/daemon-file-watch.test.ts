import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DaemonFileWatch } from "./daemon-file-watch.ts";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "daemon-file-watch-"));
  dirs.push(dir);
  return dir;
}

/** The next wait of `watch` ends at once; the one after it runs to its timeout (the cause is used up). */
async function expectOneWaitAtOnce(watch: DaemonFileWatch): Promise<void> {
  let started = performance.now();
  await watch.wait(5_000);
  expect(performance.now() - started).toBeLessThan(1_000);
  started = performance.now();
  await watch.wait(200);
  expect(performance.now() - started).toBeGreaterThanOrEqual(190);
}

describe("DaemonFileWatch", () => {
  it("ends a wait as soon as daemon.json is renamed into place", async () => {
    const dir = await stateDir();
    const watch = new DaemonFileWatch(dir);
    watch.start();
    try {
      const started = performance.now();
      const waited = watch.wait(5_000);
      await writeFile(join(dir, "daemon.json.tmp"), "{}\n");
      await rename(join(dir, "daemon.json.tmp"), join(dir, "daemon.json"));
      await waited;
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      watch.close();
    }
  });

  it("ends a wait at its timeout when the state directory does not exist yet", async () => {
    const watch = new DaemonFileWatch(join(await stateDir(), "missing"));
    try {
      const started = performance.now();
      await watch.wait(50);
      expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    } finally {
      watch.close();
    }
  });

  it("ignores other files of the state directory", async () => {
    const dir = await stateDir();
    const watch = new DaemonFileWatch(dir);
    watch.start();
    try {
      const started = performance.now();
      const waited = watch.wait(300);
      await writeFile(join(dir, "other.txt"), "x");
      await waited;
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      watch.close();
    }
  });

  it("ends the next wait at once when daemon.json changed while no wait ran", async () => {
    const dir = await stateDir();
    const watch = new DaemonFileWatch(dir);
    watch.start();
    try {
      await writeFile(join(dir, "daemon.json.tmp"), "{}\n");
      await rename(join(dir, "daemon.json.tmp"), join(dir, "daemon.json"));
      // Let the watcher's event arrive while nobody waits.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expectOneWaitAtOnce(watch);
    } finally {
      watch.close();
    }
  });

  it("ends a wait at once when watching could start only then (a change may have come before)", async () => {
    const parent = await stateDir();
    const dir = join(parent, "state");
    const watch = new DaemonFileWatch(dir);
    watch.start();
    try {
      await mkdir(dir);
      await writeFile(join(dir, "daemon.json"), "{}\n");
      await expectOneWaitAtOnce(watch);
    } finally {
      watch.close();
    }
  });
});
