import { describe, expect, it } from "vitest";
import { SessionTable } from "./session-table.ts";

class FakeSession {
  closed = 0;
  async close(): Promise<void> {
    this.closed++;
  }
}

function tableWithClock(maxSessions = 2, idleTimeoutMs = 1000) {
  const clock = { now: 0 };
  const table = new SessionTable<FakeSession>({ maxSessions, idleTimeoutMs, now: () => clock.now });
  return { table, clock };
}

describe("SessionTable", () => {
  it("caps sessions, counting those being opened", () => {
    const { table } = tableWithClock(2);
    expect(table.reserve()).toBe(true);
    expect(table.reserve()).toBe(true);
    expect(table.reserve()).toBe(false);
    table.add("a", new FakeSession());
    table.release();
    expect(table.size).toBe(1);
    expect(table.reserve()).toBe(true);
    expect(table.reserve()).toBe(false);
  });

  it("removes and closes a session once", async () => {
    const { table } = tableWithClock();
    const session = new FakeSession();
    table.reserve();
    table.add("a", session);
    expect(table.get("a")).toBe(session);
    expect(await table.remove("a")).toBe(true);
    expect(await table.remove("a")).toBe(false);
    expect(session.closed).toBe(1);
    expect(table.get("a")).toBeUndefined();
    expect(table.reserve()).toBe(true);
  });

  it("closes sessions idle past the timeout, never one with an open exchange", async () => {
    const { table, clock } = tableWithClock(3, 1000);
    const idle = new FakeSession();
    const streaming = new FakeSession();
    const recent = new FakeSession();
    table.add("idle", idle);
    table.add("streaming", streaming);
    const end = table.begin("streaming");
    clock.now = 900;
    table.add("recent", recent);
    clock.now = 1500;
    expect(await table.sweep()).toEqual(["idle"]);
    expect(idle.closed).toBe(1);
    clock.now = 5000;
    expect(await table.sweep()).toEqual(["recent"]);
    end();
    end(); // ending twice counts once
    clock.now = 5900;
    expect(await table.sweep()).toEqual([]);
    clock.now = 6100;
    expect(await table.sweep()).toEqual(["streaming"]);
    expect(streaming.closed).toBe(1);
  });

  it("closes every session on closeAll", async () => {
    const { table } = tableWithClock();
    const sessions = [new FakeSession(), new FakeSession()];
    table.add("a", sessions[0] as FakeSession);
    table.add("b", sessions[1] as FakeSession);
    await table.closeAll();
    expect(table.size).toBe(0);
    expect(sessions.map((session) => session.closed)).toEqual([1, 1]);
  });
});
