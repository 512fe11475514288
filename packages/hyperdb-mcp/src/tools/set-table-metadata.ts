/**
 * The `set_table_metadata` tool: sets the prose fields of a table's row in the table catalog
 * (`_table_catalog`): where the data comes from, what it is for, its license, notes and a URL to
 * fetch it again. An omitted field keeps its value, `""` clears it. The row must exist: loads
 * and DDL create rows (see `catalog/table-catalog.ts`), so any table of the database has one.
 *
 * Each database has its own catalog (local, persistent, each writable attachment); a read-only
 * attachment has none, and routing already refuses it as a write target.
 *
 * @module
 */
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import * as z from "zod";
import { PROSE_FIELDS, type ProseField } from "../catalog/catalog-table.ts";
import type { TableCatalog } from "../catalog/table-catalog.ts";
import { tableNameArgument } from "./ingest-support.ts";
import { lazy } from "./lazy-schema.ts";
import { errorResult } from "./map-error.ts";
import { readOnlyViolation } from "./read-only-guard.ts";
import { registerTool } from "./register-tool.ts";
import { resolveDatabase, routingOf } from "./resolve-database.ts";
import type { ToolContext } from "./tool-context.ts";
import { toolError } from "./tool-error.ts";
import { toolResult } from "./tool-result.ts";

/** Longest prose value, in characters (the row is echoed in the result). */
const MAX_PROSE_CHARS = 65_536;

const proseArgument = (what: string) =>
  z
    .string()
    .max(MAX_PROSE_CHARS)
    .nullish()
    .describe(`${what}. Omit to keep the current value; "" clears it.`);

/** The `set_table_metadata` arguments. */
export const setTableMetadataInputSchema = lazy(() =>
  z.object({
    table: tableNameArgument("Table whose catalog entry to update (verbatim, case-sensitive)."),
    source_url: proseArgument("Where the data comes from (a web page, a portal)"),
    source_description: proseArgument("What the source is, in words"),
    purpose: proseArgument("What the table is for"),
    license: proseArgument("The data's license"),
    notes: proseArgument("Anything else worth knowing (caveats, refresh cadence, …)"),
    data_url: proseArgument("A URL the data can be downloaded from again (machine-usable)"),
    database: z
      .string()
      .nullish()
      .describe(
        'Database of the table: "local" (default), "persistent" or a writable attach_database alias.',
      ),
  }),
);

/** The `set_table_metadata` result: the whole catalog row. */
export const setTableMetadataOutputSchema = lazy(() =>
  z.object({
    table_name: z.string(),
    source_url: z.string().nullable(),
    source_description: z.string().nullable(),
    purpose: z.string().nullable(),
    load_tool: z.string().nullable(),
    load_params: z.string().nullable(),
    license: z.string().nullable(),
    loaded_at: z.string(),
    last_refreshed_at: z.string(),
    row_count: z.number().int().nullable(),
    notes: z.string().nullable(),
    created_by: z.string().nullable(),
    last_modified_by: z.string().nullable(),
    data_url: z.string().nullable(),
    resolved_database: z.string(),
  }),
);

/** The arguments as parsed. */
export type SetTableMetadataArgs = z.infer<ReturnType<typeof setTableMetadataInputSchema>>;

/** Registers `set_table_metadata` on `server`. */
export function registerSetTableMetadataTool(
  server: McpServer,
  context: ToolContext,
  catalog: TableCatalog,
): void {
  registerTool(
    server,
    "set_table_metadata",
    {
      title: "Describe a table in the table catalog",
      description:
        'Sets prose metadata of a table in the _table_catalog table: source_url, source_description, purpose, license, notes and data_url (a URL to re-download the data). Omitted fields keep their value; "" clears one. Loads and DDL keep the catalog\'s mechanical fields (load tool and parameters, row count, timestamps, client) up to date by themselves. Each database keeps its own catalog (local, persistent, each writable attachment): query _table_catalog with the same database argument. Returns the whole catalog row.',
      inputSchema: setTableMetadataInputSchema,
      outputSchema: setTableMetadataOutputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    (args) => runSetTableMetadata(context, catalog, args),
  );
}

/** Runs `set_table_metadata`; exported for tests. */
export async function runSetTableMetadata(
  context: ToolContext,
  catalog: TableCatalog,
  args: SetTableMetadataArgs,
): Promise<CallToolResult> {
  const refused = readOnlyViolation(context, "set_table_metadata");
  if (refused !== undefined) return refused;
  const fields: Partial<Record<ProseField, string | null>> = {};
  for (const field of PROSE_FIELDS) {
    const value = args[field];
    if (typeof value === "string") fields[field] = value === "" ? null : value;
  }
  if (Object.keys(fields).length === 0) {
    return toolError("EMPTY_DATA", `No metadata given: pass at least one of ${PROSE_FIELDS.join(", ")}`);
  }
  const resolved = resolveDatabase(args.database, null, routingOf(context.engine, "write"));
  if (!resolved.ok) return toolError("INVALID_ARGUMENT", resolved.message);
  try {
    const outcome = await catalog.setMetadata(resolved, args.table, fields);
    switch (outcome.kind) {
      case "no-catalog":
        return toolError(
          "READ_ONLY_VIOLATION",
          "Operation 'set_table_metadata' needs a writable table catalog, and this database has none",
          "Attach the database with writable: true (attach_database), or restart the server without --read-only.",
        );
      case "not-found":
        return toolError(
          "TABLE_NOT_FOUND",
          `table "${args.table}" has no entry in the table catalog${resolved.attachment === undefined ? "" : ` of database '${resolved.name}'`}`,
          "Use describe to list the tables; the catalog gets an entry when a table is loaded or created.",
        );
      default:
        return toolResult({ ...outcome.row, resolved_database: resolved.name });
    }
  } catch (error) {
    return errorResult(error);
  }
}
