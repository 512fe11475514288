import { describe, expect, it } from "vitest";
import { readmeMarkdown } from "./readme-markdown.ts";

describe("readmeMarkdown", () => {
  it("says when there are no tables and no persistent database", () => {
    const text = readmeMarkdown({
      persistentPath: null,
      readOnly: false,
      attachments: [],
      tables: [],
      savedQueries: [],
    });
    expect(text.startsWith("# HyperDB databases\n")).toBe(true);
    expect(text).toContain("_No tables loaded yet._");
    expect(text).toContain("--ephemeral-only");
  });

  it("lists tables with their resources and saved queries", () => {
    const text = readmeMarkdown({
      persistentPath: "/data/p.hyper",
      readOnly: true,
      attachments: ["sales"],
      tables: [{ name: "a|b", columns: [{ name: "id", type: "INTEGER", nullable: false }], row_count: 3 }],
      savedQueries: [
        { name: "q1", sql: "SELECT 1", description: "one", created_at: "2026-01-01T00:00:00.000Z" },
      ],
    });
    expect(text).not.toContain("_No tables loaded yet._");
    expect(text).toContain("| `a\\|b` | 3 | id INTEGER |");
    expect(text).toContain("<hyper://tables/a|b/csv-sample>");
    expect(text).toContain("- `q1` — one: <hyper://queries/q1/result>");
    expect(text).toContain("`/data/p.hyper`");
    expect(text).toContain("`sales`");
    expect(text).toContain("read-only");
  });
});
