/**
 * The four prompts: `analyze-table`, `compare-tables`, `data-quality` and `suggest-queries`.
 * Each embeds a JSON sample of the local table(s) it names (see `table-context.ts`), so the model
 * starts from the real columns and values, and asks for concrete SQL the `query` tool can run.
 *
 * @module
 */
import type { GetPromptResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import type { ToolContext } from "../tools/tool-context.ts";
import { tableContext } from "./table-context.ts";

/** Sample rows embedded by analyze-table and suggest-queries. */
export const LARGE_CONTEXT_ROWS = 10;
/** Sample rows embedded by compare-tables and data-quality. */
export const SMALL_CONTEXT_ROWS = 5;

const tableArgument = (what: string) => z.string().describe(what);

/** Registers the prompts on `server`. */
export function registerPrompts(server: McpServer, context: ToolContext): void {
  server.registerPrompt(
    "analyze-table",
    {
      title: "Analyze a table",
      description:
        "Explore one local table: what its columns mean, key statistics, quality flags and a summary.",
      argsSchema: z.object({ table: tableArgument("The local table to analyze.") }),
    },
    async ({ table }) => {
      const sample = await tableContext(context, table, LARGE_CONTEXT_ROWS);
      return {
        messages: [
          user(
            [
              `Analyze the table "${table}" in the local Hyper database.`,
              "",
              "1. Explain what each column most likely means, judging by its name, type and values.",
              "2. Compute key statistics with the query tool: row count, distinct counts, min/max/average for numeric columns, the most frequent values for text columns, the date range for date columns.",
              "3. Flag quality issues you notice: NULLs, suspicious values, inconsistent formats, possible duplicates.",
              "4. Close with a short summary of what this data is about and what it could answer.",
              "",
              `Sample (schema, row count and first ${LARGE_CONTEXT_ROWS} rows):`,
              "```json",
              sample,
              "```",
            ].join("\n"),
          ),
          assistant(
            `I'll start from the sample of "${table}", then run aggregate queries with the query tool to back each finding with numbers.`,
          ),
        ],
      };
    },
  );

  server.registerPrompt(
    "compare-tables",
    {
      title: "Compare two tables",
      description:
        "Compare two local tables: shared columns, likely join keys, schema differences and combined queries.",
      argsSchema: z.object({
        table_a: tableArgument("The first local table."),
        table_b: tableArgument("The second local table."),
      }),
    },
    async ({ table_a, table_b }) => {
      const [sampleA, sampleB] = [
        await tableContext(context, table_a, SMALL_CONTEXT_ROWS),
        await tableContext(context, table_b, SMALL_CONTEXT_ROWS),
      ];
      return {
        messages: [
          user(
            [
              `Compare the local tables "${table_a}" and "${table_b}".`,
              "",
              "1. List the columns they share (same or similar names and meanings).",
              "2. Propose join keys, say which join type fits, and check with a query how many rows actually match.",
              "3. Point out schema differences: missing columns, differing types, differing units or formats.",
              "4. Write 3 to 5 SQL queries that combine both tables usefully, each with one line on what it shows.",
              "",
              `Sample of "${table_a}" (first ${SMALL_CONTEXT_ROWS} rows):`,
              "```json",
              sampleA,
              "```",
              "",
              `Sample of "${table_b}" (first ${SMALL_CONTEXT_ROWS} rows):`,
              "```json",
              sampleB,
              "```",
            ].join("\n"),
          ),
        ],
      };
    },
  );

  server.registerPrompt(
    "data-quality",
    {
      title: "Data quality check",
      description:
        "Audit one local table: NULL rates, duplicates, low cardinality, outliers, date sanity; findings ranked by severity.",
      argsSchema: z.object({ table: tableArgument("The local table to audit.") }),
    },
    async ({ table }) => {
      const sample = await tableContext(context, table, SMALL_CONTEXT_ROWS);
      return {
        messages: [
          user(
            [
              `Run a data-quality audit of the local table "${table}" using the query tool.`,
              "",
              "- NULL rate of every column.",
              "- Duplicate rows, and duplicates of columns that look like identifiers.",
              "- Columns with suspiciously few distinct values (constant or nearly so).",
              "- Numeric outliers more than 3 standard deviations from the mean.",
              "- Dates and timestamps in the future or implausibly far in the past.",
              "",
              "Report the findings ranked by severity (high, medium, low), each with the SQL that shows it and a suggested fix.",
              "",
              `Sample (first ${SMALL_CONTEXT_ROWS} rows):`,
              "```json",
              sample,
              "```",
            ].join("\n"),
          ),
        ],
      };
    },
  );

  server.registerPrompt(
    "suggest-queries",
    {
      title: "Suggest queries",
      description: "Five useful SQL queries for one local table, optionally aimed at a goal.",
      argsSchema: z.object({
        table: tableArgument("The local table to query."),
        goal: z.string().optional().describe("What you want to find out (optional)."),
      }),
    },
    async ({ table, goal }) => {
      const sample = await tableContext(context, table, LARGE_CONTEXT_ROWS);
      const lines = [
        `Suggest 5 insightful SQL queries over the local table "${table}" (Hyper, PostgreSQL dialect).`,
        "For each: a short title, the SQL, and one line on the insight it gives. Run them with the query tool if useful.",
      ];
      if (goal !== undefined && goal.trim() !== "") {
        lines.push(`Specific goal: ${goal}`);
      }
      lines.push(
        "",
        `Sample (schema, row count and first ${LARGE_CONTEXT_ROWS} rows):`,
        "```json",
        sample,
        "```",
      );
      return { messages: [user(lines.join("\n"))] };
    },
  );
}

type PromptMessage = GetPromptResult["messages"][number];

function user(text: string): PromptMessage {
  return { role: "user", content: { type: "text", text } };
}

function assistant(text: string): PromptMessage {
  return { role: "assistant", content: { type: "text", text } };
}
