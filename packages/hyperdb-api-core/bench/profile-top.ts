/**
 * Summarises a `.cpuprofile` (from bench/profile.ts or `node --cpu-prof`): self time per
 * function, largest first, with the share of the busy (non-idle) samples, the time including
 * callees, and the caller that accounts for most of the self time.
 *
 *   node bench/profile-top.ts <file.cpuprofile> [count]
 */

import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (file === undefined) throw new Error("usage: profile-top.ts <file.cpuprofile> [count]");
const count = Number(process.argv[3] ?? 30);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url.replace(/^.*\/(hyperdb-api-core|node_modules)\//, "");
  return `${functionName || "(anonymous)"}${url ? ` ${short}:${lineNumber + 1}` : ""}`;
}

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const callers = new Map<string, Map<string, number>>();
let total = 0;
let idle = 0;
profile.samples.forEach((id, index) => {
  const delta = profile.timeDeltas[index] ?? 0;
  const node = byId.get(id);
  if (node === undefined) return;
  total += delta;
  const key = label(node);
  if (node.callFrame.functionName === "(idle)") idle += delta;
  self.set(key, (self.get(key) ?? 0) + delta);
  const parentId = parentOf.get(id);
  const parent = parentId === undefined ? undefined : byId.get(parentId);
  if (parent !== undefined) {
    const map = callers.get(key) ?? new Map<string, number>();
    const parentKey = label(parent);
    map.set(parentKey, (map.get(parentKey) ?? 0) + delta);
    callers.set(key, map);
  }
  // Inclusive: each distinct function on the stack once.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const frame = byId.get(at);
    if (frame === undefined) break;
    const frameKey = label(frame);
    if (seen.has(frameKey)) continue;
    seen.add(frameKey);
    inclusive.set(frameKey, (inclusive.get(frameKey) ?? 0) + delta);
  }
});
const busy = total - idle;
const ms = (us: number) => (us / 1000).toFixed(0).padStart(6);
const pct = (us: number) => ((us / busy) * 100).toFixed(1).padStart(5);
console.log(
  `sampled ${ms(total)} ms, idle ${ms(idle)} ms, busy ${ms(busy)} ms (percentages are of busy time)`,
);
console.log("self ms      %  incl ms      %  function  <- main caller");
const ranked = [...self].filter(([key]) => key !== "(idle)").sort((a, b) => b[1] - a[1]);
for (const [key, time] of ranked.slice(0, count)) {
  const incl = inclusive.get(key) ?? time;
  const top = [...(callers.get(key) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1])[0];
  console.log(`${ms(time)}  ${pct(time)}   ${ms(incl)}  ${pct(incl)}  ${key}${top ? `  <- ${top[0]}` : ""}`);
}
