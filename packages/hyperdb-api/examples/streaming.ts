// Stream a large result with flat memory, and stop early: leaving the loop cancels the query.
import { Connection, HyperProcess } from "@hyperdb-ts/hyperdb-api";

await using hyper = await HyperProcess.start();
await using connection = await Connection.connect({ hyper });

let rows = 0;
let sum = 0n;
for await (const batch of connection
  .query<[bigint]>("SELECT x::bigint FROM generate_series(1, 2000000) t(x)", [], {
    rowMode: "array",
  })
  .batches()) {
  for (const [x] of batch) {
    rows++;
    sum += x;
  }
}
console.log(`read ${rows} rows, sum ${sum}`);
if (sum !== (2_000_000n * 2_000_001n) / 2n) throw new Error("wrong sum");

let seen = 0;
for await (const _row of connection.query("SELECT x FROM generate_series(1, 1000000000) t(x)")) {
  if (++seen === 5) break; // cancels the billion-row query on the server
}
console.log(
  `stopped after ${seen} rows; the connection still works: ${await connection.fetchScalar("SELECT 'yes'")}`,
);
