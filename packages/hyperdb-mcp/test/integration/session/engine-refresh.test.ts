/**
 * `SessionEngine.start` and `SessionEngine.refresh`: a stdio server starts its engine at once, and
 * the daemon has an engine started ahead checked when a session takes it, so the session's first
 * call does not wait for the pool's health check. A call that comes while either runs waits for
 * it instead of opening a second connection beside it. Real hyperd (the suite's shared one).
 */
import { afterEach, describe, expect, it } from "vitest";
import { SessionEngine } from "../../../src/engine/session-engine.ts";
import { sharedHyperd } from "../ingest/fixtures.ts";

describe("SessionEngine.start and refresh", () => {
  const engines: SessionEngine[] = [];

  function engine(): SessionEngine {
    const created = new SessionEngine({ source: sharedHyperd(), persistentPath: null });
    engines.push(created);
    return created;
  }

  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });

  it("lets a call that comes during the start use the started connection", async () => {
    const starting = engine();
    const started = starting.start();
    const value = await starting.use((connection) => connection.fetchScalar<number>("SELECT 6 * 7"));
    await started;
    expect(value).toBe(42);
    expect(starting.snapshot().connections).toEqual({ open: 1, inUse: 0 });
  });

  it("lets a call that comes during the refresh use the same connection", async () => {
    const started = engine();
    await started.start();
    expect(started.snapshot().connections.open).toBe(1);
    // The pool checks a connection idle for over a second before lending it.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    started.refresh();
    const value = await started.use((connection) => connection.fetchScalar<number>("SELECT 41 + 1"));
    expect(value).toBe(42);
    expect(started.snapshot().connections).toEqual({ open: 1, inUse: 0 });
  });

  it("keeps the local database of the started engine", async () => {
    const started = engine();
    await started.start();
    await started.use((connection) => connection.execute("CREATE TABLE kept AS SELECT 7 AS v"));
    started.refresh();
    started.refresh();
    expect(await started.use((connection) => connection.fetchScalar<number>("SELECT v FROM kept"))).toBe(7);
  });

  it("does nothing on a closed engine", async () => {
    const closed = engine();
    await closed.start();
    await closed.close();
    closed.refresh();
    expect(closed.snapshot().connections.open).toBe(0);
    await expect(closed.use(async () => 1)).rejects.toThrow(/closed/);
  });
});
