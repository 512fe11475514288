/**
 * Test helper: spawns the built server (`node dist/hyperdb-mcp.js`, the bin) as a real MCP client does, over
 * stdio, and connects the SDK client to it.
 */

import { mkdirSync, mkdtempSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { inject } from "vitest";
import { isProcessAlive } from "../../../src/daemon/process-alive.ts";

/** The package directory (…/packages/hyperdb-mcp). */
export const PACKAGE_DIR = fileURLToPath(new URL("../../../", import.meta.url));

/** The server as built for this test run (see setup/build-server.global.ts). */
export function serverEntry(): string {
  return inject("serverEntry");
}

/** A connected client plus the server's process id and captured stderr. */
export interface ServerUnderTest {
  readonly client: Client;
  readonly transport: StdioClientTransport;
  readonly pid: number;
  readonly stderr: () => string;
}

/**
 * A fresh home folder for one server (inside this run's build folder, removed at the end of the
 * run), so that the default persistent database and state folder never touch the real home.
 */
export function isolatedHome(): string {
  const homes = join(dirname(serverEntry()), "homes");
  mkdirSync(homes, { recursive: true });
  return mkdtempSync(join(homes, "home-"));
}

/**
 * Spawns the server and connects a client; `protocolVersions` restricts what the client offers,
 * `args` are extra command-line arguments and `env` extra environment variables of the server.
 * The server gets an isolated HOME (its default persistent database and state folder live
 * there) and runs with `--no-daemon` unless `daemon: true`.
 */
export async function startServer(
  options: {
    protocolVersions?: string[];
    pinProtocolVersion?: string;
    args?: readonly string[];
    env?: Readonly<Record<string, string>>;
    daemon?: boolean;
    /** Home folder to use instead of a fresh one (servers that share it share the daemon). */
    home?: string;
    /** Built entry point to run instead of this run's `serverEntry()`. */
    entry?: string;
    /** Command the server runs under, e.g. `["ip", "netns", "exec", "<name>"]`. */
    commandPrefix?: readonly string[];
  } = {},
): Promise<ServerUnderTest> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined) {
      env[key] = value;
    }
  }
  const home = options.home ?? isolatedHome();
  env.HOME = home;
  env.XDG_DATA_HOME = join(home, ".local", "share");
  env.HYPERDB_STATE_DIR = join(home, ".hyperdb-ts");
  Object.assign(env, options.env);
  const serverCommand = [
    process.execPath,
    options.entry ?? serverEntry(),
    ...(options.daemon === true ? [] : ["--no-daemon"]),
    ...(options.args ?? []),
  ];
  const [command = process.execPath, ...args] = [...(options.commandPrefix ?? []), ...serverCommand];
  const transport = new StdioClientTransport({
    command,
    args,
    cwd: PACKAGE_DIR,
    env,
    stderr: "pipe",
  });
  let stderrText = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderrText += chunk.toString("utf8");
  });
  const client = new Client(
    { name: "hyperdb-mcp-test", version: "0.0.0" },
    {
      ...(options.protocolVersions === undefined
        ? {}
        : { supportedProtocolVersions: options.protocolVersions }),
      ...(options.pinProtocolVersion === undefined
        ? {}
        : { versionNegotiation: { mode: { pin: options.pinProtocolVersion } } }),
    },
  );
  await client.connect(transport);
  const pid = transport.pid;
  if (pid === null) {
    throw new Error("the server process has no pid");
  }
  return { client, transport, pid, stderr: () => stderrText };
}

/** Whether a process with this pid exists. */
export const isAlive = isProcessAlive;

/** Waits until `pid` is gone; false after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}
