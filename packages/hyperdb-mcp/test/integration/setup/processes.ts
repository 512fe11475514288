/**
 * Test helper: finds the processes that belong to one isolated state folder by reading /proc —
 * daemons (a `daemon` command line with that HYPERDB_STATE_DIR in their environment) and the
 * hyperds they own (their log folder is inside the state folder).
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

function readProc(pid: string, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return "";
  }
}

/** Pids of live processes whose command line and environment match. */
function findProcesses(match: (cmdline: string[], environ: string[]) => boolean): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) {
      continue;
    }
    const cmdline = readProc(entry, "cmdline")
      .split("\0")
      .filter((part) => part !== "");
    if (cmdline.length === 0 || readProc(entry, "stat").includes(") Z ")) {
      continue; // kernel thread, gone, or a zombie
    }
    if (match(cmdline, readProc(entry, "environ").split("\0"))) {
      pids.push(Number(entry));
    }
  }
  return pids;
}

/** Daemons of our server running for `stateDir`. */
export function daemonsOf(stateDir: string): number[] {
  return findProcesses(
    (cmdline, environ) =>
      cmdline.includes("daemon") &&
      cmdline.some((part) => part.endsWith(".js")) &&
      environ.includes(`HYPERDB_STATE_DIR=${stateDir}`),
  );
}

/** hyperd processes whose arguments mention `folder` (their log folder lives there). */
export function hyperdsUnder(folder: string): number[] {
  return findProcesses(
    (cmdline) => (cmdline[0] ?? "").endsWith("hyperd") && cmdline.some((part) => part.includes(folder)),
  );
}

/** A base port with `span` consecutive free loopback ports. */
export async function freePortRange(span: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    let free = true;
    for (let port = base; port < base + span && free; port++) {
      free = await isFree(port);
    }
    if (free) {
      return base;
    }
  }
  throw new Error(`no ${span} consecutive free ports found`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
