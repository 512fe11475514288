/**
 * The text of the `get_readme` tool: a manual of this server written for an LLM client, which
 * reads it once to learn the tools, the database model and the Hyper SQL dialect instead of
 * guessing from tool descriptions.
 *
 * {@link TOOL_SUMMARIES} is the one place that lists the tools; adding a tool means adding one
 * line there (a test checks that every tool the server registers appears in the manual).
 *
 * @module
 */

/** A tool of this server and what it is for, in one line. */
export interface ToolSummary {
  readonly name: string;
  readonly summary: string;
}

/** Every tool of the server, in the order the manual lists them. */
export const TOOL_SUMMARIES: readonly ToolSummary[] = [
  {
    name: "status",
    summary: "Health and identity: engine mode, hyperd state, database paths, connections. Never blocks.",
  },
  { name: "get_readme", summary: "This manual." },
  {
    name: "describe",
    summary: "List the tables of a database with columns, types and row counts, or describe one table.",
  },
  {
    name: "sample",
    summary: "Schema, row count and the first n rows (default 5, at most 100) of one table.",
  },
  {
    name: "query",
    summary:
      "One read-only SQL statement (SELECT, WITH, VALUES, SHOW, EXPLAIN); rows as JSON, at most 10,000.",
  },
  {
    name: "chart",
    summary:
      "Bar, line, scatter or histogram chart of one read-only query: PNG or SVG, inline and/or to a file.",
  },
  {
    name: "execute",
    summary:
      "DDL/DML statements as an array; several run in one transaction that rolls back on the first failure.",
  },
  {
    name: "inspect_file",
    summary:
      "Dry run: the schema, formats and sample values a file would be loaded with. Touches no database.",
  },
  {
    name: "load_file",
    summary: "Load one CSV, JSON, JSONL, Parquet or Arrow file into a table (replace, append or merge).",
  },
  {
    name: "load_files",
    summary: "Load many files into tables in parallel; per-file failures do not fail the call.",
  },
  { name: "load_data", summary: "Load inline JSON or CSV text into a table (replace or append)." },
  {
    name: "query_data",
    summary: "Load inline JSON/CSV into a temporary table, run one query over it, drop it.",
  },
  { name: "query_file", summary: "Load a file into a temporary table, run one query over it, drop it." },
  {
    name: "attach_database",
    summary: "Attach a .hyper file under an alias (read-only unless writable; on_missing create).",
  },
  { name: "detach_database", summary: "Detach an attached database; the file stays." },
  {
    name: "list_attached_databases",
    summary: "The attached databases with paths, writability and table counts.",
  },
  {
    name: "export",
    summary:
      "Write a table or read-only query to csv, parquet, arrow_ipc or an iceberg directory; hyper copies all tables.",
  },
  {
    name: "copy_query",
    summary: "Rows of one SELECT/WITH/VALUES into a table (create, append or replace), across databases.",
  },
  {
    name: "load_iceberg",
    summary: "Load an Iceberg table directory into a local table (replace or append, version_as_of).",
  },
  {
    name: "save_query",
    summary: "Store a named read-only query; read it as hyper://queries/<name>/definition and /result.",
  },
  { name: "delete_query", summary: "Delete a saved query (deleted: false when the name is unknown)." },
  {
    name: "set_table_metadata",
    summary:
      'Record where a table comes from and what it is for in _table_catalog (omit = keep, "" = clear).',
  },
  {
    name: "watch_directory",
    summary: "Append every file that arrives in a directory (with a <file>.ready sentinel) to a table.",
  },
  { name: "unwatch_directory", summary: "Stop a directory watcher; returns its loaded and failed counts." },
  {
    name: "kv_set",
    summary: "Remember a string under store + key (upsert; overwrite:false guards; value_path reads a file).",
  },
  {
    name: "kv_set_many",
    summary: "Write many keys of one store atomically (one invalid key writes nothing).",
  },
  { name: "kv_get", summary: "Read a value: {found, value}; value null when the key is absent." },
  { name: "kv_delete", summary: "Remove a key: {deleted}." },
  { name: "kv_list", summary: "Keys of a store sorted ascending, or entries with values:true." },
  { name: "kv_list_stores", summary: "Stores that hold at least one key, sorted." },
  { name: "kv_size", summary: "Key count and total value bytes of a store." },
  { name: "kv_pop", summary: "Remove and return the lowest key of a store (a simple work queue)." },
  { name: "kv_clear", summary: "Remove every key of one store." },
];

function toolTable(): string {
  return TOOL_SUMMARIES.map((tool) => `| \`${tool.name}\` | ${tool.summary} |`).join("\n");
}

/** The manual returned by `get_readme`, as markdown. */
export const README_TEXT = `# hyperdb-mcp — manual for LLM clients

hyperdb-mcp gives you instant SQL analytics over local files with **Hyper**, the columnar
engine behind Tableau. You load files (CSV, JSON, JSONL, Parquet, Arrow IPC) or inline data into
tables, then query them with SQL in the **PostgreSQL dialect**. Everything runs on this machine.

## Tools

| Tool | Purpose |
|---|---|
${toolTable()}

Typical flow: \`inspect_file\` (check inferred types) → \`load_file\` → \`describe\` / \`sample\` →
\`query\`. For a one-off question about a file or a snippet of data, \`query_file\` /
\`query_data\` do load + query + clean-up in one call.

## Databases: local, persistent, attached

- **local** — the session's own database (a fresh file per session, deleted when the session
  ends). It is the default: unqualified table names and an omitted \`database\` argument land here.
- **persistent** — a database file that survives sessions. Choose it with
  \`database: "persistent"\` (case-insensitive) on query, execute, describe, sample and the load
  tools (the load tools also accept \`persist: true\`; \`database\` wins when both are given). In
  SQL you can always qualify: \`"persistent"."public"."sales"\`. A server started with
  \`--ephemeral-only\` has no persistent database; asking for it is INVALID_ARGUMENT.
- **attached** — any other \`.hyper\` file, via \`attach_database\` (\`alias\`, absolute \`path\`).
  Read-only unless \`writable: true\` (hyperd itself refuses writes to a read-only attachment);
  \`on_missing: "create"\` with \`writable: true\` creates a new database. Use
  \`database: "<alias>"\`, or \`"<alias>"."public"."t"\` in SQL to join across databases.
  Attachments last until \`detach_database\` or the end of the session.
- Every successful database-routed response carries \`resolved_database\` telling you where the
  call ran.

## KV scratchpad

- Remember small things (notes, settings, JSON, cursors) without a table: \`kv_set\` store +
  key + value, \`kv_get\` to read it back. Names: 1-512 bytes of \`A-Z a-z 0-9 _ . -\`.
  Values are any string; "" is a value (found:true), a missing key is found:false, value null.
- Without \`database\` a value lives in the local database and is **lost when the session
  ends**: pass \`database: "persistent"\` (or \`persist: true\`) to keep it. A writable
  attachment works too; a read-only one is refused even for reads.
- Prefer \`kv_set_many\` for many keys and \`kv_list\` with \`values: true\` to read a whole
  store. Values above 1 MiB get a warning: use a table for payloads.
- The stores live in \`_hyperdb_kv_store(store_name, key, value)\`, hidden from describe but
  queryable, e.g. \`LEFT JOIN _hyperdb_kv_store kv ON kv.store_name = 'notes' AND kv.key =
  t.id::text\`; cast \`kv.value::json\` before JSON operators.

## Read-only rules

- \`query\` only runs read-only statements: SELECT, WITH, VALUES, SHOW, EXPLAIN. Anything that
  writes — INSERT/UPDATE/DELETE/MERGE, CREATE/DROP/ALTER, COPY, \`SELECT … INTO\`, ATTACH,
  SET — is refused with SQL_ERROR. Use \`execute\` to change data or schema.
- A server started with \`--read-only\` refuses every tool that writes (execute, load_file,
  load_files, load_data, load_iceberg, copy_query, set_table_metadata, watch_directory,
  save_query, delete_query, kv_set, kv_set_many, kv_delete, kv_pop, kv_clear, and
  attach_database with writable or on_missing "create") with READ_ONLY_VIOLATION. \`export\` (it writes files, not databases), reading tools,
  \`query_data\` and \`query_file\` (their temporary tables are private to the call) still work.

## Charts

- \`chart\` plots the rows of one read-only query (at most 50,000; aggregate in SQL first).
  Rows are long format: \`x\`, a numeric \`y\` (not for histograms, which bin a numeric \`x\`
  into \`bins\`, default 20) and optionally a \`series\` column that splits them into coloured
  series (\`color_map\`: series name → \`"#rrggbb"\`).
- Bars are categorical in row order (ORDER BY in SQL), grouped per series;
  \`bar_orientation: "horizontal"\` lists them top-down. Line/scatter: numeric x is a numeric
  axis, DATE/TIMESTAMP a time axis, text categorical (\`x_as_category\` forces it).
- PNG by default (\`format: "svg"\` or the \`output_path\` extension); \`width\`/\`height\` are
  the image size. The image comes back inline; \`output_path\` (absolute) also writes it,
  \`inline: false\` only writes it. The stats text includes \`vega_lite_spec\` to re-render.

## Export, copy_query, Iceberg

- \`export\`: \`table\` or read-only \`sql\` → absolute \`path\` as \`format\` csv, parquet,
  arrow_ipc (load_file reads it back) or iceberg (a directory; load_iceberg reads it back);
  \`format: "hyper"\` copies every table into a new .hyper file. \`format_options\` adds COPY
  options, e.g. \`{"delimiter": ";"}\`. \`overwrite: false\` refuses an existing path.
- \`copy_query\`: rows of one SELECT/WITH/VALUES into \`target_table\` of
  \`target_database\`; \`mode\` create (default), append or replace. \`temp_attach\`
  \`{alias, path}\` attaches a .hyper file for this call only.
- \`load_iceberg\`: an Iceberg table directory (metadata/ + data/) into a local table;
  \`version_as_of\` or \`metadata_filename\` read an older version.

## Resources, saved queries, prompts

- Resources (resources/read): \`hyper://workspace\` (status JSON), \`hyper://tables\` (local
  tables), \`hyper://readme\` (overview), \`hyper://schema/kv\` (KV table layout and a JOIN
  template); per local table \`hyper://tables/<t>/schema\`, \`/sample\` (5 rows),
  \`/csv-sample\` (20 rows as CSV); per saved query \`hyper://queries/<q>/definition\` and
  \`/result\` (re-run on every read). Subscribe to get \`notifications/resources/updated\`
  after loads and changes; a missing table or query reads as \`{"error": …}\`.
- \`save_query\` keeps read-only SQL in the persistent database (it survives restarts; only
  this session under --ephemeral-only). A taken name is INVALID_ARGUMENT: delete_query first.
- Prompts: \`analyze-table\`, \`compare-tables\`, \`data-quality\`, \`suggest-queries\`.

## execute: batches and transactions

- Pass statements as an array, **one statement per element**:
  \`{"sql": ["INSERT INTO t VALUES (1)", "UPDATE t SET v = v + 1"]}\`.
- One element runs in auto-commit. Several elements run in **one transaction**: if any fails,
  all of them are rolled back and the error says "statement i of n failed" with the failing SQL.
- Do not send BEGIN/COMMIT/ROLLBACK/SAVEPOINT (refused: execute owns the transaction), nor
  ATTACH/DETACH/SET/RESET (refused: they would change the shared connection for later calls).
- A batch may hold at most one DDL statement (CREATE, DROP, ALTER, TRUNCATE, RENAME), and DDL
  must not be mixed with DML (INSERT, UPDATE, DELETE, COPY, MERGE): create the table in one call,
  fill it in the next.

## Query results

- Rows come back as JSON objects keyed by column name. BIGINT values beyond 2^53 and NUMERIC
  values are exact strings; dates and timestamps ISO-style strings; BYTEA base64.
- At most 10,000 rows and 3 MiB of rendered rows per call. A larger result comes back with
  \`truncated: true\`, a \`hint\`, and \`total_rows\` when the server could count the rest
  cheaply. Prefer aggregates (COUNT, SUM, AVG, GROUP BY) and LIMIT over pulling raw rows.

## Hyper SQL tips

- **Dialect**: PostgreSQL syntax and functions, with Hyper's own additions. Not everything of
  PostgreSQL exists: no PRIMARY KEY / UNIQUE constraints, no \`ON CONFLICT\` upserts (use
  \`DELETE … WHERE key IN (…)\` then \`INSERT\` in one execute batch), no stored procedures.
- **One statement per call**: multi-part queries are disabled. \`SELECT 1; SELECT 2\` fails
  with 0A000 — split it (one query call per statement, or one array element per statement in
  execute). A trailing semicolon is fine.
- **Identifiers**: unquoted names are folded to lower case; quoted names are **case-sensitive**
  and kept verbatim. Tables loaded by the load tools keep the exact name you gave, so a table
  named \`Sales 2024\` must be written \`"Sales 2024"\` in SQL. The describe/sample \`table\`
  argument is taken verbatim (no quotes needed).
- **Files in SQL**: \`external()\` reads a file directly without loading it, e.g.
  \`SELECT * FROM external('/abs/path/data.parquet')\`; CSV needs a format and usually a
  schema: \`external('/abs/path/x.csv', COLUMNS => DESCRIPTOR(a int, b text), FORMAT => 'csv',
  HEADER => true)\`. For anything repeated, load the file into a table instead.
- **JSON**: JSON values are stored as TEXT. Cast before using JSON operators:
  \`value::json ->> 'field'\` (text), \`(value::json -> 'a') ->> 'b'\` for nested fields,
  \`(value::json ->> 'n')::int\` for numbers. JSON_VALUE and JSON path functions are not available.
- **Dates**: \`DATE '2024-01-31'\`, \`TIMESTAMP '2024-01-31 12:00:00'\`,
  \`date_trunc('month', ts)\`, \`extract(year FROM d)\`, \`ts + INTERVAL '1 day'\`.
- **Numbers**: integer division truncates (\`7 / 2 = 3\`); write \`7 / 2.0\` or cast with
  \`::double precision\`. For exact decimals cast with a scale: \`x::numeric(18,2)\` (a bare
  \`::numeric\` has scale 0).
- **Text**: \`||\` concatenates; \`ILIKE\` for case-insensitive matching; \`split_part\`,
  \`regexp_replace\`, \`left\`, \`lower\`, \`trim\` work as in PostgreSQL.
- **Generating rows**: \`SELECT g FROM generate_series(1, 10) AS s(g)\`.
- **Catalog**: \`describe\` is the easiest way to list tables; in SQL,
  \`SELECT * FROM pg_catalog.pg_tables\` works too.

## Loading data

- File paths must be **absolute**. Formats are detected from the extension or sniffed.
- Types are inferred from the data (integers widen to BIGINT/NUMERIC, mixed values become TEXT).
  Override any subset of columns with \`schema\`, e.g. \`{"zip": "TEXT", "amount": "NUMERIC(18,2)"}\`;
  columns you do not name keep their inferred type.
- \`mode\`: \`replace\` (default) recreates the table, \`append\` adds rows; \`load_file\` also has
  \`merge\` with \`merge_key\` (update matching rows, insert the others, add new columns).
- \`json_extract_path\` picks the array of records inside a JSON document (e.g. \`"data.items"\`).

## Table catalog and watched directories

- \`_table_catalog\` (each database has its own: local, persistent, each writable attachment)
  has one row per table: how it was loaded (\`load_tool\`,
  \`load_params\`), \`row_count\`, \`loaded_at\`, \`last_refreshed_at\`, the client, and prose you
  set with \`set_table_metadata\` (\`source_url\`, \`source_description\`, \`purpose\`,
  \`license\`, \`notes\`, \`data_url\`). Loads and DDL keep it current; a RENAME keeps the prose.
  Read it with \`query\` and the table's \`database\`. Record the source of data you load.
- \`watch_directory\` (\`path\`, \`table\`): a producer writes \`x.csv\`, then an empty
  \`x.csv.ready\`; the file is appended to the table and both are deleted. Failures move to
  \`failed/\` with \`x.csv.error\` (JSON). \`status\` lists watchers; \`unwatch_directory\` stops one.

## Errors

Errors come back as \`{"error": {"code", "message", "suggestion"}}\` with \`isError: true\`.
Codes: HYPERD_NOT_FOUND, FILE_NOT_FOUND, UNSUPPORTED_FORMAT, SCHEMA_MISMATCH, SQL_ERROR,
TABLE_NOT_FOUND, EMPTY_DATA, DISK_FULL, PERMISSION_DENIED, READ_ONLY_VIOLATION,
CONNECTION_LOST, INVALID_ARGUMENT, RESOURCE_BUSY, INTERNAL_ERROR.

- SQL_ERROR messages carry Hyper's SQLSTATE, e.g. \`server error (42P01): ERROR: table "x" does
  not exist (42P01)\` — call \`describe\` to see the real table names.
- SCHEMA_MISMATCH on a load usually means a value did not fit the inferred type: widen the column
  (BIGINT, NUMERIC(38,0), DOUBLE PRECISION) or force TEXT with a partial \`schema\` override.
- CONNECTION_LOST: retry; the server reconnects. RESOURCE_BUSY: another process holds the
  database file, or too many calls run at once.
- Read the \`suggestion\`: it says what to do next.
`;
