/**
 * The benchmark's deterministic data: row n (0 ≤ n < count) is
 * `(i = n, b = n * 1_000_003, d = n * 0.5, t = "row-" + n)`.
 */

import { type CopyColumn, TypeOid } from "../src/index.ts";

export const TABLE = "bench";

export const CREATE_TABLE_COLUMNS =
  "(i INT NOT NULL, b BIGINT NOT NULL, d DOUBLE PRECISION NOT NULL, t TEXT NOT NULL)";

export const B_FACTOR = 1_000_003;

/** The columns for `HyperBinaryRowEncoder` (all NOT NULL: no null indicator byte). */
export const COPY_COLUMNS: readonly CopyColumn[] = [
  { name: "i", type: { oid: TypeOid.int4, typmod: -1 }, nullable: false },
  { name: "b", type: { oid: TypeOid.int8, typmod: -1 }, nullable: false },
  { name: "d", type: { oid: TypeOid.float8, typmod: -1 }, nullable: false },
  { name: "t", type: { oid: TypeOid.text, typmod: -1 }, nullable: false },
];

/** Row n as JS values: `b` is a safe integer (≤ 1e13 for 10M rows), so a number is accepted for BIGINT. */
export function makeRow(n: number): [number, number, number, string] {
  return [n, n * B_FACTOR, n * 0.5, `row-${n}`];
}

/** Row n as one CSV line (what a node-postgres user would send with COPY … (FORMAT csv)). */
export function csvLine(row: readonly [number, number, number, string]): string {
  return `${row[0]},${row[1]},${row[2]},${row[3]}\n`;
}

/** What a scan of rows [lo, hi) must add up to; computed, not read from the server. */
export interface Checksum {
  rows: number;
  sumI: number;
  sumD: number;
  textLength: number;
  nonNullB: number;
}

export function emptyChecksum(): Checksum {
  return { rows: 0, sumI: 0, sumD: 0, textLength: 0, nonNullB: 0 };
}

export function expectedChecksum(count: number): Checksum {
  let textLength = 0;
  // "row-" plus the decimal digits of n.
  for (let digits = 1, from = 0; from < count; digits++, from = from === 0 ? 10 : from * 10) {
    const to = Math.min(count, from === 0 ? 10 : from * 10);
    textLength += (to - from) * (4 + digits);
  }
  const sumI = (count * (count - 1)) / 2;
  return { rows: count, sumI, sumD: sumI / 2, textLength, nonNullB: count };
}

export function sameChecksum(a: Checksum, b: Checksum): boolean {
  return (
    a.rows === b.rows &&
    a.sumI === b.sumI &&
    a.sumD === b.sumD &&
    a.textLength === b.textLength &&
    a.nonNullB === b.nonNullB
  );
}

/** SQL that checks a loaded table against the generator; returns one row of numbers. */
export function verificationSql(table: string): string {
  return (
    `SELECT count(*)::bigint, sum(i::bigint), sum(d), sum(length(t))::bigint, ` +
    `sum(CASE WHEN b = i::bigint * ${B_FACTOR} AND t = 'row-' || i::text THEN 0 ELSE 1 END)::bigint FROM ${table}`
  );
}
