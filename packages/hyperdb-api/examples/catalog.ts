// Describe tables with TableDefinition and SqlType, create them, and read them back.
import { Catalog, Connection, HyperProcess, SqlType, TableDefinition } from "@hyperdb-ts/hyperdb-api";

await using hyper = await HyperProcess.start();
await using connection = await Connection.connect({ hyper });
await connection.attachDatabase("/tmp/hyperdb-catalog-example.hyper", {
  alias: "shop",
  createMode: "CreateAndReplace",
});
await connection.setPrimaryDatabase("shop");

const catalog = new Catalog(connection);
await catalog.createSchema("sales", { ifNotExists: true });
const orders = new TableDefinition("sales.orders")
  .addColumn("id", SqlType.bigInt(), { nullable: false })
  .addColumn("customer", SqlType.varchar(64))
  .addColumn("total", SqlType.numeric(12, 2))
  .addColumn("placed", SqlType.timestampTz());
await catalog.createTable(orders);

const read = await catalog.getTableDefinition("sales.orders");
for (const column of read.columns) {
  console.log(
    `${column.name.padEnd(8)} ${column.type.toString().padEnd(26)} ${column.nullable ? "NULL" : "NOT NULL"}`,
  );
}
console.log(`tables in sales: ${(await catalog.tableNames("sales")).map(String).join(", ")}`);
if (!read.columns.every((column, i) => column.type.equals(orders.columns[i]?.type as SqlType))) {
  throw new Error("the definition did not round-trip");
}
await catalog.dropTable("sales.orders");
await connection.detachDatabase("shop");
