import { readFileSync } from "node:fs";
import { connect, type NetConnectOpts } from "node:net";

/** Whether a connection to the endpoint is accepted. */
export function canConnect(options: NetConnectOpts): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(options);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Whether a process with this pid exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform === "linux") {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2).charAt(0) !== "Z";
    } catch {
      return false;
    }
  }
  return true;
}

/** Polls `condition` every 50 ms; returns whether it became true within `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) {
      return true;
    }
    if (Date.now() >= deadline) {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
