/**
 * The read-only guard of the `query` tool: decides, without a server round trip, whether a SQL
 * text can only read.
 *
 * A statement passes when all of these hold:
 * 1. its first keyword (after comments) is SELECT, WITH, VALUES, SHOW, EXPLAIN or TABLE;
 * 2. no writing keyword (INSERT, UPDATE, DELETE, MERGE, COPY, CREATE, DROP, ALTER, TRUNCATE,
 *    ATTACH, DETACH, SET, RESET, GRANT, REVOKE, RENAME, INTO) appears anywhere outside string
 *    literals, quoted identifiers and comments — a CTE or `EXPLAIN ANALYZE` can carry DML,
 *    `SELECT … INTO t` creates a table, `COPY … TO` writes a file, `CREATE TEMP` a table, and
 *    ATTACH/DETACH/SET/RESET would change the pooled connection for later calls;
 * 3. no function that changes session state (`set_config`) is called;
 * 4. it is one statement: nothing but whitespace and comments follows a `;`.
 *
 * The scan is deliberately conservative: a read-only query that uses one of those words as an
 * unquoted name is refused too (quote the name). Hyper's extended protocol also refuses
 * several statements in one call.
 *
 * @module
 */

/** The outcome of {@link checkReadOnly}. */
export type ReadOnlyVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const READ_KEYWORDS = new Set(["SELECT", "WITH", "VALUES", "SHOW", "EXPLAIN", "TABLE"]);

const WRITE_KEYWORDS = new Set([
  "INSERT",
  "UPDATE",
  "DELETE",
  "MERGE",
  "COPY",
  "CREATE",
  "DROP",
  "ALTER",
  "TRUNCATE",
  "ATTACH",
  "DETACH",
  "SET",
  "RESET",
  "INTO",
  "GRANT",
  "REVOKE",
  "RENAME",
]);

/** Functions that change the session's settings (the search path of a pooled connection). */
const WRITE_FUNCTIONS = new Set(["SET_CONFIG"]);

/** What the lexer found in a SQL text: its bare words, upper-cased, and statement count. */
export interface SqlScan {
  /** Unquoted words outside literals and comments, upper-cased, in order. */
  readonly keywords: readonly string[];
  /** True when something other than whitespace or comments follows a top-level `;`. */
  readonly multipleStatements: boolean;
  /** True when a literal, quoted identifier or block comment is not closed. */
  readonly unterminated: boolean;
}

/** Decides whether `sql` may run in the read-only `query` tool. */
export function checkReadOnly(sql: string): ReadOnlyVerdict {
  if (sql.includes("\0")) {
    // hyperd answers a NUL in the query text by closing the connection.
    return { ok: false, reason: "The SQL text contains a NUL character." };
  }
  const scan = scanSql(sql);
  const first = scan.keywords[0];
  if (first === undefined) {
    return { ok: false, reason: "The SQL text is empty or contains only comments." };
  }
  if (scan.unterminated) {
    return { ok: false, reason: "The SQL text has an unterminated string, quoted name or comment." };
  }
  if (scan.multipleStatements) {
    return { ok: false, reason: "Only one statement per call is allowed." };
  }
  if (!READ_KEYWORDS.has(first)) {
    return {
      ok: false,
      reason: `The query tool only runs read-only statements (SELECT, WITH, VALUES, SHOW, EXPLAIN); this one starts with ${first}.`,
    };
  }
  const writer = scan.keywords.find((word) => WRITE_KEYWORDS.has(word) || WRITE_FUNCTIONS.has(word));
  if (writer !== undefined) {
    return {
      ok: false,
      reason: `The query tool only runs read-only statements; this one contains ${writer}.`,
    };
  }
  return { ok: true };
}

/**
 * Splits `sql` into bare words, skipping `--` and nested block comments, `'…'` and `E'…'`
 * literals, `$tag$…$tag$` bodies and `"…"` identifiers.
 */
export function scanSql(sql: string): SqlScan {
  const keywords: string[] = [];
  let multipleStatements = false;
  let unterminated = false;
  let sawSemicolon = false;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === "-" && next === "-") {
      const end = sql.indexOf("\n", i + 2);
      i = end === -1 ? n : end + 1;
      continue;
    }
    if (c === "/" && next === "*") {
      const end = skipBlockComment(sql, i);
      if (end === -1) {
        unterminated = true;
        break;
      }
      i = end;
      continue;
    }
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (sawSemicolon && c !== ";") {
      multipleStatements = true;
    }
    if (c === ";") {
      sawSemicolon = true;
      i += 1;
      continue;
    }
    if (c === "'") {
      const backslashEscapes = i > 0 && /[eE]/.test(sql[i - 1] ?? "") && !/\w/.test(sql[i - 2] ?? "");
      const end = skipQuoted(sql, i, "'", backslashEscapes);
      if (end === -1) {
        unterminated = true;
        break;
      }
      i = end;
      continue;
    }
    if (c === '"') {
      const end = skipQuoted(sql, i, '"', false);
      if (end === -1) {
        unterminated = true;
        break;
      }
      i = end;
      continue;
    }
    if (c === "$") {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag !== null) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        if (end === -1) {
          unterminated = true;
          break;
        }
        i = end + tag[0].length;
        continue;
      }
      i += 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(sql[j] as string)) {
        j += 1;
      }
      const word = sql.slice(i, j);
      // E'…' literals: the E prefix is not a word of its own.
      if (!((word === "E" || word === "e") && sql[j] === "'")) {
        keywords.push(word.toUpperCase());
      }
      i = j;
      continue;
    }
    i += 1;
  }
  return { keywords, multipleStatements, unterminated };
}

/** Index after the closing `*\/` of the (possibly nested) comment at `start`, or -1. */
function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === "/" && sql[i + 1] === "*") {
      depth += 1;
      i += 2;
    } else if (sql[i] === "*" && sql[i + 1] === "/") {
      depth -= 1;
      i += 2;
      if (depth === 0) {
        return i;
      }
    } else {
      i += 1;
    }
  }
  return -1;
}

/** Index after the closing quote of the literal at `start` (doubled quotes escape), or -1. */
function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === "\\") {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i += 1;
  }
  return -1;
}
