/**
 * Reading JSON data into rows: a top-level array of objects, one object, or JSON Lines (one
 * object per non-blank line), optionally below a `json_extract_path`.
 *
 * Integer literals are parsed as `bigint` (exact beyond 2^53, and distinguishable from `1.0`,
 * which stays a `number`), so inference can tell INTEGER/BIGINT from DOUBLE PRECISION the way
 * the upstream Rust hyperdb-mcp (serde_json) does.
 *
 * `json_extract_path` is a dot-separated path (`data.items`, `results.0.rows`); a segment that is
 * a non-negative integer indexes an array. A string met on the way (or at the end) that holds
 * JSON is parsed and the walk continues inside it, since APIs often wrap payloads as strings.
 *
 * @module
 */

import { errorMessage } from "../error-message.ts";
import { emptyData, invalidArgument, schemaMismatch } from "./ingest-error.ts";

/** A parsed JSON value: integers as bigint, other numbers as number. */
export type JsonInput =
  | null
  | boolean
  | number
  | bigint
  | string
  | JsonInput[]
  | { [key: string]: JsonInput };

/** One row: an object keyed by column name. */
export type JsonRow = { [key: string]: JsonInput };

/** How the rows were laid out. */
export type JsonLayout = "json" | "jsonl";

/** Rows and their layout. */
export interface JsonRows {
  readonly rows: JsonRow[];
  readonly layout: JsonLayout;
}

const INTEGER_LITERAL = /^-?\d+$/;

function reviver(this: unknown, _key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === "number" && context?.source !== undefined && INTEGER_LITERAL.test(context.source)) {
    return BigInt(context.source);
  }
  return value;
}

/** `JSON.parse` keeping integer literals exact (as bigint). */
export function parseJsonExact(text: string): JsonInput {
  return JSON.parse(text, reviver as (key: string, value: unknown) => unknown) as JsonInput;
}

/** `JSON.rawJSON` (Node 21+), which TypeScript's library does not declare yet. */
const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** Compact JSON of a parsed value (bigints written as plain numbers). */
export function stringifyJson(value: JsonInput): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "bigint" ? rawJson(item.toString()) : item,
  );
}

function isObject(value: JsonInput | undefined): value is JsonRow {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function firstNonBlank(text: string): string | undefined {
  const match = /[^\s\uFEFF]/.exec(text);
  return match?.[0];
}

/** Walks `path` through `value`. @throws IngestError INVALID_ARGUMENT when a step does not exist. */
export function extractJsonPath(value: JsonInput, path: string): JsonInput {
  let current = value;
  const segments = path.split(".").filter((segment) => segment !== "");
  for (const segment of segments) {
    current = unwrapString(current, path);
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) {
        throw invalidArgument(`json_extract_path '${path}': '${segment}' is not an array index`);
      }
      const index = Number(segment);
      if (index >= current.length) {
        throw invalidArgument(
          `json_extract_path '${path}': index ${index} is out of bounds (array length ${current.length})`,
        );
      }
      current = current[index] as JsonInput;
    } else if (isObject(current)) {
      if (!Object.hasOwn(current, segment)) {
        throw invalidArgument(
          `json_extract_path '${path}': key '${segment}' not found. Available keys: ${Object.keys(current).join(", ")}`,
        );
      }
      current = current[segment] as JsonInput;
    } else {
      throw invalidArgument(
        `json_extract_path '${path}': cannot step into a ${typeName(current)} at '${segment}'`,
      );
    }
  }
  return unwrapString(current, path);
}

function unwrapString(value: JsonInput, path: string): JsonInput {
  if (typeof value !== "string") return value;
  const first = firstNonBlank(value);
  if (first !== "[" && first !== "{") {
    throw invalidArgument(`json_extract_path '${path}' reached a string that does not hold JSON`);
  }
  try {
    return parseJsonExact(value);
  } catch (error) {
    throw invalidArgument(
      `json_extract_path '${path}' reached a string that is not valid JSON: ${errorMessage(error)}`,
    );
  }
}

function typeName(value: JsonInput): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "bigint" ? "number" : typeof value;
}

function rowsOf(value: JsonInput, where: string): JsonRow[] {
  if (isObject(value)) return [value];
  if (!Array.isArray(value)) {
    throw schemaMismatch(`${where} must be an array of objects or an object, got a ${typeName(value)}`);
  }
  value.forEach((row, index) => {
    if (!isObject(row)) {
      throw schemaMismatch(`${where}: element ${index} is a ${typeName(row)}, expected an object`);
    }
  });
  return value as JsonRow[];
}

function parseLines(text: string): JsonRow[] {
  const rows: JsonRow[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index += 1) {
    const line = (lines[index] as string).replace(/^\uFEFF/, "").trim();
    if (line === "") continue;
    let value: JsonInput;
    try {
      value = parseJsonExact(line);
    } catch (error) {
      throw schemaMismatch(
        `Invalid JSON on line ${index + 1}: ${errorMessage(error)}`,
        "Each line of a JSON Lines file must hold one JSON object.",
      );
    }
    if (!isObject(value)) {
      throw schemaMismatch(`Invalid JSON on line ${index + 1}: expected an object, got a ${typeName(value)}`);
    }
    rows.push(value);
  }
  return rows;
}

/**
 * Parses JSON text into rows. `[` first means one array; `{` first is one object when the whole
 * text is one JSON value, JSON Lines otherwise. With `extractPath`, the whole text must be one
 * JSON value and the rows are found at that path.
 * @throws IngestError EMPTY_DATA without rows; SCHEMA_MISMATCH for invalid JSON or non-object
 *   rows (JSON Lines: "Invalid JSON on line N: …"); INVALID_ARGUMENT for a path that does not
 *   resolve.
 */
export function parseJsonRows(text: string, extractPath?: string | null): JsonRows {
  const first = firstNonBlank(text);
  if (first === undefined) {
    throw emptyData("The JSON data is empty");
  }
  const body = text.replace(/^\uFEFF/, "");
  let rows: JsonRow[];
  let layout: JsonLayout = "json";
  if (extractPath !== undefined && extractPath !== null && extractPath.trim() !== "") {
    let document: JsonInput;
    try {
      document = parseJsonExact(body);
    } catch (error) {
      throw schemaMismatch(`Invalid JSON: ${errorMessage(error)}`);
    }
    rows = rowsOf(
      extractJsonPath(document, extractPath.trim()),
      `The value at json_extract_path '${extractPath}'`,
    );
  } else if (first === "[") {
    let document: JsonInput;
    try {
      document = parseJsonExact(body);
    } catch (error) {
      throw schemaMismatch(`Invalid JSON: ${errorMessage(error)}`);
    }
    rows = rowsOf(document, "The JSON data");
  } else {
    let whole: JsonInput | undefined;
    try {
      whole = parseJsonExact(body);
    } catch {
      whole = undefined;
    }
    if (whole !== undefined && isObject(whole)) {
      rows = [whole];
    } else {
      rows = parseLines(body);
      layout = "jsonl";
    }
  }
  if (rows.length === 0) {
    throw emptyData("The JSON data holds no rows");
  }
  return { rows, layout };
}
