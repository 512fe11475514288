/**
 * The `instructions` the server sends in its `initialize` reply: a short header on how to use
 * the tools (with a variant for `--read-only`, where writing tools are refused) followed by a
 * compact cheat sheet of Hyper's SQL dialect. Clients put this text into the model's context
 * before the first call, so it stays short; `get_readme` has the full manual.
 *
 * @module
 */

const HEADER =
  'hyperdb-mcp runs SQL analytics on local files with the Hyper engine. Start with "get_readme" for the full manual. Load data with "load_file" / "load_files" / "load_data" (check types first with "inspect_file"), explore with "describe" and "sample", read with "query" (read-only SQL), change data or schema with "execute" (one statement per array element; several run in one transaction). Unqualified names resolve in the session\'s "local" database; pass database: "persistent" for the database that survives sessions. "status" reports health.';

const READ_ONLY_HEADER =
  'hyperdb-mcp runs SQL analytics on local files with the Hyper engine, in READ-ONLY mode: execute, load_file, load_files and load_data are refused with READ_ONLY_VIOLATION. Start with "get_readme" for the full manual. Explore with "describe" and "sample", read with "query" (read-only SQL), and analyse files or inline data without storing them with "query_file" / "query_data" ("inspect_file" shows a file\'s inferred schema). Unqualified names resolve in the session\'s "local" database; pass database: "persistent" to read the database that survives sessions. "status" reports health.';

const CHEAT_SHEET = `Hyper SQL cheat sheet (PostgreSQL dialect):
- One statement per call; multi-part queries are disabled. A trailing semicolon is fine.
- Quoted identifiers are case-sensitive and kept verbatim ("Sales 2024"); unquoted names fold to lower case.
- JSON is stored as TEXT: cast first, e.g. value::json ->> 'field', (value::json ->> 'n')::int. No JSON_VALUE.
- Read a file without loading it: SELECT * FROM external('/abs/path/file.parquet').
- No PRIMARY KEY / UNIQUE constraints and no ON CONFLICT: upsert as DELETE then INSERT in one execute batch.
- Integer division truncates: 7 / 2 = 3; use 7 / 2.0 or ::double precision.
- Dates: DATE '2024-01-31', date_trunc('month', ts), extract(year FROM d), ts + INTERVAL '1 day'.
- Results are capped at 10,000 rows: aggregate (COUNT, GROUP BY) or LIMIT instead of pulling raw rows.`;

/** The instructions for a server that is read-only or not. */
export function serverInstructions(readOnly: boolean): string {
  return `${readOnly ? READ_ONLY_HEADER : HEADER}\n\n${CHEAT_SHEET}`;
}
