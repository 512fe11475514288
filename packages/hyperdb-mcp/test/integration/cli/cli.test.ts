import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { isolatedHome, serverEntry } from "../server/mcp-client.ts";

const run = promisify(execFile);

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [serverEntry(), ...args], {
      env: { ...process.env, ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

function isolatedEnv(): { env: Record<string, string>; home: string } {
  const home = isolatedHome();
  return {
    home,
    env: {
      HOME: home,
      XDG_DATA_HOME: join(home, "data"),
      HYPERDB_STATE_DIR: join(home, "state"),
      // A port nothing listens on, so doctor's probe finds no daemon of another test.
      HYPERDB_DAEMON_PORT: "1",
    },
  };
}

describe("hyperdb-mcp command line", () => {
  it("prints usage with every command, flag and environment variable", async () => {
    const { code, stdout } = await cli(["--help"]);
    expect(code).toBe(0);
    for (const word of [
      "daemon [--port N]",
      "daemon stop",
      "daemon status",
      "doctor [--json]",
      "--persistent-db",
      "--ephemeral-only",
      "--read-only",
      "--no-daemon",
      "--http [HOST:]PORT",
      "--http-token-file",
      "HYPERDB_MCP_HTTP_TOKEN",
      "HYPERD_PATH",
      "HYPERDB_PERSISTENT_DB",
      "HYPERDB_STATE_DIR",
      "HYPERDB_DAEMON_PORT",
      "HYPERDB_DAEMON_IDLE_TIMEOUT",
    ]) {
      expect(stdout).toContain(word);
    }
  });

  it("prints its version", async () => {
    const { code, stdout } = await cli(["--version"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^hyperdb-mcp \d+\.\d+\.\d+/);
  });

  it("refuses bad usage with exit code 2 and the usage on stderr", async () => {
    for (const args of [
      ["--bogus"],
      ["--ephemeral-only", "--persistent-db", "/x.hyper"],
      ["daemon", "restart"],
    ]) {
      const outcome = await cli(args);
      expect(outcome.code).toBe(2);
      expect(outcome.stdout).toBe("");
      expect(outcome.stderr).toContain("Usage: hyperdb-mcp");
    }
  });

  it("doctor --json reports the configuration and starts and writes nothing", async () => {
    const { env, home } = isolatedEnv();
    const persistent = join(home, "db", "w.hyper");
    const { code, stdout } = await cli(
      ["doctor", "--json", "--persistent-db", persistent, "--read-only"],
      env,
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, Record<string, unknown>>;
    expect(report.configuration).toMatchObject({
      persistent_mode: "persistent_attached",
      persistent_path_source: "flag",
      resolved_persistent_path: { path: persistent, exists: false },
      daemon_state_directory: { path: join(home, "state"), exists: false },
      read_only: true,
      no_daemon: false,
    });
    expect(report.daemon).toMatchObject({ state: "missing", pid: null });
    expect(report.installation?.hyperd).toMatchObject({ error: null });
    expect(report.tool_catalog?.tool_count).toBeGreaterThanOrEqual(12);
    // Nothing was created: no state folder, no database, nothing else in the home folder.
    expect(readdirSync(home)).toEqual([]);
    expect(existsSync(persistent)).toBe(false);
  });

  it("doctor names the persistent database from the environment and says when hyperd is missing", async () => {
    const { env, home } = isolatedEnv();
    const outcome = await cli(["doctor"], {
      ...env,
      HYPERDB_PERSISTENT_DB: join(home, "env.hyper"),
      HYPERD_PATH: join(home, "no-such-hyperd"),
    });
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(`Persistent database: ${join(home, "env.hyper")} (missing) [from env]`);
    expect(outcome.stdout).toContain("hyperd: NOT FOUND");
    expect(outcome.stdout).toContain("Overall: error");
    expect(readdirSync(home)).toEqual([]);
  });
});
