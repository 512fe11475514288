import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Connection } from "../../src/index.ts";
import { connectToTestHyperd } from "./test-hyperd.ts";

const ROWS = 10_000_000;
const MIB = 1024 * 1024;

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** Memory that survives a full garbage collection: what the stream really holds on to. */
function retainedBytes(): number {
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

describe("streaming a 10M-row result", () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await connectToTestHyperd();
  });

  afterAll(async () => {
    await connection.close();
  });

  it("reads every row with flat memory", async () => {
    const baselineRetained = retainedBytes();
    const baselineRss = process.memoryUsage().rss;
    let peakRetained = 0;
    let peakRss = 0;
    let rows = 0;
    let checksum = 0;
    let batches = 0;
    const result = connection.query(
      `SELECT x, x::bigint * 3, x * 0.5, 'row-' || x FROM generate_series(1, ${ROWS}) t(x)`,
    );
    for await (const batch of result.batches()) {
      for (const row of batch) {
        rows++;
        checksum += (row[0] as number) % 7;
      }
      batches++;
      if (batches % 64 === 0) {
        peakRss = Math.max(peakRss, process.memoryUsage().rss - baselineRss);
        await yieldToEventLoop();
      }
      if (batches % 256 === 0) peakRetained = Math.max(peakRetained, retainedBytes() - baselineRetained);
    }
    let expectedChecksum = 0;
    for (let x = 1; x <= ROWS; x++) expectedChecksum += x % 7;
    expect(rows).toBe(ROWS);
    expect(checksum).toBe(expectedChecksum);
    expect(result.rowCount).toBe(ROWS);
    // Decoded, the whole result would take well over 1 GB.
    expect(peakRetained).toBeLessThan(32 * MIB);
    expect(peakRss).toBeLessThan(256 * MIB);
    console.info(
      `streamed ${ROWS} rows: retained at most ${(peakRetained / MIB).toFixed(1)} MiB, RSS growth ${(peakRss / MIB).toFixed(1)} MiB`,
    );
  });

  it("pauses the socket while a slow consumer catches up (backpressure)", async () => {
    // 2M rows at about 0.5M rows/s: far slower than hyperd sends them. Without pausing the
    // socket, the decoded rows (hundreds of MB) would pile up waiting for the consumer.
    const baselineRetained = retainedBytes();
    let peakRetained = 0;
    let rows = 0;
    let batches = 0;
    const result = connection.query(`SELECT x, 'row-' || x FROM generate_series(1, 2000000) t(x)`, {
      batchSize: 1000,
    });
    for await (const batch of result.batches()) {
      rows += batch.length;
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (++batches % 100 === 0) peakRetained = Math.max(peakRetained, retainedBytes() - baselineRetained);
    }
    expect(rows).toBe(2_000_000);
    expect(peakRetained).toBeLessThan(32 * MIB);
    console.info(`slow consumer: retained at most ${(peakRetained / MIB).toFixed(1)} MiB`);
  });
});
