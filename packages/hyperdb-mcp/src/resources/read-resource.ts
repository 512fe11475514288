/**
 * Reading one `hyper://` resource: what each address shows, as one text content with its MIME
 * type. Reading never changes anything (saved queries are listed without creating their table).
 *
 * A failure for a known address shape (a missing table or saved query, an engine that cannot
 * start, SQL that fails) is a normal resource whose text is `{"error": {…}}` in
 * `application/json`, so a client reads it like any other body.
 *
 * @module
 */
import { LOCAL_ALIAS } from "../engine/engine.ts";
import type { SavedQueryStore } from "../saved-queries/saved-query-store.ts";
import { type DescribedTable, describeTables, tableNotFoundMessage } from "../tools/describe.ts";
import { sampleTable } from "../tools/sample.ts";
import { buildStatus } from "../tools/status.ts";
import type { ToolContext } from "../tools/tool-context.ts";
import { toCsv } from "./csv-sample.ts";
import { errorBody, thrownErrorBody } from "./error-body.ts";
import { KV_SCHEMA_TEXT } from "./kv-schema-text.ts";
import { readmeMarkdown } from "./readme-markdown.ts";
import type { ResourceAddress } from "./resource-uris.ts";
import { runSavedQuery } from "./saved-query-result.ts";

/** Rows of `hyper://tables/{name}/sample`. */
export const RESOURCE_SAMPLE_ROWS = 5;
/** Rows of `hyper://tables/{name}/csv-sample`. */
export const CSV_SAMPLE_ROWS = 20;

/** One resource body. */
export interface ResourceText {
  readonly mimeType: string;
  readonly text: string;
}

/** What reading needs. */
export interface ResourceSources {
  readonly context: ToolContext;
  readonly savedQueries: SavedQueryStore;
}

const JSON_TYPE = "application/json";

/** Reads the resource at `address`; never throws. */
export async function readResourceText(
  sources: ResourceSources,
  address: ResourceAddress,
  signal?: AbortSignal,
): Promise<ResourceText> {
  try {
    return await read(sources, address, signal);
  } catch (error) {
    return json(thrownErrorBody(error));
  }
}

async function read(
  { context, savedQueries }: ResourceSources,
  address: ResourceAddress,
  signal: AbortSignal | undefined,
): Promise<ResourceText> {
  switch (address.kind) {
    case "kv-schema":
      return { mimeType: "text/plain", text: KV_SCHEMA_TEXT };
    case "tables":
      return json({ tables: await localTables(context) });
    case "workspace": {
      const tables = await localTables(context);
      const { attachments: _attachments, watchers: _watchers, ...status } = buildStatus(context);
      return json({
        ...status,
        table_count: tables.length,
        total_rows: tables.reduce((sum, table) => sum + table.row_count, 0),
      });
    }
    case "readme": {
      const [tables, queries] = [await localTables(context), await savedQueries.list()];
      return {
        mimeType: "text/markdown",
        text: readmeMarkdown({
          persistentPath: context.engine.persistentPath,
          readOnly: context.config.readOnly,
          attachments: context.engine.attachments.list().map((attachment) => attachment.alias),
          tables,
          savedQueries: queries,
        }),
      };
    }
    case "table":
      return readTable(context, address.table, address.view);
    case "query": {
      const query = await savedQueries.get(address.name);
      if (query === undefined) {
        return json(
          errorBody(
            "TABLE_NOT_FOUND",
            `No saved query named '${address.name}'`,
            "List the saved queries with resources/list (hyper://queries/…), or save one with save_query.",
          ),
        );
      }
      return json(address.view === "definition" ? query : await runSavedQuery(context, query, signal));
    }
  }
}

async function readTable(
  context: ToolContext,
  table: string,
  view: "schema" | "sample" | "csv-sample",
): Promise<ResourceText> {
  if (view === "schema") {
    const described = await context.engine.use((connection) =>
      describeTables(connection, table, LOCAL_ALIAS),
    );
    const entry = described?.[0];
    return entry === undefined ? json(missingTable(table)) : json(entry);
  }
  const rows = view === "sample" ? RESOURCE_SAMPLE_ROWS : CSV_SAMPLE_ROWS;
  const sample = await context.engine.use((connection) => sampleTable(connection, table, rows, LOCAL_ALIAS));
  if (sample === undefined) {
    return json(missingTable(table));
  }
  if (view === "sample") {
    return json(sample);
  }
  return {
    mimeType: "text/csv",
    text: toCsv(
      sample.schema.map((column) => column.name),
      sample.rows,
    ),
  };
}

/** The local database's user tables. */
export async function localTables(context: ToolContext): Promise<DescribedTable[]> {
  return (await context.engine.use((connection) => describeTables(connection, null, LOCAL_ALIAS))) ?? [];
}

function missingTable(table: string) {
  return errorBody("TABLE_NOT_FOUND", tableNotFoundMessage(table));
}

function json(body: object): ResourceText {
  return { mimeType: JSON_TYPE, text: JSON.stringify(body, null, 2) };
}
