/**
 * The daemon's warm-up query against real hyperd processes: it completes over the Unix socket
 * and over TCP, gives up cleanly where it cannot log in or reach hyperd, and leaves hyperd
 * serving its clients either way.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Connection, HyperProcess, type HyperProcessOptions } from "@hyperdb-ts/hyperdb-api";
import { afterEach, describe, expect, it } from "vitest";
import { warmUpEndpointOf, warmUpHyperd } from "../../../src/daemon/warm-up-hyperd.ts";

const started: HyperProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((hyper) => hyper.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function startHyperd(options: Partial<HyperProcessOptions> = {}): Promise<HyperProcess> {
  const dir = await mkdtemp(join(tmpdir(), "hyperdb-ts-warm-up-"));
  dirs.push(dir);
  const hyper = await HyperProcess.start({ logDir: dir, ...options });
  started.push(hyper);
  return hyper;
}

async function selectTwo(hyper: HyperProcess, password?: string): Promise<unknown> {
  const connection = await Connection.connect({ hyper, ...(password === undefined ? {} : { password }) });
  try {
    const rows = await connection.fetchAll("SELECT 2 AS two");
    return rows[0]?.two;
  } finally {
    await connection.close();
  }
}

describe("warmUpHyperd", () => {
  it("runs SELECT 1 on a fresh hyperd over its Unix socket, which then serves clients", async () => {
    const socketDirectory = await mkdtemp(join(tmpdir(), "hw-"));
    dirs.push(socketDirectory);
    const hyper = await startHyperd({ listen: "tcp+unix", socketDirectory });
    const endpoint = warmUpEndpointOf(hyper);
    expect(endpoint).toEqual({ path: hyper.unixSocketPath });
    expect(await warmUpHyperd(endpoint as NonNullable<typeof endpoint>)).toBe(true);
    expect(await selectTwo(hyper)).toBe(2);
  });

  it("uses the TCP endpoint when hyperd has no Unix socket", async () => {
    const hyper = await startHyperd({ listen: "tcp" });
    const endpoint = warmUpEndpointOf(hyper);
    expect(endpoint).toMatchObject({ port: expect.any(Number) });
    expect(await warmUpHyperd(endpoint as NonNullable<typeof endpoint>)).toBe(true);
    expect(await selectTwo(hyper)).toBe(2);
  });

  it("gives up when hyperd asks for a password, and hyperd keeps serving", async () => {
    const hyper = await startHyperd({ listen: "tcp", password: "warm-up-secret" });
    const endpoint = warmUpEndpointOf(hyper);
    expect(await warmUpHyperd(endpoint as NonNullable<typeof endpoint>)).toBe(false);
    expect(await selectTwo(hyper, "warm-up-secret")).toBe(2);
  });

  it("gives up when the login is refused", async () => {
    const hyper = await startHyperd({ listen: "tcp" });
    const endpoint = warmUpEndpointOf(hyper);
    expect(await warmUpHyperd(endpoint as NonNullable<typeof endpoint>, "no_such_user")).toBe(false);
    expect(await selectTwo(hyper)).toBe(2);
  });

  it("gives up at once when nothing listens", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hyperdb-ts-warm-up-"));
    dirs.push(dir);
    const begun = performance.now();
    expect(await warmUpHyperd({ path: join(dir, "no-socket") })).toBe(false);
    expect(performance.now() - begun).toBeLessThan(2_000);
  });
});
