// Run queries concurrently through a bounded pool of connections.
import { ConnectionPool, HyperProcess } from "@hyperdb-ts/hyperdb-api";

await using hyper = await HyperProcess.start();
await using pool = new ConnectionPool({ connect: { hyper }, maxSize: 3 });

const squares = await Promise.all(
  Array.from({ length: 10 }, (_, i) =>
    pool.use((connection) => connection.fetchScalar<number>("SELECT $1::int * $1::int", [i])),
  ),
);
console.log(`squares: ${squares.join(", ")}; connections opened: ${pool.size} (at most 3)`);
if (squares[9] !== 81 || pool.size > 3) throw new Error("unexpected pool behaviour");
