import { describe, expect, it } from "vitest";
import { TableName } from "../catalog/names.ts";
import { copyFromStdinSql } from "./copy-statement.ts";

describe("copyFromStdinSql", () => {
  it("quotes the qualified table and every column", () => {
    expect(copyFromStdinSql(TableName.parse('db.public."My ""T"""'), ["a", 'b"c'], "hyperbinary")).toBe(
      'COPY "db"."public"."My ""T""" ("a", "b""c") FROM STDIN WITH (FORMAT hyperbinary)',
    );
    expect(copyFromStdinSql(TableName.parse("t"), ["x"], "arrowstream")).toBe(
      'COPY "t" ("x") FROM STDIN WITH (FORMAT arrowstream)',
    );
  });
});
