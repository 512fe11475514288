/**
 * JSON schema inference (structural, every row looked at):
 *
 * - columns are the union of all rows' keys, **sorted alphabetically**;
 * - per value: boolean BOOLEAN; an integer fitting 32 bits INTEGER, 64 bits BIGINT (wider ones
 *   count as DOUBLE PRECISION); other numbers DOUBLE PRECISION; `YYYY-MM-DD` strings DATE,
 *   `YYYY-MM-DDThh:mm:ss…` TIMESTAMP, other strings TEXT; objects and arrays TEXT (stored as
 *   compact JSON);
 * - per column: only nulls (or never present) TEXT; one kind that kind; numbers of several
 *   widths the widest; any other mix TEXT;
 * - a column is nullable when some row lacks the key or holds null, NOT NULL otherwise.
 *
 * @module
 */
import { BIGINT, BOOLEAN, type ColumnSpec, DATE, DOUBLE, INTEGER, TEXT, TIMESTAMP } from "./column-types.ts";
import type { JsonInput, JsonRow } from "./json-rows.ts";
import { integerWidth, isDateText, isTimestampText } from "./text-patterns.ts";

type Kind = "bool" | "i32" | "i64" | "double" | "date" | "timestamp" | "text";

const NUMERIC_RANK: Partial<Record<Kind, number>> = { i32: 1, i64: 2, double: 3 };

/** The inference kind of one non-null JSON value. */
function kindOf(value: JsonInput): Kind {
  switch (typeof value) {
    case "boolean":
      return "bool";
    case "bigint": {
      const width = integerWidth(value);
      return width === "wide" ? "double" : width;
    }
    case "number":
      return "double";
    case "string":
      return isDateText(value) ? "date" : isTimestampText(value) ? "timestamp" : "text";
    default:
      return "text";
  }
}

const KIND_TYPES: Record<Kind, string> = {
  bool: BOOLEAN,
  i32: INTEGER,
  i64: BIGINT,
  double: DOUBLE,
  date: DATE,
  timestamp: TIMESTAMP,
  text: TEXT,
};

interface ColumnState {
  kind: Kind | "none" | "mixed";
  present: number;
  nulls: number;
}

function merge(current: ColumnState["kind"], next: Kind): ColumnState["kind"] {
  if (current === "none" || current === next) return next;
  if (current === "mixed") return "mixed";
  const a = NUMERIC_RANK[current];
  const b = NUMERIC_RANK[next];
  if (a !== undefined && b !== undefined) return a >= b ? current : next;
  return "mixed";
}

/** Infers the columns of JSON rows (see the module rules). */
export function inferJsonColumns(rows: readonly JsonRow[]): ColumnSpec[] {
  const states = new Map<string, ColumnState>();
  for (const row of rows) {
    for (const key in row) {
      let state = states.get(key);
      if (state === undefined) {
        state = { kind: "none", present: 0, nulls: 0 };
        states.set(key, state);
      }
      state.present += 1;
      const value = row[key] as JsonInput;
      if (value === null) {
        state.nulls += 1;
      } else if (state.kind !== "mixed") {
        state.kind = merge(state.kind, kindOf(value));
      }
    }
  }
  return [...states.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => {
      const state = states.get(name) as ColumnState;
      const type = state.kind === "none" || state.kind === "mixed" ? TEXT : KIND_TYPES[state.kind];
      return { name, type, nullable: state.nulls > 0 || state.present < rows.length };
    });
}
