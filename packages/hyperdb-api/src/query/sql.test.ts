import { describe, expect, it } from "vitest";
import { SqlQuery, sql } from "./sql.ts";

describe("the sql tag", () => {
  it("turns every interpolated value into a numbered parameter", () => {
    const name = "Robert'); DROP TABLE students;--";
    const query = sql`SELECT * FROM t WHERE name = ${name} AND age > ${21}`;
    expect(query.text).toBe("SELECT * FROM t WHERE name = $1 AND age > $2");
    expect(query.values).toEqual([name, 21]);
    expect(query.text).not.toContain("DROP");
  });

  it("splices quoted identifiers and nested fragments, renumbering their parameters", () => {
    const filter = sql`region = ${"EMEA"} AND year = ${2024}`;
    const query = sql`SELECT ${1} AS one FROM ${sql.identifier("db", "public", 'odd"name')} WHERE ${filter} LIMIT ${10}`;
    expect(query.text).toBe(
      'SELECT $1 AS one FROM "db"."public"."odd""name" WHERE region = $2 AND year = $3 LIMIT $4',
    );
    expect(query.values).toEqual([1, "EMEA", 2024, 10]);
  });

  it("recognises its own objects, and sql.unsafe has no parameters", () => {
    expect(SqlQuery.isSqlQuery(sql`SELECT 1`)).toBe(true);
    expect(SqlQuery.isSqlQuery({ text: "SELECT 1", values: [] })).toBe(false);
    expect(sql.unsafe("SELECT 1").values).toEqual([]);
  });
});
