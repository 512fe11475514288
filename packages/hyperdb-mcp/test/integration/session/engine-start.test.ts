/**
 * The MCP handshake never waits for the engine: hyperd starts on the first SQL call, and a
 * hyperd that hangs or fails must neither delay `initialize`, `tools/list` and `status` nor
 * leave a SQL call hanging. `HYPERD_PATH` points at fake hyperd scripts in a temp folder.
 *
 * A fake that never reports its endpoint makes the SQL call fail only after the start timeout
 * of HyperProcess (30 s, as CONNECTION_LOST "did not report its endpoint"); to keep the run
 * short the SQL part uses a fake that fails after a delay instead.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, waitForExit } from "../server/mcp-client.ts";
import { callTool, sleep, status, timed } from "./session-helpers.ts";

/** A private hyperd per server, no persistent database: the fake is the only engine there is. */
const SERVER_ARGS = ["--no-daemon", "--ephemeral-only"];

/** How long the failing fake waits before it exits. */
const FAILING_FAKE_DELAY_S = 2;

function writeScript(path: string, body: string): string {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe.skipIf(process.platform === "win32")("engine start", () => {
  let dir: string;
  let hangingHyperd: string;
  let failingHyperd: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "hyperdb-mcp-fake-hyperd-"));
    // `exec`: the killed process is the sleep itself, nothing is left behind.
    hangingHyperd = writeScript(join(dir, "hanging-hyperd"), "exec sleep 30");
    failingHyperd = writeScript(
      join(dir, "failing-hyperd"),
      `sleep ${FAILING_FAKE_DELAY_S}\necho "fake hyperd: no engine here" >&2\nexit 3`,
    );
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers initialize, tools/list and status at once with a hyperd that hangs for 30 s", async () => {
    const started = await timed(() =>
      startServer({ args: SERVER_ARGS, env: { HYPERD_PATH: hangingHyperd } }),
    );
    const server = started.value;
    try {
      const listed = await timed(() => server.client.listTools());
      const reported = await timed(() => status(server.client));
      console.info(
        `initialize ${started.ms.toFixed(0)} ms, tools/list ${listed.ms.toFixed(0)} ms, status ${reported.ms.toFixed(0)} ms`,
      );
      expect(started.ms).toBeLessThan(1_000);
      expect(listed.ms).toBeLessThan(1_000);
      expect(listed.value.tools.map((tool) => tool.name)).toContain("query");
      expect(reported.ms).toBeLessThan(500);
      expect(reported.value.engine.started).toBe(false);
      expect(reported.value.hyperd_running).toBe(false);
    } finally {
      await server.client.close();
    }
    expect(await waitForExit(server.pid, 15_000)).toBe(true);
  });

  it("keeps answering while hyperd starts and fails the SQL call with a clear error", async () => {
    const server = await startServer({ args: SERVER_ARGS, env: { HYPERD_PATH: failingHyperd } });
    try {
      const callStarted = performance.now();
      let callEndedAt: number | undefined;
      const pending = callTool(server.client, "query", { sql: "SELECT 1 AS one" }).finally(() => {
        callEndedAt = performance.now();
      });
      await sleep(300);
      const reported = await timed(() => status(server.client));
      const listed = await timed(() => server.client.listTools());
      expect(callEndedAt, "the SQL call ended before the fake hyperd gave up").toBeUndefined();
      expect(reported.ms).toBeLessThan(500);
      expect(reported.value.engine.started).toBe(false);
      expect(listed.ms).toBeLessThan(1_000);

      const result: CallToolResult = await pending;
      const callMs = (callEndedAt ?? Number.NaN) - callStarted;
      const body = result.structuredContent as { error: { code: string; message: string } };
      console.info(
        `status ${reported.ms.toFixed(0)} ms and tools/list ${listed.ms.toFixed(0)} ms during the start; SQL call failed after ${callMs.toFixed(0)} ms with ${body.error.code}`,
      );
      expect(result.isError).toBe(true);
      expect(body.error.message).toContain(failingHyperd);
      expect(body.error.message).toMatch(/code 3/);
      expect(body.error.message).toContain("fake hyperd: no engine here");
      // Bounded by the fake's own delay, far below the 30 s start timeout.
      expect(callMs).toBeGreaterThan(FAILING_FAKE_DELAY_S * 1_000 - 500);
      expect(callMs).toBeLessThan(15_000);
      // The session survives the failed start.
      const after = await timed(() => status(server.client));
      expect(after.ms).toBeLessThan(500);
      expect(after.value.hyperd_running).toBe(false);
    } finally {
      await server.client.close();
    }
    expect(await waitForExit(server.pid, 15_000)).toBe(true);
  });
});
