/**
 * Classification and validation of the statements of an `execute` batch, done entirely before
 * the engine is touched so a refused batch never runs half-way.
 *
 * A statement's kind is decided by its first keyword after whitespace and (nested) comments,
 * as in the upstream Rust hyperdb-mcp; the rules a batch must pass are the upstream's:
 * - the array is not empty and no element is empty or only comments (`INVALID_ARGUMENT`);
 * - no element is read-only (`SQL_ERROR`: such statements belong to the `query` tool);
 * - no element is transaction control (`INVALID_ARGUMENT`: the tool owns the transaction);
 * - DDL (CREATE, DROP, ALTER, TRUNCATE, RENAME) is not mixed with DML (INSERT, UPDATE, DELETE,
 *   COPY, MERGE), and at most one element is DDL (`INVALID_ARGUMENT`);
 * - unknown first keywords pass through to Hyper.
 *
 * Two deliberate differences from the upstream:
 * - ATTACH, DETACH, SET, RESET and calls of `set_config` are refused (`INVALID_ARGUMENT`).
 *   Connections are pooled and reused by later calls: a statement that attaches a database or
 *   changes a session setting (the search path above all) would silently change what every
 *   later call on that connection sees.
 * - "Read-only" uses the same lexer as the `query` tool's guard, so a `WITH … INSERT` statement is
 *   DML (the upstream looks only at the leading `WITH` and refuses it as read-only).
 *
 * @module
 */
import { checkReadOnly, scanSql } from "../engine/read-only.ts";
import type { ToolErrorCode } from "./tool-error.ts";

/** What a statement does, by its first keyword. */
export type StatementKind = "empty" | "read" | "transaction" | "session" | "ddl" | "dml" | "other";

const TRANSACTION_KEYWORDS = new Set([
  "BEGIN",
  "START",
  "COMMIT",
  "END",
  "ROLLBACK",
  "ABORT",
  "SAVEPOINT",
  "RELEASE",
]);
const SESSION_KEYWORDS = new Set(["ATTACH", "DETACH", "SET", "RESET"]);
const DDL_KEYWORDS = new Set(["CREATE", "DROP", "ALTER", "TRUNCATE", "RENAME"]);
const DML_KEYWORDS = new Set(["INSERT", "UPDATE", "DELETE", "COPY", "MERGE"]);

/** The first keyword of `sql` (upper-cased) after whitespace and comments, if any. */
export function firstKeyword(sql: string): string | undefined {
  return scanSql(sql).keywords[0];
}

/** Classifies one statement. */
export function classifyStatement(sql: string): StatementKind {
  const scan = scanSql(sql);
  const first = scan.keywords[0];
  if (first === undefined) {
    return "empty";
  }
  if (checkReadOnly(sql).ok) {
    return "read";
  }
  if (TRANSACTION_KEYWORDS.has(first)) {
    return "transaction";
  }
  if (SESSION_KEYWORDS.has(first) || scan.keywords.includes("SET_CONFIG")) {
    return "session";
  }
  if (DDL_KEYWORDS.has(first)) {
    return "ddl";
  }
  if (DML_KEYWORDS.has(first)) {
    return "dml";
  }
  // `WITH src AS (…) INSERT INTO …`: data-modifying statements led by a CTE.
  if (first === "WITH" && scan.keywords.some((word) => DML_KEYWORDS.has(word))) {
    return "dml";
  }
  // `SELECT … INTO new_table FROM …` creates a table.
  if ((first === "SELECT" || first === "WITH") && scan.keywords.includes("INTO")) {
    return "ddl";
  }
  return "other";
}

/** Why a batch was refused. */
export interface BatchRefusal {
  readonly code: ToolErrorCode;
  readonly message: string;
  readonly suggestion?: string;
}

/** The outcome of {@link validateBatch}: the kinds of the statements, or why the batch is refused. */
export type BatchVerdict =
  | { readonly ok: true; readonly kinds: readonly StatementKind[] }
  | ({ readonly ok: false } & BatchRefusal);

/** Checks an `execute` batch against the rules in this module's description. */
export function validateBatch(statements: readonly string[]): BatchVerdict {
  if (statements.length === 0) {
    return refuse("INVALID_ARGUMENT", "`sql` must contain at least one statement.");
  }
  const kinds: StatementKind[] = [];
  for (const [index, sql] of statements.entries()) {
    const label = `\`sql[${index}]\``;
    if (sql.includes("\0")) {
      // hyperd answers a NUL in the statement text by closing the connection.
      return refuse("INVALID_ARGUMENT", `${label} contains a NUL character.`);
    }
    const kind = classifyStatement(sql);
    switch (kind) {
      case "empty":
        return refuse("INVALID_ARGUMENT", `${label} is empty or contains only comments.`);
      case "read":
        return refuse(
          "SQL_ERROR",
          `${label} is a read-only statement; execute only runs statements that change data or schema.`,
          "Use the query tool for SELECT, WITH, VALUES, SHOW and EXPLAIN.",
        );
      case "transaction":
        return refuse(
          "INVALID_ARGUMENT",
          `${label} is transaction control (${firstKeyword(sql)}); execute manages the transaction itself.`,
          "Drop BEGIN/COMMIT/ROLLBACK/SAVEPOINT: a single statement runs in auto-commit, several statements in one call run in one transaction that is rolled back on the first failure.",
        );
      case "session":
        return refuse(
          "INVALID_ARGUMENT",
          `${label} changes the connection's session state; execute does not run ATTACH, DETACH, SET, RESET or set_config because they would change the pooled connection for later calls.`,
          'Use the database argument ("local", "persistent" or an attach_database alias) to choose where unqualified names resolve, or qualify names as "persistent"."public"."table".',
        );
      default:
        kinds.push(kind);
    }
  }
  const ddl = kinds.flatMap((kind, index) => (kind === "ddl" ? [index] : []));
  const dml = kinds.flatMap((kind, index) => (kind === "dml" ? [index] : []));
  if (ddl.length > 0 && dml.length > 0) {
    return refuse(
      "INVALID_ARGUMENT",
      `the batch mixes DDL (sql[${ddl[0]}]) with DML (sql[${dml[0]}]); schema changes and data changes must be separate execute calls.`,
      "Run the CREATE/ALTER/DROP statement in its own execute call first, then the INSERT/UPDATE/DELETE statements in a second call.",
    );
  }
  if (ddl.length > 1) {
    return refuse(
      "INVALID_ARGUMENT",
      `the batch contains ${ddl.length} DDL statements (sql[${ddl.join("], sql[")}]); at most one DDL statement is allowed per execute call.`,
      "Send each CREATE/ALTER/DROP/TRUNCATE/RENAME statement in its own execute call.",
    );
  }
  return { ok: true, kinds };
}

function refuse(code: ToolErrorCode, message: string, suggestion?: string): BatchVerdict {
  return suggestion === undefined ? { ok: false, code, message } : { ok: false, code, message, suggestion };
}
