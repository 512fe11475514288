import type { QueryResult, Row } from "@hyperdb-ts/hyperdb-api-core";
import { describe, expect, it } from "vitest";
import { RowStream } from "./row-stream.ts";

/** A stand-in for a finished query result with the given columns and rows. */
function resultOf(names: readonly string[], rows: Row[]): QueryResult {
  const columns = names.map((name) => ({
    name,
    tableOid: 0,
    columnNumber: 0,
    typeOid: 25,
    typeSize: -1,
    typmod: -1,
  }));
  return {
    columns: Promise.resolve(columns),
    async *batches() {
      yield rows;
    },
  } as unknown as QueryResult;
}

describe("RowStream object rows", () => {
  it("keys values by column name, odd names included", async () => {
    const names = ["id", 'we"ird', "with space", "ünï", "__proto__", "id"];
    const rows = await new RowStream(resultOf(names, [[1, 2, 3, 4, 5, 6]]), "object").toArray();
    const row = rows[0] as Record<string, unknown>;
    expect(Object.keys(row)).toEqual(["id", 'we"ird', "with space", "ünï", "__proto__"]);
    expect(row.id).toBe(6);
    expect(row['we"ird']).toBe(2);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(row, "__proto__")?.value).toBe(5);
  });

  it("builds wide rows in a loop with the same result", async () => {
    const names = [...Array.from({ length: 70 }, (_, i) => `c${i}`), "__proto__"];
    const values = names.map((_, i) => i);
    const row = (await new RowStream(resultOf(names, [values]), "object").toArray())[0] as Record<
      string,
      unknown
    >;
    expect(row.c0).toBe(0);
    expect(row.c69).toBe(69);
    expect(Object.getOwnPropertyDescriptor(row, "__proto__")?.value).toBe(70);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });
});
