// Load a million rows with the Inserter (HyperBinary COPY), from arrays, objects or a generator.
import {
  Catalog,
  Connection,
  HyperProcess,
  Inserter,
  SqlType,
  TableDefinition,
} from "@hyperdb-ts/hyperdb-api";

await using hyper = await HyperProcess.start();
await using connection = await Connection.connect({ hyper });
await connection.execute(
  "CREATE TEMPORARY TABLE readings (sensor INT NOT NULL, at BIGINT NOT NULL, value DOUBLE PRECISION, note TEXT)",
);

// From a definition you already have…
const readings = new TableDefinition("readings")
  .addColumn("sensor", SqlType.int(), { nullable: false })
  .addColumn("at", SqlType.bigInt(), { nullable: false })
  .addColumn("value", SqlType.double())
  .addColumn("note", SqlType.text());
const started = performance.now();
{
  await using inserter = new Inserter(connection, readings);
  for (let i = 0; i < 1_000_000; i++)
    inserter.addRow([i % 100, 1_700_000_000_000n + BigInt(i), i * 0.5, i % 10 === 0 ? null : `r${i}`]);
  const rows = await inserter.execute();
  console.log(`inserted ${rows} rows in ${((performance.now() - started) / 1000).toFixed(2)} s`);
}

// …or read from the catalog, with rows as objects from any (async) iterable.
async function* moreReadings() {
  for (let i = 0; i < 1000; i++) yield { sensor: 999, at: BigInt(i), value: null };
}
await using more = await Inserter.forTable(connection, "readings");
await more.addFrom(moreReadings());
await more.execute();

const count = await connection.fetchScalar<bigint>("SELECT count(*) FROM readings");
console.log(
  `rows now: ${count}; columns: ${(await new Catalog(connection).columnNames("readings")).join(", ")}`,
);
if (count !== 1_001_000n) throw new Error("unexpected row count");
