/**
 * Test helper: spawns the built server (`node dist/cli.js`) as a real MCP client does, over
 * stdio, and connects the SDK client to it.
 */
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { inject } from "vitest";

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
 * Spawns the server and connects a client; `protocolVersions` restricts what the client offers,
 * `args` are extra command-line arguments and `env` extra environment variables of the server.
 */
export async function startServer(
  options: {
    protocolVersions?: string[];
    pinProtocolVersion?: string;
    args?: readonly string[];
    env?: Readonly<Record<string, string>>;
  } = {},
): Promise<ServerUnderTest> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined) {
      env[key] = value;
    }
  }
  Object.assign(env, options.env);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [serverEntry(), ...(options.args ?? [])],
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
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

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
