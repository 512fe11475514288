/**
 * SCAN: read every row of the table into JS values and touch each value (a checksum), with
 * our Connection (HyperBinary, format 2) and with node-postgres (its default text format).
 *
 * node-postgres without a cursor buffers a whole result, so it reads the table in ranges of
 * `i` (`WHERE i >= lo AND i < hi`). Ours is measured both ways: the same ranged queries
 * (apples to apples) and one unsplit streaming query (how it is meant to be used).
 *
 * The bounds are integer literals in the SQL, for both clients: hyperd wants Parse to declare
 * a type for every `$n`, which node-postgres cannot do. Without values node-postgres uses the
 * simple protocol (one round trip, text results); ours always uses the extended protocol.
 */

import type { Socket } from "node:net";
import type pg from "pg";
import type { Connection } from "../src/index.ts";
import { type Checksum, emptyChecksum } from "./rows.ts";
import type { Measurement } from "./stats.ts";
import { timed } from "./stats.ts";

export interface ScanOutcome extends Measurement {
  readonly checksum: Checksum;
}

/** Adds one batch of `[i, b, d, t]` rows to the checksum; every value is read. */
function accumulate(rows: readonly unknown[][], checksum: Checksum): void {
  let sumI = 0;
  let sumD = 0;
  let textLength = 0;
  let nonNullB = 0;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k]!;
    sumI += row[0] as number;
    if (row[1] !== null) nonNullB++;
    sumD += row[2] as number;
    textLength += (row[3] as string).length;
  }
  checksum.rows += rows.length;
  checksum.sumI += sumI;
  checksum.sumD += sumD;
  checksum.textLength += textLength;
  checksum.nonNullB += nonNullB;
}

function ranges(count: number, split: number): [number, number][] {
  const out: [number, number][] = [];
  for (let lo = 0; lo < count; lo += split) out.push([lo, Math.min(count, lo + split)]);
  return out;
}

function rangeSql(table: string, lo: number, hi: number): string {
  return `SELECT i, b, d, t FROM ${table} WHERE i >= ${lo} AND i < ${hi}`;
}

function bytesRead(socket: Socket | null): number {
  return socket?.bytesRead ?? 0;
}

/** Ours, one query streamed in batches (`split` undefined) or the same ranged queries as pg. */
export async function scanOurs(
  conn: Connection,
  table: string,
  count: number,
  split?: number,
): Promise<ScanOutcome> {
  const socket = conn.rawSocket;
  const before = bytesRead(socket);
  const {
    value: checksum,
    seconds,
    clientCpu,
    serverCpu,
  } = await timed(async () => {
    const checksum = emptyChecksum();
    if (split === undefined) {
      for await (const batch of conn.query(`SELECT i, b, d, t FROM ${table}`).batches()) {
        accumulate(batch, checksum);
      }
    } else {
      for (const [lo, hi] of ranges(count, split)) {
        for await (const batch of conn.query(rangeSql(table, lo, hi)).batches()) {
          accumulate(batch, checksum);
        }
      }
    }
    return checksum;
  });
  return { rows: checksum.rows, bytes: bytesRead(socket) - before, seconds, clientCpu, serverCpu, checksum };
}

/** node-postgres, text results, `rowMode: "array"`, one buffered query per range of `i`. */
export async function scanPg(
  client: pg.Client,
  table: string,
  count: number,
  split: number,
): Promise<ScanOutcome> {
  const socket = (client as unknown as { connection: { stream: Socket } }).connection.stream;
  const before = bytesRead(socket);
  const {
    value: checksum,
    seconds,
    clientCpu,
    serverCpu,
  } = await timed(async () => {
    const checksum = emptyChecksum();
    for (const [lo, hi] of ranges(count, split)) {
      const result = await client.query({ text: rangeSql(table, lo, hi), rowMode: "array" });
      accumulate(result.rows, checksum);
    }
    return checksum;
  });
  return { rows: checksum.rows, bytes: bytesRead(socket) - before, seconds, clientCpu, serverCpu, checksum };
}
