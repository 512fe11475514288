import { describe, expect, it } from "vitest";
import { copyToArrowSql } from "./query-to-arrow.ts";

describe("copyToArrowSql", () => {
  it("wraps the query and drops trailing semicolons", () => {
    expect(copyToArrowSql("SELECT 1")).toBe("COPY (SELECT 1) TO STDOUT WITH (FORMAT arrowstream)");
    expect(copyToArrowSql("  SELECT 1 ;\n ; ")).toBe("COPY (SELECT 1) TO STDOUT WITH (FORMAT arrowstream)");
  });
});
