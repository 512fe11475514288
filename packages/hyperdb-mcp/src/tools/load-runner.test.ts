import { describe, expect, it } from "vitest";
import { requireTableName } from "./load-runner.ts";

describe("requireTableName", () => {
  it("accepts ordinary names, including odd ones", () => {
    expect(() => requireTableName("sales 2024")).not.toThrow();
    expect(() => requireTableName('x"; DROP TABLE t; --')).not.toThrow();
  });

  it("refuses empty names and the prefix of the server's own tables", () => {
    expect(() => requireTableName("  ")).toThrow(/non-empty/);
    expect(() => requireTableName("_hyperdb_mine")).toThrow(/reserved for the server's own tables/);
  });
});
