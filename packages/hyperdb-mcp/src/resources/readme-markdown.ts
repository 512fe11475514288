/**
 * The body of `hyper://readme`: a generated overview of the session's databases, its local
 * tables (with their resources) and saved queries, plus a few hints on which tool to use next.
 *
 * @module
 */
import type { SavedQuery } from "../saved-queries/saved-query-store.ts";
import type { DescribedTable } from "../tools/describe.ts";
import { queryUri, TABLE_VIEWS, tableUri } from "./resource-uris.ts";

/** What the overview is made of. */
export interface ReadmeFacts {
  /** The persistent database file, null without one (`--ephemeral-only`). */
  readonly persistentPath: string | null;
  readonly readOnly: boolean;
  /** Aliases of the session's attachments. */
  readonly attachments: readonly string[];
  /** The local database's user tables. */
  readonly tables: readonly DescribedTable[];
  readonly savedQueries: readonly SavedQuery[];
}

/** The markdown overview. */
export function readmeMarkdown(facts: ReadmeFacts): string {
  const lines = [
    "# HyperDB databases",
    "",
    "- **local** (default): this session's own database; its tables are listed below and vanish when the session ends.",
    facts.persistentPath === null
      ? "- **persistent**: none — the server runs with --ephemeral-only."
      : `- **persistent**: \`${facts.persistentPath}\` — survives restarts; use \`database: "persistent"\` or \`"persistent"."public"."t"\` in SQL.`,
    facts.attachments.length === 0
      ? "- **attached**: none."
      : `- **attached**: ${facts.attachments.map((alias) => `\`${alias}\``).join(", ")}.`,
    `- Mode: ${facts.readOnly ? "read-only (tools that write are refused)" : "read-write"}.`,
    "",
    "## Local tables",
    "",
  ];
  if (facts.tables.length === 0) {
    lines.push("_No tables loaded yet._");
  } else {
    lines.push("| Table | Rows | Columns |", "|---|---|---|");
    for (const table of facts.tables) {
      const columns = table.columns.map((column) => `${column.name} ${column.type}`).join(", ");
      lines.push(`| \`${cell(table.name)}\` | ${table.row_count} | ${cell(columns)} |`);
    }
    lines.push("", "Resources per table:", "");
    for (const table of facts.tables) {
      lines.push(
        `- \`${table.name}\`: ${TABLE_VIEWS.map((view) => `<${tableUri(table.name, view)}>`).join(", ")}`,
      );
    }
  }
  lines.push("", "## Saved queries", "");
  if (facts.savedQueries.length === 0) {
    lines.push("_None yet — save one with save_query._");
  } else {
    for (const query of facts.savedQueries) {
      const about = query.description === null || query.description === "" ? "" : ` — ${query.description}`;
      lines.push(`- \`${query.name}\`${about}: <${queryUri(query.name, "result")}>`);
    }
  }
  lines.push(
    "",
    "## Tool hints",
    "",
    "- Load data: `inspect_file` to preview, then `load_file`, `load_files` or `load_data`.",
    "- Explore: `describe` and `sample`, or the table resources above.",
    "- Ask: `query` (read-only SQL, PostgreSQL dialect); `execute` for DDL/DML.",
    "- Keep a query: `save_query`, then read `hyper://queries/<name>/result` any time.",
    "- The full manual: `get_readme`.",
    "",
  );
  return lines.join("\n");
}

/** Text safe inside a markdown table cell. */
function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}
