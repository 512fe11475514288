/**
 * A session runs its tool calls side by side: while one `query` keeps hyperd busy for seconds,
 * `status` and a second `query` from the same client answer at once. (The reference server
 * serializes every call behind one engine lock, so there both would wait for the long query.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerUnderTest, startServer } from "../server/mcp-client.ts";
import { callTool, heavyQuery, sleep, status, structured, timed } from "./session-helpers.ts";

/** What "answers at once" means here, with room for two shared, noisy cores. */
const PROMPT_MS = 200;

describe("calls during a long query", () => {
  let server: ServerUnderTest;

  beforeAll(async () => {
    // A private hyperd of its own and no shared database file: nothing else competes for it.
    server = await startServer({ args: ["--no-daemon", "--ephemeral-only"] });
    // Start the engine first: the claim is about a running session, not about hyperd's start.
    structured(await callTool(server.client, "query", { sql: "SELECT 1 AS one" }));
  });

  afterAll(async () => {
    await server?.client.close().catch(() => undefined);
  });

  it("answers status and a second query in under 200 ms each while a 5-second query runs", async () => {
    const longStarted = performance.now();
    let longEndedAt: number | undefined;
    const long = callTool(server.client, "query", { sql: heavyQuery(70_000) }).finally(() => {
      longEndedAt = performance.now();
    });
    await sleep(300);
    // The long query holds a connection by now.
    const during = await timed(() => status(server.client));
    const second = await timed(() => callTool(server.client, "query", { sql: "SELECT 1 AS one" }));
    const checkedAt = performance.now();

    expect(longEndedAt, "the long query ended before the other calls were timed").toBeUndefined();
    expect(during.value.engine.connections_in_use).toBeGreaterThanOrEqual(1);
    expect(structured<{ result: unknown[] }>(second.value).result).toEqual([{ one: 1 }]);
    const longResult = await long;
    const longMs = performance.now() - longStarted;
    console.info(
      `status ${during.ms.toFixed(0)} ms, second query ${second.ms.toFixed(0)} ms, long query ${longMs.toFixed(0)} ms (${(checkedAt - longStarted).toFixed(0)} ms in)`,
    );
    expect(structured<{ result: unknown[] }>(longResult).result).toHaveLength(1);
    expect(during.ms).toBeLessThan(PROMPT_MS);
    expect(second.ms).toBeLessThan(PROMPT_MS);
    // The long query really was long: both answers came while it still had seconds to go.
    expect(longMs - (checkedAt - longStarted)).toBeGreaterThan(1_000);
  });
});
