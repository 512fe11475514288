// Keep small state between runs in a key-value store inside a .hyper file.
import { Connection, HyperProcess, KvStore } from "@hyperdb-ts/hyperdb-api";

await using hyper = await HyperProcess.start();
await using connection = await Connection.connect({
  hyper,
  database: "/tmp/hyperdb-kv-example.hyper",
  createMode: "CreateAndReplace",
});

await using settings = await KvStore.open(connection, "settings");
console.log(await settings.set("theme", "dark")); // { created: true }
console.log(await settings.set("theme", "light")); // { created: false }
await settings.setMany({ "page.size": "50", language: "en" });
console.log(await settings.entries());

await using jobs = await KvStore.open(connection, "jobs");
await jobs.setMany([
  ["002-resize", "photo-2.jpg"],
  ["001-resize", "photo-1.jpg"],
]);
const next = await jobs.pop(); // the lowest key first
console.log(`next job: ${next?.key} (${next?.value}); stores: ${await KvStore.listStores(connection)}`);
if (next?.key !== "001-resize" || (await settings.get("theme")) !== "light")
  throw new Error("unexpected state");
