/**
 * Highest `$n` placeholder number in a statement, ignoring string literals, quoted
 * identifiers and comments. Hyper needs one declared parameter type per placeholder.
 */
export function countPlaceholders(sql: string): number {
  let highest = 0;
  let i = 0;
  const length = sql.length;
  while (i < length) {
    const char = sql[i];
    const next = sql[i + 1];
    if (char === "'" || char === '"') {
      i = skipQuoted(sql, i, char);
    } else if (char === "-" && next === "-") {
      const newline = sql.indexOf("\n", i);
      i = newline < 0 ? length : newline + 1;
    } else if (char === "/" && next === "*") {
      i = skipBlockComment(sql, i);
    } else if (char === "$" && next !== undefined && next >= "0" && next <= "9") {
      let end = i + 1;
      while (end < length && (sql[end] as string) >= "0" && (sql[end] as string) <= "9") end++;
      highest = Math.max(highest, Number(sql.slice(i + 1, end)));
      i = end;
    } else {
      i++;
    }
  }
  return highest;
}

/** Index just past a quoted section starting at `start`; doubled quotes stay inside. */
function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return i;
}

/** Index just past a (possibly nested) block comment starting at `start`. */
function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === "/" && sql[i + 1] === "*") {
      depth++;
      i += 2;
    } else if (sql[i] === "*" && sql[i + 1] === "/") {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return i;
}
