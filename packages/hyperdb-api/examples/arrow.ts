// Query results as Apache Arrow tables, and Arrow tables loaded into Hyper.
// Needs the optional peer dependency `apache-arrow`.
import { Connection, HyperProcess } from "@hyperdb-ts/hyperdb-api";
import { ArrowInserter, queryToArrow } from "@hyperdb-ts/hyperdb-api/arrow";
import { tableFromArrays } from "apache-arrow";

await using hyper = await HyperProcess.start();
await using connection = await Connection.connect({ hyper });
await connection.execute(
  "CREATE TEMPORARY TABLE cities (name TEXT NOT NULL, population BIGINT, area DOUBLE PRECISION)",
);

const cities = tableFromArrays({
  name: ["Lagos", "Lima", "Lyon"],
  population: BigInt64Array.from([15_388_000n, 10_719_000n, 522_000n]),
  area: Float64Array.from([1171.3, 2672.3, 47.87]),
});
await using inserter = new ArrowInserter(connection, "cities");
await inserter.insertTable(cities);
console.log(`loaded ${await inserter.execute()} rows from Arrow`);

const dense = await queryToArrow(
  connection,
  "SELECT name, population / area AS density FROM cities ORDER BY density DESC",
);
console.log(
  dense
    .toArray()
    .map((row) => `${row.name}: ${Math.round(Number(row.density))}/km²`)
    .join(", "),
);
if (dense.numRows !== 3 || dense.getChild("name")?.get(0) !== "Lagos")
  throw new Error("unexpected Arrow result");
