import { describe, expect, it } from "vitest";
import {
  copyToSql,
  parseExportFormat,
  parseFormatOptions,
  withoutTrailingSemicolons,
} from "./export-format.ts";

describe("export formats", () => {
  it("accepts the five formats in any case and refuses others", () => {
    expect(parseExportFormat(" CSV ")).toBe("csv");
    expect(parseExportFormat("arrow_ipc")).toBe("arrow_ipc");
    expect(parseExportFormat("xlsx")).toMatchObject({ code: "UNSUPPORTED_FORMAT" });
  });

  it("checks option names and values", () => {
    expect(parseFormatOptions({ Delimiter: ";", header: false, rows_per_row_group: 10 })).toEqual(
      new Map<string, string | boolean | number>([
        ["delimiter", ";"],
        ["header", false],
        ["rows_per_row_group", 10],
      ]),
    );
    expect(parseFormatOptions({ "bad key": 1 })).toMatchObject({ code: "SCHEMA_MISMATCH" });
    expect(parseFormatOptions({ codec: { nested: true } })).toMatchObject({ code: "SCHEMA_MISMATCH" });
    expect(parseFormatOptions({ codec: null })).toMatchObject({ code: "SCHEMA_MISMATCH" });
    expect(parseFormatOptions([1])).toMatchObject({ code: "SCHEMA_MISMATCH" });
  });

  it("lets a caller option replace the base option of the same name and quotes keys", () => {
    const options = parseFormatOptions({ header: false, null: "NA" });
    if (!(options instanceof Map)) throw new Error("options refused");
    expect(copyToSql("SELECT 1 -- note", "/tmp/o'x.csv", "csv", options)).toBe(
      `COPY (\nSELECT 1 -- note\n) TO '/tmp/o''x.csv' WITH ("format" => 'csv', "header" => false, "null" => 'NA')`,
    );
  });

  it("strips trailing semicolons", () => {
    expect(withoutTrailingSemicolons("SELECT 1 ;\n ")).toBe("SELECT 1");
  });
});
