// Start a private hyperd, create a database file, load a few rows and query them.
// Run from packages/hyperdb-api after `pnpm build`: node examples/quick-start.ts
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Connection, HyperProcess, sql } from "@hyperdb-ts/hyperdb-api";

const folder = await mkdtemp(join(tmpdir(), "hyperdb-example-"));
try {
  await using hyper = await HyperProcess.start();
  await using connection = await Connection.connect({
    hyper,
    database: join(folder, "shop.hyper"),
    createMode: "CreateAndReplace",
  });

  await connection.execute(
    "CREATE TABLE products (id INT NOT NULL, name TEXT NOT NULL, price NUMERIC(10,2))",
  );
  await connection.execute(
    "INSERT INTO products VALUES (1, 'kettle', 24.90), (2, 'teapot', 31.50), (3, 'cup', 4.20)",
  );

  interface Product {
    id: number;
    name: string;
    price: string; // NUMERIC arrives as an exact decimal string
  }
  const affordable = await connection.fetchAll<Product>(
    sql`SELECT id, name, price FROM products WHERE price < ${"30"} ORDER BY price`,
  );
  for (const product of affordable) console.log(`${product.name}: ${product.price}`);

  const total = await connection.fetchScalar<string>("SELECT sum(price) FROM products");
  console.log(`total: ${total}`);
  if (affordable.length !== 2 || total !== "60.60") throw new Error("unexpected result");
} finally {
  await rm(folder, { recursive: true, force: true });
}
