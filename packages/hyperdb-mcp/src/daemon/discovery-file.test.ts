import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidArgumentError } from "@hyperdb-ts/hyperdb-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DaemonInfo } from "./daemon-info.ts";
import { daemonFilePath, readDaemonFile, removeDaemonFile, writeDaemonFile } from "./discovery-file.ts";

const posix = process.platform !== "win32";
let root: string;
let stateDir: string;

function infoFor(pid: number): DaemonInfo {
  return {
    pid,
    hyperd_endpoint: "127.0.0.1:40000",
    health_port: 7535,
    started_at: "2026-01-02T03:04:05.678Z",
    version: "0.1.0",
    identity: { token: "hyperdb-ts-mcp", state_dir: stateDir },
  };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "hyperdb-ts-state-"));
  stateDir = join(root, "nested", "state");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("daemon.json", () => {
  it("writes atomically with mode 0600 in a 0700 directory and reads it back", async () => {
    await writeDaemonFile(stateDir, infoFor(42));
    expect(await readDaemonFile(stateDir)).toEqual(infoFor(42));
    expect(await readdir(stateDir)).toEqual(["daemon.json"]); // no daemon.json.tmp left behind
    if (posix) {
      expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
      expect((await stat(daemonFilePath(stateDir))).mode & 0o777).toBe(0o600);
    }
  });

  it("replaces an existing file and a stale temp file", async () => {
    await writeDaemonFile(stateDir, infoFor(1));
    await writeFile(`${daemonFilePath(stateDir)}.tmp`, "garbage", { mode: 0o644 });
    await writeDaemonFile(stateDir, infoFor(2));
    expect((await readDaemonFile(stateDir))?.pid).toBe(2);
    expect(await readdir(stateDir)).toEqual(["daemon.json"]);
    if (posix) {
      expect((await stat(daemonFilePath(stateDir))).mode & 0o777).toBe(0o600);
    }
  });

  it.skipIf(!posix)("tightens an existing loose state directory to 0700", async () => {
    await mkdir(stateDir, { recursive: true });
    await chmod(stateDir, 0o755);
    await writeDaemonFile(stateDir, infoFor(3));
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
  });

  it("refuses to write an invalid info", async () => {
    await expect(writeDaemonFile(stateDir, { ...infoFor(4), health_port: 0 })).rejects.toThrow(
      InvalidArgumentError,
    );
  });

  it("reads null when missing or malformed", async () => {
    expect(await readDaemonFile(stateDir)).toBeNull();
    await mkdir(stateDir, { recursive: true });
    await writeFile(daemonFilePath(stateDir), "{ truncated");
    expect(await readDaemonFile(stateDir)).toBeNull();
    await writeFile(
      daemonFilePath(stateDir),
      JSON.stringify({ ...infoFor(5), identity: { token: "hyperdb-mcp" } }),
    );
    expect(await readDaemonFile(stateDir)).toBeNull();
  });

  it("removes the file, optionally only when it names a given pid", async () => {
    expect(await removeDaemonFile(stateDir)).toBe(false);
    await writeDaemonFile(stateDir, infoFor(7));
    expect(await removeDaemonFile(stateDir, { ifPid: 8 })).toBe(false);
    expect(JSON.parse(await readFile(daemonFilePath(stateDir), "utf8")).pid).toBe(7);
    expect(await removeDaemonFile(stateDir, { ifPid: 7 })).toBe(true);
    expect(await readDaemonFile(stateDir)).toBeNull();
  });
});
