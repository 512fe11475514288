/**
 * Per-column profiles for `inspect_file`: null count, the first few distinct values as
 * previews, and min/max — numerically for number columns (`min`/`max` as the values' text plus
 * `min_f64`/`max_f64`), as text for DATE and TIMESTAMP columns (ISO text orders like time).
 * Previews are cut at {@link PREVIEW_CHARS} characters with `…`.
 *
 * @module
 */
import type { ColumnSpec } from "./column-types.ts";

/** Longest preview string before it is cut. */
export const PREVIEW_CHARS = 120;

/** Distinct sample values kept per column. */
export const SAMPLE_VALUES = 5;

/** The profile of one column. */
export interface ColumnProfile {
  name: string;
  type: string;
  nullable: boolean;
  null_count: number;
  sample_values: string[];
  min?: string;
  max?: string;
  min_f64?: number;
  max_f64?: number;
}

/** A value cut to {@link PREVIEW_CHARS} characters. */
export function preview(text: string): string {
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

function isNumericType(type: string): boolean {
  return (
    type === "SMALLINT" ||
    type === "INTEGER" ||
    type === "BIGINT" ||
    type === "DOUBLE PRECISION" ||
    type === "REAL" ||
    type.startsWith("NUMERIC")
  );
}

function isTemporalType(type: string): boolean {
  return type === "DATE" || type.startsWith("TIMESTAMP") || type === "TIME";
}

/** Accumulates one column's profile value by value. */
export class ColumnProfiler {
  private readonly profile: ColumnProfile;
  private readonly seen = new Set<string>();
  private readonly numeric: boolean;
  private readonly temporal: boolean;

  constructor(column: ColumnSpec) {
    this.profile = {
      name: column.name,
      type: column.type,
      nullable: column.nullable,
      null_count: 0,
      sample_values: [],
    };
    this.numeric = isNumericType(column.type);
    this.temporal = isTemporalType(column.type);
  }

  /** Adds one value: `null` for a null, else its text. */
  add(text: string | null): void {
    const profile = this.profile;
    if (text === null) {
      profile.null_count += 1;
      return;
    }
    if (profile.sample_values.length < SAMPLE_VALUES && !this.seen.has(text)) {
      this.seen.add(text);
      profile.sample_values.push(preview(text));
    }
    if (this.numeric) {
      const value = Number(text);
      if (Number.isNaN(value)) return;
      if (profile.min_f64 === undefined || value < profile.min_f64) {
        profile.min_f64 = value;
        profile.min = text;
      }
      if (profile.max_f64 === undefined || value > profile.max_f64) {
        profile.max_f64 = value;
        profile.max = text;
      }
    } else if (this.temporal) {
      if (profile.min === undefined || text < profile.min) profile.min = text;
      if (profile.max === undefined || text > profile.max) profile.max = text;
    }
  }

  /** The profile so far. */
  result(): ColumnProfile {
    return this.profile;
  }
}
