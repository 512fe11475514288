/**
 * SCAN through this package's `Connection.query(…).batches()`, with rows as objects (the
 * default) and as arrays (`{ rowMode: "array" }`), against node-postgres with its default
 * object rows. node-postgres with `rowMode: "array"` is the core's `scanPg`, reused as is.
 *
 * node-postgres buffers a whole result without a cursor, so it reads the table in ranges of
 * `i` (the same `WHERE i >= lo AND i < hi` ranges, bounds as literals, as the core benchmark);
 * ours runs those same ranged queries, and also one unsplit streaming query.
 */

import type { Socket } from "node:net";
import type pg from "pg";
import { type Checksum, emptyChecksum } from "../../hyperdb-api-core/bench/rows.ts";
import type { ScanOutcome } from "../../hyperdb-api-core/bench/scan.ts";
import type { Connection, RowMode } from "../src/index.ts";
import { measure } from "./measure.ts";

/** A row of `SELECT i, b, d, t` as objects: ours gives `b` as bigint, node-postgres as a string. */
interface ObjectRow {
  readonly i: number;
  readonly b: unknown;
  readonly d: number;
  readonly t: string;
}
type ArrayRow = readonly [number, unknown, number, string];

function addTotals(
  into: Checksum,
  rows: number,
  ints: number,
  doubles: number,
  chars: number,
  bigints: number,
) {
  into.rows += rows;
  into.sumI += ints;
  into.sumD += doubles;
  into.textLength += chars;
  into.nonNullB += bigints;
}

/** Reads every value of object rows into the checksum. */
function addObjects(batch: readonly ObjectRow[], into: Checksum): void {
  let ints = 0;
  let doubles = 0;
  let chars = 0;
  let bigints = 0;
  for (let r = 0; r < batch.length; r++) {
    const row = batch[r]!;
    ints += row.i;
    doubles += row.d;
    chars += row.t.length;
    if (row.b !== null) bigints++;
  }
  addTotals(into, batch.length, ints, doubles, chars, bigints);
}

/** Reads every value of array rows into the checksum. */
function addArrays(batch: readonly ArrayRow[], into: Checksum): void {
  let ints = 0;
  let doubles = 0;
  let chars = 0;
  let bigints = 0;
  for (let r = 0; r < batch.length; r++) {
    const row = batch[r]!;
    ints += row[0];
    doubles += row[2];
    chars += row[3].length;
    if (row[1] !== null) bigints++;
  }
  addTotals(into, batch.length, ints, doubles, chars, bigints);
}

/** The statements of one scan: the whole table, or `[lo, hi)` ranges of `split` rows. */
export function scanStatements(table: string, count: number, split?: number): string[] {
  const columns = `SELECT i, b, d, t FROM ${table}`;
  if (split === undefined) return [columns];
  const statements: string[] = [];
  for (let lo = 0; lo < count; lo += split) {
    statements.push(`${columns} WHERE i >= ${lo} AND i < ${Math.min(count, lo + split)}`);
  }
  return statements;
}

/** Times `read` (which fills a checksum) and counts the bytes the socket received meanwhile. */
async function measured(
  bytesRead: () => number,
  read: (checksum: Checksum) => Promise<void>,
): Promise<ScanOutcome> {
  const run = await measure(bytesRead, async () => {
    const checksum = emptyChecksum();
    await read(checksum);
    return checksum;
  });
  return { ...run, rows: run.value.rows, checksum: run.value };
}

/** Ours: `for await` over `connection.query(sql, [], { rowMode }).batches()` per statement. */
export function scanApi(
  connection: Connection,
  mode: RowMode,
  table: string,
  count: number,
  split?: number,
): Promise<ScanOutcome> {
  const socket = connection.core.rawSocket;
  const statements = scanStatements(table, count, split);
  return measured(
    () => socket?.bytesRead ?? 0,
    async (checksum) => {
      for (const statement of statements) {
        if (mode === "array") {
          const rows = connection.query<ArrayRow>(statement, [], { rowMode: "array" });
          for await (const batch of rows.batches()) addArrays(batch, checksum);
        } else {
          for await (const batch of connection.query<ObjectRow>(statement).batches()) {
            addObjects(batch, checksum);
          }
        }
      }
    },
  );
}

/** node-postgres with its default object rows (text format), one buffered query per range of `i`. */
export function scanPgObjects(client: pg.Client, table: string, rows: number, split: number) {
  const { stream } = (client as unknown as { connection: { stream: Socket } }).connection;
  const statements = scanStatements(table, rows, split);
  return measured(
    () => stream.bytesRead,
    async (checksum) => {
      for (const statement of statements)
        addObjects((await client.query<ObjectRow>(statement)).rows, checksum);
    },
  );
}
