/**
 * The tools' JSON Schemas as the build ships them: `dist/tool-schemas.json`, written after each
 * build by `scripts/write-tool-schemas.ts` from what the SDK lists for the zod schemas.
 *
 * Converting zod schemas to JSON Schema is the slowest part of a fresh process's first
 * `tools/list` (tens of milliseconds for the 33 tools on a 2-core machine), and every client asks
 * for the list right after `initialize`. With the file next to the bundle, the list is read
 * instead of computed. Run from source (tests, the generator itself) there is no file, and the
 * SDK converts the zod schemas as usual.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { isRecord, type JsonRecord, parseJsonRecord } from "../json-record.ts";

/** The file's name, in the folder of the bundle that reads it. */
export const TOOL_SCHEMAS_FILE = "tool-schemas.json";

/** The JSON Schema draft the SDK asks zod for (and the only one the file holds). */
export const TOOL_SCHEMA_TARGET = "draft-2020-12";

/** One tool's JSON Schemas, as `tools/list` shows them. */
export interface ToolJsonSchemas {
  readonly input: JsonRecord;
  readonly output?: JsonRecord;
}

/** The file's content: tool name → its JSON Schemas. */
export type ToolSchemasFile = Readonly<Record<string, ToolJsonSchemas>>;

/** Parses the file's text; `undefined` when it is not a map of tool schemas. */
export function parseToolSchemasFile(text: string): ToolSchemasFile | undefined {
  const value = parseJsonRecord(text);
  if (value === undefined) return undefined;
  const tools: Record<string, ToolJsonSchemas> = {};
  for (const [name, entry] of Object.entries(value)) {
    if (!isRecord(entry) || !isRecord(entry.input)) return undefined;
    if (entry.output !== undefined && !isRecord(entry.output)) return undefined;
    tools[name] =
      entry.output === undefined ? { input: entry.input } : { input: entry.input, output: entry.output };
  }
  return tools;
}

let shipped: ToolSchemasFile | null | undefined;

/**
 * The schemas shipped next to this module (read once per process), or `undefined` when there
 * is no such file or it cannot be read.
 */
export function shippedToolSchemas(): ToolSchemasFile | undefined {
  if (shipped === undefined) {
    try {
      shipped =
        parseToolSchemasFile(readFileSync(new URL(`./${TOOL_SCHEMAS_FILE}`, import.meta.url), "utf8")) ??
        null;
    } catch {
      shipped = null;
    }
  }
  return shipped ?? undefined;
}
