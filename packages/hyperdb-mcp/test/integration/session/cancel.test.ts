/**
 * Cancelling a `query` call (the client aborts the request, which sends
 * `notifications/cancelled`) cancels the statement in hyperd, not only the wait for it: the
 * server aborts the call's signal, the query tool passes it to the statement, and the driver
 * sends a cancel request on a side connection. Checked from the outside by hyperd's CPU time:
 * a query that would run ~20 s keeps hyperd's workers busy; once cancelled, hyperd goes idle.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerUnderTest, startServer } from "../server/mcp-client.ts";
import { callTool, cpuTicksDuring, heavyQuery, sleep, status, structured, timed } from "./session-helpers.ts";

/** The window hyperd's CPU time is sampled over. */
const SAMPLE_MS = 500;

describe("cancelling a running query", () => {
  let server: ServerUnderTest;
  let hyperdPid: number;

  beforeAll(async () => {
    // A private hyperd of its own (its CPU time is this session's) and no shared database file.
    server = await startServer({ args: ["--no-daemon", "--ephemeral-only"] });
    structured(await callTool(server.client, "query", { sql: "SELECT 1 AS one" }));
    const pid = (await status(server.client)).engine.hyperd_pid;
    if (pid === null) {
      throw new Error("status reports no hyperd pid after a query");
    }
    hyperdPid = pid;
  });

  afterAll(async () => {
    await server?.client.close().catch(() => undefined);
  });

  it.runIf(existsSync("/proc/self/stat"))(
    "stops the statement in hyperd and keeps serving the session",
    async () => {
      const idleBefore = await cpuTicksDuring(hyperdPid, SAMPLE_MS);

      const controller = new AbortController();
      const started = performance.now();
      let endedAt: number | undefined;
      // ~1.6·10^10 pairs: about 20 s on two cores, far past anything this test waits for.
      const pending = callTool(
        server.client,
        "query",
        { sql: heavyQuery(400_000) },
        { signal: controller.signal },
      ).finally(() => {
        endedAt = performance.now();
      });
      pending.catch(() => undefined);
      await sleep(300);
      const busy = await cpuTicksDuring(hyperdPid, SAMPLE_MS);
      expect(endedAt, "the heavy query ended by itself").toBeUndefined();
      expect((await status(server.client)).engine.connections_in_use).toBe(1);

      controller.abort(new Error("cancelled by the test"));
      await expect(pending).rejects.toThrow(/cancelled by the test/);
      const callMs = (endedAt ?? Number.NaN) - started;

      // The server side: the connection comes back to the pool once hyperd has given up the
      // statement, and hyperd stops burning CPU.
      const released = await timed(async () => {
        const deadline = performance.now() + 5_000;
        while ((await status(server.client)).engine.connections_in_use !== 0) {
          if (performance.now() > deadline) {
            throw new Error("the cancelled call still holds its connection after 5 s");
          }
          await sleep(20);
        }
      });
      await sleep(100);
      const after = await cpuTicksDuring(hyperdPid, SAMPLE_MS);
      const next = await timed(() => callTool(server.client, "query", { sql: "SELECT 2 AS two" }));
      console.info(
        `hyperd CPU ticks per ${SAMPLE_MS} ms: idle ${idleBefore}, running ${busy}, after cancel ${after}; call ended ${callMs.toFixed(0)} ms after start, connection released ${released.ms.toFixed(0)} ms after the abort, next query ${next.ms.toFixed(0)} ms`,
      );

      // The query was really running: hyperd used at least most of one core.
      expect(busy).toBeGreaterThan(Math.max(20, 4 * idleBefore));
      // After the cancel it is back to idle (a fraction of the running rate).
      expect(after).toBeLessThan(busy / 4);
      expect(released.ms).toBeLessThan(2_000);
      expect(structured<{ result: unknown[] }>(next.value).result).toEqual([{ two: 2 }]);
      expect(next.ms).toBeLessThan(1_000);
      expect(server.stderr()).not.toMatch(/unhealthy|broke/);
    },
  );
});
