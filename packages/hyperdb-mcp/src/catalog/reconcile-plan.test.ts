import { describe, expect, it } from "vitest";
import { planReconcile } from "./reconcile-plan.ts";

const OWN = { ownDatabase: "persistent", renameIn: "persistent" };

describe("planReconcile", () => {
  it("adds untracked tables, removes vanished rows and refreshes changed counts", () => {
    const plan = planReconcile(
      [
        { name: "kept", rowCount: 3 },
        { name: "grown", rowCount: 1 },
        { name: "gone", rowCount: 7 },
      ],
      [
        { name: "kept", rowCount: 3, database: "persistent" },
        { name: "grown", rowCount: 5, database: "persistent" },
        { name: "new", rowCount: 2, database: "persistent" },
      ],
      OWN,
    );
    expect(plan).toEqual({
      add: [{ name: "new", rowCount: 2, database: "persistent" }],
      remove: ["gone"],
      renames: [],
      refresh: [{ name: "grown", rowCount: 5 }],
    });
  });

  it("takes one vanished row and one new table with the same row count for a rename", () => {
    const plan = planReconcile(
      [{ name: "old", rowCount: 4 }],
      [{ name: "renamed", rowCount: 4, database: "persistent" }],
      OWN,
    );
    expect(plan.renames).toEqual([{ from: "old", to: "renamed", rowCount: 4 }]);
    expect(plan.add).toEqual([]);
    expect(plan.remove).toEqual([]);
  });

  it("does not guess between candidates with the same row count", () => {
    const plan = planReconcile(
      [
        { name: "a", rowCount: 4 },
        { name: "b", rowCount: 4 },
      ],
      [{ name: "c", rowCount: 4, database: "persistent" }],
      OWN,
    );
    expect(plan.renames).toEqual([]);
    expect(plan.remove).toEqual(["a", "b"]);
    expect(plan.add.map((table) => table.name)).toEqual(["c"]);
  });

  it("matches renames only in the database where DDL ran", () => {
    const entries = [
      { name: "local_old", rowCount: 2 },
      { name: "persistent_old", rowCount: 9 },
    ];
    const live = [
      { name: "local_new", rowCount: 2, database: "local" },
      { name: "persistent_new", rowCount: 9, database: "persistent" },
    ];
    const databaseOf = (name: string) => (name.startsWith("local") ? "local" : undefined);
    const inLocal = planReconcile(entries, live, {
      ownDatabase: "persistent",
      renameIn: "local",
      databaseOf,
    });
    expect(inLocal.renames).toEqual([{ from: "local_old", to: "local_new", rowCount: 2 }]);
    expect(inLocal.remove).toEqual(["persistent_old"]);
    // A vanished row of unknown origin is never renamed onto a new local table.
    const unknownOrigin = planReconcile([{ name: "x", rowCount: 2 }], live, {
      ownDatabase: "persistent",
      renameIn: "local",
    });
    expect(unknownOrigin.renames).toEqual([]);
  });
});
