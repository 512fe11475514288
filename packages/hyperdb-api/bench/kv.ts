/**
 * KV: single-key operations of one `KvStore` on one connection, each awaited before the next
 * (a KV store's operations on one connection run one at a time anyway), and the floor under
 * them: a prepared `SELECT 1` round trip, hyperd's cost for one statement on this machine.
 *
 * - get: `store.get(key)` of keys that exist (one prepared SELECT each);
 * - set: `store.set(key, value)` overwriting keys that exist (one prepared UPDATE each);
 * - set new: `store.set(key, value)` of keys that do not exist (UPDATE of no row, then INSERT).
 *
 * The store holds `keys` entries during every measurement: the keys a "set new" run added are
 * deleted again, outside the clock.
 */

import type { Measurement } from "../../hyperdb-api-core/bench/stats.ts";
import { type Connection, KV_STORE_TABLE, KvStore } from "../src/index.ts";
import { measure } from "./measure.ts";

export type KvFigure = "get" | "set" | "setNew" | "roundtrip";

const STORE = "bench";

function existingKey(k: number): string {
  return `key-${k}`;
}

/** A KV store named "bench" holding `keys` entries `key-<k>` → `value-<k>`. */
export async function openKvStore(connection: Connection, keys: number): Promise<KvStore> {
  const store = await KvStore.open(connection, STORE);
  await store.clear();
  await store.setMany(Array.from({ length: keys }, (_, k) => [existingKey(k), `value-${k}`] as const));
  if ((await store.size()) !== keys) throw new Error(`KV: the store does not hold ${keys} keys`);
  return store;
}

/** Runs `ops` operations of one kind; `round` makes written values and new keys differ per run. */
export async function kvRun(
  connection: Connection,
  store: KvStore,
  figure: KvFigure,
  ops: number,
  keys: number,
  round: number,
): Promise<Measurement> {
  const socket = connection.core.rawSocket;
  const select1 = figure === "roundtrip" ? await connection.prepare("SELECT 1") : null;
  const traffic = () => (socket?.bytesRead ?? 0) + (socket?.bytesWritten ?? 0);
  const outcome = await measure(traffic, async () => {
    let checked = 0;
    for (let k = 0; k < ops; k++) {
      switch (figure) {
        case "get":
          if ((await store.get(existingKey(k % keys))) !== undefined) checked++;
          break;
        case "set":
          if (!(await store.set(existingKey(k % keys), `value-${k}-${round}`)).created) checked++;
          break;
        case "setNew":
          if ((await store.set(`new-${round}-${k}`, `value-${k}`)).created) checked++;
          break;
        case "roundtrip":
          checked += (await select1!.query([], { rowMode: "array" }).toArray()).length;
          break;
      }
    }
    return checked;
  });
  await select1?.close();
  if (outcome.value !== ops)
    throw new Error(`KV ${figure}: ${outcome.value} of ${ops} operations as expected`);
  if (figure === "setNew") {
    // Back to `keys` entries, so every run and every figure sees a store of the same size.
    await connection.execute(
      `DELETE FROM "${KV_STORE_TABLE}" WHERE store_name = '${STORE}' AND key LIKE 'new-%'`,
    );
    if ((await store.size()) !== keys) throw new Error("KV: the new keys were not removed");
  }
  return { ...outcome, rows: ops };
}
