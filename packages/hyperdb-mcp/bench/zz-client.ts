import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const file = process.argv[2] as string;
const transport = new StdioClientTransport({
  command: process.execPath,
  args: ["/work/scratch/fakesrv.mjs", file],
});
const client = new Client({ name: "x", version: "0" });
await client.connect(transport);
const times: number[] = [];
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  await client.callTool({ name: "query", arguments: { sql: "x" } });
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log(file, "median", times[10]?.toFixed(1), "min", times[0]?.toFixed(1));
await client.close();
