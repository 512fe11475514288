/**
 * The CSV file `load_file` is timed on: `id` (int), `name` (text), `amount` (double), `day`
 * (date) and `qty` (int), deterministic, written once into the benchmark's temp folder.
 *
 * @module
 */

import { once } from "node:events";
import { createWriteStream } from "node:fs";

/** Writes `rows` rows (plus the header) to `path`. */
export async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
  const base = Date.UTC(2020, 0, 1);
  let chunk = "id,name,amount,day,qty\n";
  for (let i = 1; i <= rows; i++) {
    const day = new Date(base + (i % 1500) * 86_400_000).toISOString().slice(0, 10);
    chunk += `${i},${names[i % names.length]} ${i % 977},${((i * 37) % 100_000) / 100},${day},${i % 50}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}
