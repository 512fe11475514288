// Move money between accounts atomically: the transaction commits when the callback
// resolves and rolls back when it throws.
import { Connection, HyperProcess, sql } from "@hyperdb-ts/hyperdb-api";

await using hyper = await HyperProcess.start();
await using connection = await Connection.connect({ hyper });
await connection.execute("CREATE TEMPORARY TABLE accounts (name TEXT NOT NULL, balance INT NOT NULL)");
await connection.execute("INSERT INTO accounts VALUES ('alice', 100), ('bob', 20)");

async function transfer(from: string, to: string, amount: number): Promise<void> {
  await connection.transaction(async (tx) => {
    await tx.execute(sql`UPDATE accounts SET balance = balance - ${amount} WHERE name = ${from}`);
    await tx.execute(sql`UPDATE accounts SET balance = balance + ${amount} WHERE name = ${to}`);
    const balance = await tx.fetchScalar<number>(sql`SELECT balance FROM accounts WHERE name = ${from}`);
    if (balance < 0) throw new Error(`${from} cannot afford ${amount}`);
  });
}

await transfer("alice", "bob", 30);
await transfer("bob", "alice", 500).catch((error: Error) => console.log(`refused: ${error.message}`));
const balances = await connection.fetchAll<{ name: string; balance: number }>(
  "SELECT * FROM accounts ORDER BY name",
);
console.log(balances.map((a) => `${a.name}=${a.balance}`).join(", "));
if (balances[0]?.balance !== 70 || balances[1]?.balance !== 50) throw new Error("unexpected balances");
