/**
 * Test helper: a network namespace of its own whose loopback can silently drop the packets of
 * one TCP port: no FIN, no RST, nothing answers, as after a laptop sleep or a network blip.
 * Whatever the test starts inside (server, daemon, hyperd) talks over that loopback only, and
 * deleting the namespace takes every rule with it, so nothing is left on the machine.
 *
 * Dropping uses tc: a u32 filter on the loopback's egress redirects the port's packets to a
 * veth whose peer is down, where they vanish. That needs root, iproute2 and a kernel with the
 * clsact qdisc, the u32 classifier and the mirred action; {@link networkLabUnavailable} says
 * why not when they are missing.
 */
import { execFileSync } from "node:child_process";

let labs = 0;

function run(command: string, args: readonly string[]): string {
  return execFileSync(command, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 10_000,
  });
}

/** A network namespace whose loopback can drop one port's packets. */
export class NetworkLab {
  readonly name: string;
  #destroyed = false;

  private constructor(name: string) {
    this.name = name;
  }

  /** Creates the namespace with its loopback up and nothing dropped yet. */
  static create(): NetworkLab {
    const lab = new NetworkLab(`hdbt-${process.pid}-${++labs}`);
    run("ip", ["netns", "add", lab.name]);
    try {
      lab.#ip(["link", "set", "lo", "up"]);
      // hole0 stays up and its peer hole1 down: what is redirected to hole0 is lost.
      lab.#ip(["link", "add", "hole0", "type", "veth", "peer", "name", "hole1"]);
      lab.#ip(["link", "set", "hole0", "up"]);
      lab.#tc(["qdisc", "add", "dev", "lo", "clsact"]);
    } catch (error) {
      lab.destroy();
      throw error;
    }
    return lab;
  }

  /** Prefix that runs a command inside the namespace. */
  get commandPrefix(): readonly string[] {
    return ["ip", "netns", "exec", this.name];
  }

  /** From now on, every packet to or from `port` on the loopback is silently dropped. */
  dropPort(port: number): void {
    for (const [priority, field] of [
      ["1", "dport"],
      ["2", "sport"],
    ] as const) {
      this.#tc([
        "filter",
        "add",
        "dev",
        "lo",
        "egress",
        "protocol",
        "ip",
        "prio",
        priority,
        "u32",
        "match",
        "ip",
        field,
        String(port),
        "0xffff",
        "action",
        "mirred",
        "egress",
        "redirect",
        "dev",
        "hole0",
      ]);
    }
  }

  /** Traffic flows again. */
  restore(): void {
    this.#tc(["filter", "del", "dev", "lo", "egress"]);
  }

  /** The loopback's egress filters, as tc prints them (empty when nothing is dropped). */
  filters(): string {
    return this.#tc(["filter", "show", "dev", "lo", "egress"]).trim();
  }

  /** Deletes the namespace and its rules. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    try {
      run("ip", ["netns", "del", this.name]);
    } catch {
      // already gone
    }
  }

  #ip(args: readonly string[]): string {
    return run("ip", ["-n", this.name, ...args]);
  }

  #tc(args: readonly string[]): string {
    return run("ip", ["netns", "exec", this.name, "tc", ...args]);
  }
}

/** Names of the namespaces this process created that still exist. */
export function leftoverLabs(): string[] {
  const prefix = `hdbt-${process.pid}-`;
  return run("ip", ["netns", "list"])
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter((name) => name.startsWith(prefix));
}

/**
 * Why the lab cannot run here, or null when it can: tries the whole setup once (namespace,
 * veth, clsact, a drop filter) and removes it again.
 */
export function networkLabUnavailable(): string | null {
  if (process.platform !== "linux") return `needs Linux network namespaces (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return "needs root to create network namespaces and tc filters";
  let lab: NetworkLab | undefined;
  try {
    lab = NetworkLab.create();
    lab.dropPort(9);
    lab.restore();
    return null;
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    return `cannot drop packets in a network namespace (iproute2 with tc, clsact, u32 and mirred): ${detail}`;
  } finally {
    lab?.destroy();
  }
}
