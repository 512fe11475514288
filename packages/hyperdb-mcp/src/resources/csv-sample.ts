/**
 * The body of `hyper://tables/{name}/csv-sample`: rows as CSV (RFC 4180) with a header row of
 * the table's column names.
 *
 * - null ⇒ an empty cell; objects and arrays ⇒ their compact JSON; other values as text.
 * - A cell is quoted when it holds a comma, a double quote, a line break or leading/trailing
 *   whitespace; quotes inside are doubled. Lines end with CRLF.
 *
 * @module
 */
import type { JsonValue } from "../engine/json-values.ts";

/** The CSV text of `rows` under the header `columns`. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, JsonValue>[]): string {
  const lines = [columns.map(csvCell).join(",")];
  for (const row of rows) {
    lines.push(columns.map((column) => csvCell(cellText(row[column] ?? null))).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

function cellText(value: JsonValue): string {
  if (value === null) {
    return "";
  }
  if (typeof value === "object") {
    return JSON.stringify(value);
  }
  return String(value);
}

function csvCell(text: string): string {
  if (/[",\r\n]/.test(text) || text !== text.trim()) {
    return `"${text.replaceAll('"', '""')}"`;
  }
  return text;
}
