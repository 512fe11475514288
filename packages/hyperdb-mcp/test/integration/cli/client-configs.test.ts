/**
 * The client configurations in the package README, started the way each client starts them:
 * the snippet's command and arguments (with the placeholder path replaced by this clone), over
 * stdio, then `tools/list` and a query. The servers share a state folder of their own, so they
 * use one daemon, which is stopped at the end.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_DIR, serverEntry } from "../server/mcp-client.ts";

const REPO_DIR = join(PACKAGE_DIR, "..", "..");
const PLACEHOLDER = "/absolute/path/to/hyperdb-ts";

interface LaunchSpec {
  readonly command: string;
  readonly args: string[];
}

/** The fenced block of the README whose info string is `<language> <client>`. */
function snippet(readme: string, language: string, client: string): string {
  const match = new RegExp(`\`\`\`${language} ${client}\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (match?.[1] === undefined) throw new Error(`the README has no \`${language} ${client}\` snippet`);
  return match[1].replaceAll(PLACEHOLDER, REPO_DIR);
}

/** The server entry of a JSON client configuration (`mcpServers` or VS Code's `servers`). */
function fromJson(text: string, key: "mcpServers" | "servers"): LaunchSpec {
  const config = JSON.parse(text) as Record<
    string,
    Record<string, { command: string; args: string[]; type?: string }>
  >;
  const entry = config[key]?.hyperdb;
  if (entry === undefined) throw new Error(`no ${key}.hyperdb entry`);
  if (entry.type !== undefined) expect(entry.type).toBe("stdio");
  return { command: entry.command, args: entry.args };
}

/** `claude mcp add <name> -- <command> <args…>`: the command after `--`. */
function fromClaudeCode(text: string): LaunchSpec {
  const words = text.trim().split(/\s+/);
  expect(words.slice(0, 4)).toEqual(["claude", "mcp", "add", "hyperdb"]);
  const [command, ...args] = words.slice(words.indexOf("--") + 1);
  if (command === undefined) throw new Error("no command after --");
  return { command, args };
}

const readme = readFileSync(join(PACKAGE_DIR, "README.md"), "utf8");
const clients: [string, LaunchSpec][] = [
  ["Claude Desktop", fromJson(snippet(readme, "json", "claude-desktop"), "mcpServers")],
  ["Claude Code", fromClaudeCode(snippet(readme, "sh", "claude-code"))],
  ["Cursor", fromJson(snippet(readme, "json", "cursor"), "mcpServers")],
  ["VS Code", fromJson(snippet(readme, "json", "vscode"), "servers")],
];

const home = mkdtempSync(join(tmpdir(), "hyperdb-mcp-clients-"));
const env: Record<string, string> = {};
for (const [key, value] of Object.entries(process.env)) {
  if (value !== undefined) env[key] = value;
}
env.HYPERDB_STATE_DIR = join(home, "state");
env.HYPERDB_PERSISTENT_DB = join(home, "workspace.hyper");

afterAll(() => {
  try {
    execFileSync(process.execPath, [serverEntry(), "daemon", "stop"], {
      env,
      stdio: "ignore",
      timeout: 20_000,
    });
  } catch {
    // No daemon was started (every client failed before its first call).
  }
  rmSync(home, { recursive: true, force: true });
});

describe("README client configurations", () => {
  it.each(clients)(
    "%s: starts the server and answers a query",
    async (_client, spec) => {
      const transport = new StdioClientTransport({
        command: spec.command,
        args: spec.args,
        env,
        stderr: "pipe",
      });
      let stderr = "";
      transport.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
      });
      const client = new Client({ name: "readme-config-test", version: "0.0.0" });
      try {
        await client.connect(transport);
        const { tools } = await client.listTools();
        expect(tools.map((tool) => tool.name)).toEqual(
          expect.arrayContaining(["query", "load_file", "get_readme"]),
        );
        const result = await client.callTool({ name: "query", arguments: { sql: "SELECT 6 * 7 AS answer" } });
        expect(result.isError ?? false, stderr).toBe(false);
        expect((result.structuredContent as { result: unknown[] }).result).toEqual([{ answer: 42 }]);
      } finally {
        await client.close();
      }
    },
    120_000,
  );
});
