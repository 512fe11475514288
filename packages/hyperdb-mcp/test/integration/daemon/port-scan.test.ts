import { afterEach, describe, expect, it } from "vitest";
import { scanPorts } from "../../../src/daemon/port-scan.ts";
import { type Closable, startForeignServer, startTestDaemon, unusedRange } from "./tcp-fixtures.ts";

const cleanup: Closable[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((item) => item.close()));
});

async function upstream(port: number): Promise<void> {
  cleanup.push(await startForeignServer(() => "PONG hyperdb-mcp 0.7.3", port));
}

async function ours(port: number): Promise<void> {
  cleanup.push((await startTestDaemon(port)).server);
}

describe("scanPorts over real TCP", () => {
  it("prefers the lowest port with our daemon", async () => {
    const base = await unusedRange(4);
    await upstream(base);
    await ours(base + 2);
    await ours(base + 3);
    // base + 1 is free, but reusing a daemon beats spawning one
    expect(await scanPorts({ base, span: 4 })).toMatchObject({ kind: "ours", port: base + 2 });
  });

  it("never adopts the upstream daemon and picks the first free port", async () => {
    const base = await unusedRange(3);
    await upstream(base);
    expect(await scanPorts({ base, span: 3 })).toEqual({ kind: "free", port: base + 1 });
  });

  it("reports all-occupied when every port is foreign", async () => {
    const base = await unusedRange(2);
    await upstream(base);
    cleanup.push(await startForeignServer(() => "junk", base + 1));
    expect(await scanPorts({ base, span: 2 })).toEqual({ kind: "all-occupied" });
  });

  it("re-scans only the ports below an off-base daemon (dedup)", async () => {
    const base = await unusedRange(3);
    await ours(base);
    await ours(base + 2);
    expect(await scanPorts({ base, span: 2 })).toMatchObject({ kind: "ours", port: base });
  });
});
