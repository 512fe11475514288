/**
 * INSERT through this package's `Inserter`: one `addRow([...])` per generated row, then
 * `execute()`. Generating the rows is inside the timed region, as it is for node-postgres (the
 * core's `insertPg`: pg-copy-streams with CSV, which this benchmark reuses as is).
 *
 * `addRow` is synchronous and only queues a full 16 MiB chunk for the socket; a loop that never
 * yields would buffer the whole load before the first byte leaves. So the loop awaits
 * `inserter.flush()` every `FLUSH_EVERY` rows (about 3.5 MB; 25k to 100k rows measured best on
 * the reference machine, 1M rows about 15 % slower), which is what the Inserter's documentation
 * tells applications to do for large loads.
 */

import { makeRow } from "../../hyperdb-api-core/bench/rows.ts";
import type { Measurement } from "../../hyperdb-api-core/bench/stats.ts";
import type { Connection } from "../src/index.ts";
import { Inserter, SqlType, TableDefinition } from "../src/index.ts";
import { measure } from "./measure.ts";

/** Rows between two `await inserter.flush()` (BENCH_FLUSH_ROWS overrides; 0 = never). */
export const FLUSH_EVERY = Number(process.env.BENCH_FLUSH_ROWS ?? 100_000);

/** The benchmark table as this package describes it (NOT NULL, like `CREATE_TABLE_COLUMNS`). */
export function benchDefinition(table: string): TableDefinition {
  const notNull = { nullable: false };
  return new TableDefinition(table)
    .addColumn("i", SqlType.int(), notNull)
    .addColumn("b", SqlType.bigInt(), notNull)
    .addColumn("d", SqlType.double(), notNull)
    .addColumn("t", SqlType.text(), notNull);
}

export async function insertApi(connection: Connection, table: string, count: number): Promise<Measurement> {
  const socket = connection.core.rawSocket;
  const definition = benchDefinition(table);
  const run = await measure(
    () => socket?.bytesWritten ?? 0,
    async () => {
      const inserter = new Inserter(connection, definition);
      let untilFlush = FLUSH_EVERY > 0 ? FLUSH_EVERY : Number.POSITIVE_INFINITY;
      for (let n = 0; n < count; n++) {
        inserter.addRow(makeRow(n));
        if (--untilFlush === 0) {
          await inserter.flush();
          untilFlush = FLUSH_EVERY;
        }
      }
      return inserter.execute();
    },
  );
  if (run.value !== count) throw new Error(`Inserter: loaded ${run.value} rows, expected ${count}`);
  return { ...run, rows: run.value };
}
