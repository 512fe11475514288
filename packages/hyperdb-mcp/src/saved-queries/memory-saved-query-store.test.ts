import { describe, expect, it } from "vitest";
import { MemorySavedQueryStore } from "./memory-saved-query-store.ts";
import { rfc3339Of, timestampText } from "./persistent-saved-query-store.ts";
import type { SavedQuery } from "./saved-query-store.ts";

function query(name: string): SavedQuery {
  return { name, sql: `SELECT '${name}'`, description: null, created_at: "2026-01-31T09:30:00.123Z" };
}

describe("MemorySavedQueryStore", () => {
  it("refuses a second query of the same name, lists by name and deletes", async () => {
    const store = new MemorySavedQueryStore();
    expect(await store.save(query("b"))).toBe(true);
    expect(await store.save(query("a"))).toBe(true);
    expect(await store.save({ ...query("b"), sql: "SELECT 2" })).toBe(false);
    expect((await store.list()).map((saved) => saved.name)).toEqual(["a", "b"]);
    expect((await store.get("b"))?.sql).toBe("SELECT 'b'");
    expect(await store.delete("b")).toBe(true);
    expect(await store.delete("b")).toBe(false);
    expect(await store.get("b")).toBeUndefined();
  });
});

describe("created_at round trip", () => {
  it("turns RFC 3339 into a TIMESTAMP literal and back", () => {
    expect(timestampText("2026-01-31T09:30:00.123Z")).toBe("2026-01-31 09:30:00.123");
    expect(rfc3339Of("2026-01-31 09:30:00.123")).toBe("2026-01-31T09:30:00.123Z");
    expect(rfc3339Of("2026-01-31 09:30:00")).toBe("2026-01-31T09:30:00.000Z");
  });
});
