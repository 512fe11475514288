/// <reference path="./provided-context.d.ts" />
import { lstat, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { HyperProcess } from "../../packages/hyperdb-api/src/process/hyper-process.ts";

/**
 * Vitest global setup of every package's `integration` project: starts ONE hyperd for the whole
 * run and hands its endpoints to tests as `inject("hyperd")`. hyperd listens on TCP and, except
 * on Windows, also on a Unix domain socket (hyperd accepts a comma-separated list of listen
 * descriptors and reports the first one through the callback).
 *
 * Fails the run if hyperd cannot be found or started — integration tests never skip silently.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const socketDirectory =
    process.platform === "win32" ? undefined : await mkdtemp(join(tmpdir(), "hyperd-test-"));
  const listen = ["tab.tcp://localhost:0"];
  if (socketDirectory !== undefined) {
    listen.push(`tab.domain://${socketDirectory}/domain/hyper`);
  }

  let hyperd: HyperProcess;
  try {
    hyperd = await HyperProcess.start({ parameters: { listen_connection: listen.join(",") } });
  } catch (error) {
    if (socketDirectory !== undefined) {
      await rm(socketDirectory, { recursive: true, force: true });
    }
    throw error;
  }

  const teardown = async (): Promise<void> => {
    await hyperd.close();
    if (socketDirectory !== undefined) {
      await rm(socketDirectory, { recursive: true, force: true });
    }
    // The run's hyperd log goes with it; HYPERDB_TEST_KEEP_LOGS=1 keeps it for debugging.
    if (process.env.HYPERDB_TEST_KEEP_LOGS !== "1") {
      await rm(hyperd.logDir, { recursive: true, force: true });
    }
  };

  try {
    if (hyperd.endpoint.kind !== "tcp") {
      throw new Error(`hyperd reported ${hyperd.endpointDescriptor}, expected a TCP endpoint first`);
    }
    let socketPath: string | null = null;
    if (socketDirectory !== undefined) {
      socketPath = join(socketDirectory, "hyper");
      const stats = await lstat(socketPath).catch(() => undefined);
      if (stats?.isSocket() !== true) {
        throw new Error(
          `hyperd was asked to listen on ${socketPath} as well, but that socket does not exist`,
        );
      }
    }
    project.provide("hyperd", {
      host: hyperd.endpoint.host,
      port: hyperd.endpoint.port,
      socketPath,
      logDir: hyperd.logDir,
      pid: hyperd.pid,
    });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
