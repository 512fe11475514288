/**
 * The `hyper://` resource addresses: the four fixed ones, the per-table and per-saved-query
 * families, and the parser that tells which one a URI names.
 *
 * Names are spliced in verbatim (not percent-encoded), so a table `My Sales` is
 * `hyper://tables/My Sales/schema`; the parser takes everything between the prefix and the last
 * path segment as the name, which keeps names with `/` readable too.
 *
 * @module
 */

export const WORKSPACE_URI = "hyper://workspace";
export const TABLES_URI = "hyper://tables";
export const README_URI = "hyper://readme";
export const KV_SCHEMA_URI = "hyper://schema/kv";

/** The per-table views. */
export type TableView = "schema" | "sample" | "csv-sample";
/** The per-saved-query views. */
export type QueryView = "definition" | "result";

export const TABLE_VIEWS: readonly TableView[] = ["schema", "sample", "csv-sample"];
export const QUERY_VIEWS: readonly QueryView[] = ["definition", "result"];

/** `hyper://tables/<table>/<view>`. */
export function tableUri(table: string, view: TableView): string {
  return `${TABLES_URI}/${table}/${view}`;
}

/** `hyper://queries/<name>/<view>`. */
export function queryUri(name: string, view: QueryView): string {
  return `hyper://queries/${name}/${view}`;
}

/** What a URI names. */
export type ResourceAddress =
  | { readonly kind: "workspace" | "tables" | "readme" | "kv-schema" }
  | { readonly kind: "table"; readonly table: string; readonly view: TableView }
  | { readonly kind: "query"; readonly name: string; readonly view: QueryView };

const TABLE_PATTERN = /^hyper:\/\/tables\/(.+)\/(schema|sample|csv-sample)$/s;
const QUERY_PATTERN = /^hyper:\/\/queries\/(.+)\/(definition|result)$/s;

/** The address `uri` names, or undefined for a URI of no known shape. */
export function parseResourceUri(uri: string): ResourceAddress | undefined {
  switch (uri) {
    case WORKSPACE_URI:
      return { kind: "workspace" };
    case TABLES_URI:
      return { kind: "tables" };
    case README_URI:
      return { kind: "readme" };
    case KV_SCHEMA_URI:
      return { kind: "kv-schema" };
  }
  const table = TABLE_PATTERN.exec(uri);
  if (table?.[1] !== undefined) {
    return { kind: "table", table: table[1], view: table[2] as TableView };
  }
  const query = QUERY_PATTERN.exec(uri);
  if (query?.[1] !== undefined) {
    return { kind: "query", name: query[1], view: query[2] as QueryView };
  }
  return undefined;
}
