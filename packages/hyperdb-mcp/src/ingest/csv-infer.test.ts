import { describe, expect, it } from "vitest";
import { CSV_SAMPLE_ROWS, headerNames, inferCsv } from "./csv-infer.ts";

function types(csv: string): string[] {
  return inferCsv(csv).columns.map((column) => column.type);
}

function sampleThen(late: string, column = "1"): string {
  const lines = ["v"];
  for (let i = 0; i < CSV_SAMPLE_ROWS + 10; i += 1) lines.push(column);
  lines.push(late);
  return `${lines.join("\n")}\n`;
}

describe("inferCsv", () => {
  it("names columns from the header in order and makes every column nullable", () => {
    const inference = inferCsv("b,a\n1,x\n");
    expect(inference.columns).toEqual([
      { name: "b", type: "INTEGER", nullable: true },
      { name: "a", type: "TEXT", nullable: true },
    ]);
    expect(inference.rowCount).toBe(1);
  });

  it("infers booleans, integers, doubles, dates, timestamps and text", () => {
    expect(
      types(
        "b,i,big,d,dt,ts,t\ntrue,1,3000000000,1.5,2024-01-02,2024-01-02T03:04:05,x\nFALSE,-2,4,2e3,2024-12-31,2024-01-02 03:04:05.5,y\n",
      ),
    ).toEqual(["BOOLEAN", "INTEGER", "BIGINT", "DOUBLE PRECISION", "DATE", "TIMESTAMP", "TEXT"]);
  });

  it("skips null tokens (empty, null, NA in any case) and types all-null columns TEXT", () => {
    const inference = inferCsv("a,b,c\n,NULL,\nna,2,\n1,null,\n");
    expect(inference.columns.map((column) => column.type)).toEqual(["INTEGER", "INTEGER", "TEXT"]);
    expect(inference.tokenNullColumns).toEqual(["a", "b"]);
    expect(inferCsv("a\n1\n\n2\n").tokenNullColumns).toEqual([]);
  });

  it("mixes dates and timestamps to TIMESTAMP, numbers to the widest, anything else to TEXT", () => {
    expect(types("a,b,c\n2024-01-01,1,true\n2024-01-01 10:00:00,2.5,1\n")).toEqual([
      "TIMESTAMP",
      "DOUBLE PRECISION",
      "TEXT",
    ]);
  });

  it("widens after the sample: INT to BIGINT, BIGINT to NUMERIC(38,0), INT to DOUBLE", () => {
    expect(types(sampleThen("5000000000"))).toEqual(["BIGINT"]);
    expect(types(sampleThen("99999999999999999999", "5000000000"))).toEqual(["NUMERIC(38,0)"]);
    expect(types(sampleThen("2.5"))).toEqual(["DOUBLE PRECISION"]);
    expect(types(sampleThen("1e5"))).toEqual(["DOUBLE PRECISION"]);
    expect(types(sampleThen("NA"))).toEqual(["INTEGER"]);
  });

  it("leaves TEXT and other non-integer columns alone and turns late words into TEXT", () => {
    expect(types(sampleThen("5000000000", "word"))).toEqual(["TEXT"]);
    expect(types(sampleThen("oops"))).toEqual(["TEXT"]);
    // Only integer columns are revisited after the sample.
    expect(types(sampleThen("2.5", "2024-01-01"))).toEqual(["DATE"]);
  });

  it("reads only a prefix when told the text is incomplete", () => {
    const inference = inferCsv("a\n1\n2\n3", false);
    expect(inference.rowCount).toBe(2);
    expect(inference.complete).toBe(false);
  });

  it("rejects data without a header", () => {
    expect(() => inferCsv("")).toThrow(expect.objectContaining({ code: "EMPTY_DATA" }));
    expect(() => inferCsv("\n\n")).toThrow(expect.objectContaining({ code: "EMPTY_DATA" }));
  });

  it("numbers empty header names and suffixes repeated ones", () => {
    expect(headerNames(["a", "", "a", "a_2", " "])).toEqual(["a", "column_2", "a_2", "a_2_2", "column_5"]);
  });
});
