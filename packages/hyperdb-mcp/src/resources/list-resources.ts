/**
 * What `resources/list` and `resources/templates/list` answer.
 *
 * The list is the four fixed resources (in a fixed order), then three per local table (tables
 * sorted by name; internal `_hyperdb_*` tables never appear), then two per saved query (sorted
 * by name). Listing starts the engine, as reading the tables needs it.
 *
 * @module
 */
import type { Resource, ResourceTemplateType } from "@modelcontextprotocol/server";
import type { SavedQueryStore } from "../saved-queries/saved-query-store.ts";
import type { ToolContext } from "../tools/tool-context.ts";
import { CSV_SAMPLE_ROWS, localTables, RESOURCE_SAMPLE_ROWS } from "./read-resource.ts";
import {
  KV_SCHEMA_URI,
  QUERY_VIEWS,
  type QueryView,
  queryUri,
  README_URI,
  TABLE_VIEWS,
  TABLES_URI,
  type TableView,
  tableUri,
  WORKSPACE_URI,
} from "./resource-uris.ts";

/** The fixed resources, in the order they are listed. */
export const FIXED_RESOURCES: readonly Resource[] = [
  {
    uri: WORKSPACE_URI,
    name: "workspace",
    title: "Workspace status",
    description:
      "Status of this session's engine and its local and persistent databases: mode, paths, hyperd state, local table count and total rows.",
    mimeType: "application/json",
  },
  {
    uri: TABLES_URI,
    name: "tables",
    title: "Local tables",
    description: "The tables of the local database with their columns and row counts.",
    mimeType: "application/json",
  },
  {
    uri: README_URI,
    name: "readme",
    title: "Databases overview",
    description:
      "A generated overview of the local and persistent databases, the local tables with their resources, and the saved queries.",
    mimeType: "text/markdown",
  },
  {
    uri: KV_SCHEMA_URI,
    name: "kv-schema",
    title: "KV scratchpad storage",
    description:
      "The table behind the kv_* tools, its durability rules and a SQL template for joining KV entries with tables.",
    mimeType: "text/plain",
  },
];

const TABLE_VIEW_INFO: Record<TableView, { title: string; description: string; mimeType: string }> = {
  schema: {
    title: "schema",
    description: "Columns (name, type, nullable) and row count of the local table",
    mimeType: "application/json",
  },
  sample: {
    title: "sample",
    description: `Schema, row count and the first ${RESOURCE_SAMPLE_ROWS} rows of the local table`,
    mimeType: "application/json",
  },
  "csv-sample": {
    title: "CSV sample",
    description: `The first ${CSV_SAMPLE_ROWS} rows of the local table as CSV with a header row`,
    mimeType: "text/csv",
  },
};

const QUERY_VIEW_INFO: Record<QueryView, { title: string; description: string }> = {
  definition: {
    title: "definition",
    description: "Name, SQL, description and creation time of the saved query",
  },
  result: { title: "result", description: "The saved query run now (re-run on every read)" },
};

/** Every resource of the session, in listing order. */
export async function listResources(
  context: ToolContext,
  savedQueries: SavedQueryStore,
): Promise<Resource[]> {
  const tables = await localTables(context);
  const queries = await savedQueries.list();
  const resources: Resource[] = [...FIXED_RESOURCES];
  for (const table of tables) {
    for (const view of TABLE_VIEWS) {
      const info = TABLE_VIEW_INFO[view];
      resources.push({
        uri: tableUri(table.name, view),
        name: `${table.name} ${view}`,
        title: `${table.name} — ${info.title}`,
        description: `${info.description} "${table.name}".`,
        mimeType: info.mimeType,
      });
    }
  }
  for (const query of queries) {
    for (const view of QUERY_VIEWS) {
      const info = QUERY_VIEW_INFO[view];
      resources.push({
        uri: queryUri(query.name, view),
        name: `${query.name} ${view}`,
        title: `Saved query ${query.name} — ${info.title}`,
        description: `${info.description} "${query.name}".`,
        mimeType: "application/json",
      });
    }
  }
  return resources;
}

/** The five `{name}` templates. */
export const RESOURCE_TEMPLATES: readonly ResourceTemplateType[] = [
  ...TABLE_VIEWS.map((view) => ({
    uriTemplate: tableUri("{name}", view),
    name: `table-${view}`,
    title: `Table ${TABLE_VIEW_INFO[view].title}`,
    description: `${TABLE_VIEW_INFO[view].description} {name}.`,
    mimeType: TABLE_VIEW_INFO[view].mimeType,
  })),
  ...QUERY_VIEWS.map((view) => ({
    uriTemplate: queryUri("{name}", view),
    name: `query-${view}`,
    title: `Saved query ${QUERY_VIEW_INFO[view].title}`,
    description: `${QUERY_VIEW_INFO[view].description} {name}.`,
    mimeType: "application/json",
  })),
];
