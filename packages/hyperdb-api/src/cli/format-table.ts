/** A result to print: column names and rows of JS values. */
export interface PrintableResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

/** Renders a value as a table cell. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (value instanceof Uint8Array)
    return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
  if (typeof value === "string") return value;
  return String(value);
}

function isNumeric(value: unknown): boolean {
  return typeof value === "number" || typeof value === "bigint";
}

/**
 * Formats rows as an aligned text table in the style of psql: a header, a rule, the rows
 * (numbers right-aligned) and a row count.
 */
export function formatTable(result: PrintableResult): string {
  const { columns, rows } = result;
  const cells = rows.map((row) => columns.map((_, i) => formatCell(row[i]).replaceAll("\n", "\\n")));
  const widths = columns.map((name, i) =>
    Math.max(name.length, ...cells.map((row) => (row[i] ?? "").length)),
  );
  const rightAligned = columns.map((_, i) => rows.some((row) => isNumeric(row[i])));
  const line = (values: readonly string[], align: boolean) =>
    values
      .map((value, i) => {
        const width = widths[i] ?? 0;
        return align && rightAligned[i] ? value.padStart(width) : value.padEnd(width);
      })
      .join(" | ")
      .trimEnd();
  const header = line(
    columns.map((name, i) => {
      const pad = (widths[i] ?? 0) - name.length;
      return " ".repeat(Math.floor(pad / 2)) + name + " ".repeat(Math.ceil(pad / 2));
    }),
    false,
  );
  const rule = widths.map((width) => "-".repeat(width)).join("-+-");
  const body = cells.map((row) => line(row, true));
  const count = `(${rows.length} ${rows.length === 1 ? "row" : "rows"})`;
  return [header, rule, ...body, count].join("\n");
}
