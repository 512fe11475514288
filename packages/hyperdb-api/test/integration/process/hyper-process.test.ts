import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TimeoutError } from "@hyperdb-ts/hyperdb-api-core";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { Connection } from "../../../src/index.ts";
import { HyperdNotFoundError, HyperdStartError } from "../../../src/process/errors.ts";
import { HyperProcess, type HyperProcessOptions } from "../../../src/process/hyper-process.ts";
import { canConnect, isAlive, waitUntil } from "./helpers.ts";

const scratch = mkdtempSync(join(tmpdir(), "hyper-process-test-"));
const started: HyperProcess[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((hyperd) => hyperd.close()));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

let logDirs = 0;

/** Starts hyperd with its log under the scratch directory unless the test chooses otherwise. */
async function start(options: HyperProcessOptions = {}): Promise<HyperProcess> {
  logDirs += 1;
  const hyperd = await HyperProcess.start({ logDir: join(scratch, `log-${logDirs}`), ...options });
  started.push(hyperd);
  return hyperd;
}

function tcpOf(hyperd: HyperProcess): { host: string; port: number } {
  if (hyperd.endpoint.kind !== "tcp") {
    throw new Error(`expected a TCP endpoint, got ${hyperd.endpointDescriptor}`);
  }
  return hyperd.endpoint;
}

/** Waits until hyperd.log has an entry of kind `k` and returns its `v`. */
async function logEntry(logPath: string, kind: string): Promise<Record<string, unknown>> {
  let found: Record<string, unknown> | undefined;
  await waitUntil(() => {
    const lines = existsSync(logPath) ? readFileSync(logPath, "utf8").split("\n") : [];
    for (const line of lines) {
      if (line.includes(`"k":"${kind}"`)) {
        found = (JSON.parse(line) as { v: Record<string, unknown> }).v;
        return true;
      }
    }
    return false;
  }, 5000);
  if (found === undefined) {
    throw new Error(`no "${kind}" entry in ${logPath}`);
  }
  return found;
}

/** A fake hyperd: a shell script (POSIX only). */
function fakeHyperd(name: string, script: string): string {
  const path = join(scratch, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe("HyperProcess", () => {
  it("starts hyperd on TCP and shuts it down on close", async () => {
    const hyperd = await start();
    const { host, port } = tcpOf(hyperd);
    expect(hyperd.endpointDescriptor).toBe(`tab.tcp://${host}:${port}`);
    expect(hyperd.pid).toBeGreaterThan(0);
    expect(hyperd.unixSocketPath).toBeNull();
    expect(hyperd.hasExited).toBe(false);
    expect(await canConnect({ host, port })).toBe(true);

    const closing = hyperd.close();
    expect(hyperd.close()).toBe(closing);
    await closing;
    expect(hyperd.hasExited).toBe(true);
    expect(await hyperd.exited).toEqual({ code: 0, signal: null });
    expect(isAlive(hyperd.pid)).toBe(false);
    expect(await canConnect({ host, port })).toBe(false);
    await hyperd.close();
  });

  it.skipIf(process.platform === "win32")("listens on a Unix domain socket", async () => {
    const hyperd = await start({ listen: "unix" });
    expect(hyperd.endpoint.kind).toBe("unix");
    const path = hyperd.endpoint.kind === "unix" ? hyperd.endpoint.path : "";
    expect(hyperd.unixSocketPath).toBe(path);
    expect(hyperd.endpointDescriptor).toMatch(/^tab\.domain:\/\/.*\/domain\/hyper$/);
    expect(lstatSync(path).isSocket()).toBe(true);
    expect(await canConnect({ path })).toBe(true);
    await hyperd.close();
    // The socket directory was created by start(), so close() removes it.
    expect(existsSync(join(path, ".."))).toBe(false);
  });

  it.skipIf(process.platform === "win32")(
    "listens on TCP and a Unix domain socket at once with tcp+unix",
    async () => {
      const hyperd = await start({ listen: "tcp+unix" });
      const { host, port } = tcpOf(hyperd);
      expect(hyperd.endpointDescriptor).toBe(`tab.tcp://${host}:${port}`);
      const socketPath = hyperd.unixSocketPath ?? "";
      expect(socketPath).toMatch(/\/hyper$/);
      expect(lstatSync(socketPath).isSocket()).toBe(true);
      for (const endpoint of [`${host}:${port}`, socketPath]) {
        await using connection = await Connection.connect({ endpoint, connectTimeoutMs: 5000 });
        expect(Number(await connection.fetchScalar("SELECT 1"))).toBe(1);
      }
      await hyperd.close();
      // The socket directory was created by start(), so close() removes it.
      expect(existsSync(join(socketPath, ".."))).toBe(false);
    },
  );

  it.skipIf(process.platform === "win32")(
    "uses a given socket directory and leaves it in place",
    async () => {
      const socketDirectory = mkdtempSync(join(tmpdir(), "hs-"));
      try {
        const hyperd = await start({ listen: "unix", socketDirectory });
        expect(hyperd.endpoint).toEqual({ kind: "unix", path: join(socketDirectory, "hyper") });
        await hyperd.close();
        expect(existsSync(socketDirectory)).toBe(true);
      } finally {
        rmSync(socketDirectory, { recursive: true, force: true });
      }
    },
  );

  it("writes hyperd.log to the requested log directory, creating it", async () => {
    const logDir = join(scratch, "logs", "nested");
    const hyperd = await start({ logDir });
    expect(hyperd.logDir).toBe(logDir);
    expect(hyperd.logPath).toBe(join(logDir, "hyperd.log"));
    await logEntry(hyperd.logPath, "startup-info");
    await hyperd.close();
    expect(existsSync(hyperd.logPath)).toBe(true); // a directory the caller chose is kept
  });

  it("puts its log in a fresh temp directory by default, and removes it on close", async () => {
    const hyperd = await start({ logDir: undefined });
    try {
      expect(hyperd.logDir.startsWith(join(tmpdir(), "hyperd-"))).toBe(true);
      await logEntry(hyperd.logPath, "startup-info");
    } finally {
      await hyperd.close();
    }
    expect(existsSync(hyperd.logDir)).toBe(false);
  });

  it("passes extra parameters and the database version to hyperd", async () => {
    const hyperd = await start({
      parameters: { log_client_alive_checks: true, "date-style": "DMY" },
      defaultDatabaseVersion: 3,
    });
    const settings = await logEntry(hyperd.logPath, "startup-settings-set");
    expect(settings).toMatchObject({
      log_client_alive_checks: true,
      date_style: "DMY",
      default_database_version: 3,
    });
    const { "command-line": commandLine } = (await logEntry(hyperd.logPath, "startup-info")) as {
      "command-line": string;
    };
    expect(commandLine.match(/--date-style=/g)).toHaveLength(1);
  });

  it("uses database version 4 by default", async () => {
    const hyperd = await start();
    expect(await logEntry(hyperd.logPath, "startup-settings-set")).toMatchObject({
      default_database_version: 4,
    });
  });

  it("rejects invalid options before starting anything", async () => {
    await expect(HyperProcess.start({ parameters: { log_dir: "/x" } })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(HyperProcess.start({ startupTimeoutMs: 0 })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(HyperProcess.start({ defaultDatabaseVersion: 4.5 })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(
      HyperProcess.start({ listen: "udp" as HyperProcessOptions["listen"] }),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("throws HyperdNotFoundError for a hyperdPath that does not exist", async () => {
    const missing = join(scratch, "no-such-hyperd");
    const error = await HyperProcess.start({ hyperdPath: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HyperdNotFoundError);
    expect((error as HyperdNotFoundError).message).toContain(missing);
  });

  it("reports a startup failure with the exit code, what hyperd printed and the log tail", async () => {
    const error = await HyperProcess.start({
      parameters: { no_such_setting: 1 },
      logDir: join(scratch, "bad-setting"),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HyperdStartError);
    const startError = error as HyperdStartError;
    expect(startError.code).toBe("HYPERD_START_FAILED");
    expect(startError.message).toContain("exited with code 1 during startup");
    expect(startError.message).toContain("no_such_setting");
    expect(startError.logTail).toContain("Critical setting errors encountered");
    expect(startError.logTail.split("\n").length).toBeLessThanOrEqual(20);
  });

  it.skipIf(process.platform === "win32")(
    "reports an executable that exits without writing a log",
    async () => {
      const hyperdPath = fakeHyperd("exits", 'echo "boom: bad things" >&2\nexit 3');
      const error = (await HyperProcess.start({ hyperdPath, logDir: join(scratch, "exits-log") }).catch(
        (e: unknown) => e,
      )) as HyperdStartError;
      expect(error).toBeInstanceOf(HyperdStartError);
      expect(error.message).toContain("exited with code 3");
      expect(error.message).toContain("boom: bad things");
      expect(error.message).toContain("No log was written");
      expect(error.logTail).toBe("");
    },
  );

  it.skipIf(process.platform === "win32")("reports a file that cannot be executed", async () => {
    const hyperdPath = join(scratch, "not-executable");
    writeFileSync(hyperdPath, "");
    const error = await HyperProcess.start({ hyperdPath, logDir: join(scratch, "eacces") }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HyperdStartError);
    expect((error as Error).message).toMatch(/cannot start .*EACCES/);
  });

  it.skipIf(process.platform === "win32")(
    "kills hyperd and throws TimeoutError if it never calls back",
    async () => {
      const pidFile = join(scratch, "silent.pid");
      const hyperdPath = fakeHyperd("silent", `echo $$ > "${pidFile}"\nexec sleep 30`);
      const begin = Date.now();
      const error = await HyperProcess.start({
        hyperdPath,
        startupTimeoutMs: 300,
        logDir: join(scratch, "silent-log"),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toContain("did not report its endpoint within 300 ms");
      expect(Date.now() - begin).toBeLessThan(5000);
      const pid = Number(readFileSync(pidFile, "utf8").trim());
      expect(await waitUntil(() => !isAlive(pid), 5000)).toBe(true);
    },
  );

  it("is closed by await using", async () => {
    let pid = 0;
    let port = 0;
    let probe: HyperProcess | undefined;
    {
      await using hyperd = await HyperProcess.start({ logDir: join(scratch, "await-using") });
      probe = hyperd;
      pid = hyperd.pid;
      port = tcpOf(hyperd).port;
      expect(isAlive(pid)).toBe(true);
    }
    expect(probe.hasExited).toBe(true);
    expect(isAlive(pid)).toBe(false);
    expect(await canConnect({ host: "127.0.0.1", port })).toBe(false);
  });

  it("runs two instances at once", async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.pid).not.toBe(b.pid);
    expect(tcpOf(a).port).not.toBe(tcpOf(b).port);
    expect(a.logDir).not.toBe(b.logDir);
    expect(await canConnect(tcpOf(a))).toBe(true);
    expect(await canConnect(tcpOf(b))).toBe(true);
    await a.close();
    expect(b.hasExited).toBe(false);
    expect(await canConnect(tcpOf(b))).toBe(true);
  });

  it("notices when hyperd dies on its own", async () => {
    const hyperd = await start();
    process.kill(hyperd.pid, "SIGKILL");
    expect(await hyperd.exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(hyperd.hasExited).toBe(true);
    await hyperd.close();
  });
});
