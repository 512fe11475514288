#!/usr/bin/env node
/**
 * The `hyperdb-mcp` command: parses the command line (see {@link USAGE}) and runs the stdio
 * server (the HTTP one with `--http`), the daemon, a daemon control command or `doctor`. Usage
 * errors print the usage on stderr and exit with 2.
 *
 * @module
 */
import { type GlobalFlags, parseArgs } from "./cli/parse-args.ts";
import { USAGE } from "./cli/usage.ts";
import { processEnvironment, resolveServerConfig } from "./config/resolve-config.ts";
import type { ServerConfig } from "./config/server-config.ts";
import { packageVersion } from "./server/package-info.ts";

function fail(message: string, exitCode: number): void {
  process.stderr.write(`hyperdb-mcp: ${message}\n`);
  process.exitCode = exitCode;
}

function configFrom(flags: GlobalFlags): ServerConfig {
  if (flags.usedWorkspaceAlias) {
    process.stderr.write("hyperdb-mcp: --workspace is deprecated; use --persistent-db\n");
  }
  return resolveServerConfig(flags, processEnvironment());
}

async function main(argv: readonly string[]): Promise<void> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    fail(`${parsed.message}\n\n${USAGE}`, 2);
    return;
  }
  const { command, flags } = parsed;
  switch (command.kind) {
    case "help":
      process.stdout.write(USAGE);
      return;
    case "version":
      process.stdout.write(`hyperdb-mcp ${packageVersion()}\n`);
      return;
    case "doctor": {
      const { collectDoctorReport, formatDoctorReport } = await import("./cli/doctor.ts");
      const report = await collectDoctorReport(configFrom(flags), process.env);
      process.stdout.write(
        command.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report),
      );
      return;
    }
    case "daemon": {
      const config = configFrom(flags);
      const [{ runDaemonProcess }, { resolveBasePort }] = await Promise.all([
        import("./daemon/daemon-process.ts"),
        import("./daemon/port-scan.ts"),
      ]);
      await runDaemonProcess({
        port: command.port ?? resolveBasePort(process.env),
        stateDir: config.stateDir,
        idleTimeoutSec: command.idleTimeoutSec,
        hyperdPath: config.hyperdPath,
      });
      return;
    }
    case "daemon-stop":
    case "daemon-status": {
      const { stateDir } = configFrom(flags);
      const { daemonStatus, daemonStop } = await import("./daemon/ensure-daemon.ts");
      const result =
        command.kind === "daemon-stop"
          ? await daemonStop(stateDir, command.port, { env: process.env })
          : await daemonStatus(stateDir, { env: process.env });
      const text = `${result.lines.join("\n")}\n`;
      if (result.exitCode === 0) {
        process.stdout.write(text);
      } else {
        process.stderr.write(text);
      }
      process.exitCode = result.exitCode;
      return;
    }
    case "serve": {
      const config = configFrom(flags);
      // Each command loads only what it runs. The stdio server creates its engine before it
      // loads the MCP server: in daemon mode the engine starts at once (finding or spawning the
      // daemon, opening a connection) while the SDK, zod and the tools load. A private hyperd
      // (--no-daemon) still starts on the first SQL call.
      const [{ createEngine }, { logToStderr }] = await Promise.all([
        import("./engine/create-engine.ts"),
        import("./server/log-to-stderr.ts"),
      ]);
      const engine = createEngine(config, logToStderr);
      if (!config.noDaemon) {
        engine.start().catch(() => undefined);
      }
      const { runStdioServer } = await import("./server/run-stdio.ts");
      await runStdioServer(config, undefined, engine);
      return;
    }
    case "serve-http": {
      // Loaded only here: importing node:http costs the stdio server's start-up about 20 ms.
      const { runHttpServer } = await import("./server/run-http.ts");
      await runHttpServer(configFrom(flags), { listen: command.listen, tokenFile: command.tokenFile });
      return;
    }
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error), 1);
  process.exit(1);
});
